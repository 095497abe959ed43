//! Trace generation for the RAM boundary.

use p3_field::Field;
use p3_matrix::dense::RowMajorMatrix;
use zkvm_bus::columns::{Columns, borrow_mut};

use super::{MAX_ADDRESS_GAP, RamBoundaryColumns};

/// One cell of the boundary.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RamCell {
    /// Word address (below 2^30).
    pub address: u32,
    /// Whether the initial value comes from the memory image.
    pub from_image: bool,
    /// Value at the start of the segment.
    pub initial: u32,
    /// Value at the end of the segment.
    pub last: u32,
    /// Timestamp of the last access (0 if none).
    pub last_timestamp: u32,
}

/// The boundary's trace for `cells` (strictly increasing addresses below 2^30), and the values
/// it range-checks on the `range16` bus (for the range table's multiplicities).
///
/// Where two consecutive addresses are `MAX_ADDRESS_GAP` or more apart, untouched filler cells
/// (value 0, never accessed) are inserted so that every gap is in range.
///
/// # Panics
/// If the addresses are not strictly increasing or not below 2^30 (a caller bug).
pub fn ram_boundary_trace<F: Field>(cells: &[RamCell]) -> (RowMajorMatrix<F>, Vec<u32>) {
    let mut rows: Vec<RamCell> = Vec::with_capacity(cells.len());
    for &cell in cells {
        assert!(cell.address < 1 << 30, "RAM cell address {:#x} is not a word address", cell.address);
        if let Some(previous) = rows.last() {
            assert!(previous.address < cell.address, "RAM cells must be sorted and distinct");
            let mut filler = previous.address;
            while cell.address - filler > MAX_ADDRESS_GAP {
                filler += MAX_ADDRESS_GAP;
                rows.push(RamCell { address: filler, ..RamCell::default() });
            }
        }
        rows.push(cell);
    }
    let width = RamBoundaryColumns::<F>::WIDTH;
    let height = rows.len().next_power_of_two().max(4);
    let mut trace = RowMajorMatrix::new(vec![F::ZERO; height * width], width);
    let mut ranges = Vec::with_capacity(6 * rows.len());
    let mut previous: Option<u32> = None;
    for (cells, cell) in trace.values.chunks_exact_mut(width).zip(&rows) {
        let row: &mut RamBoundaryColumns<F> = borrow_mut(cells);
        let gap = previous.map_or(0, |p| cell.address - p - 1);
        let (address_low, address_high) = (cell.address & 0xffff, cell.address >> 16);
        let (gap_low, gap_high) = (gap & 0xffff, gap >> 16);
        *row = RamBoundaryColumns {
            is_real: F::ONE,
            address: F::from_u32(cell.address),
            address_low: F::from_u32(address_low),
            address_high: F::from_u32(address_high),
            gap_low: F::from_u32(gap_low),
            gap_high: F::from_u32(gap_high),
            from_image: F::from_bool(cell.from_image),
            initial: cell.initial.to_le_bytes().map(F::from_u8),
            last: cell.last.to_le_bytes().map(F::from_u8),
            last_timestamp: F::from_u32(cell.last_timestamp),
        };
        ranges.extend([address_low, address_high, 4 * address_high, gap_low, gap_high, 8 * gap_high]);
        previous = Some(cell.address);
    }
    (trace, ranges)
}
