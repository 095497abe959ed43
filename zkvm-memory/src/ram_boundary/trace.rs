//! Trace generation for the RAM boundary.

use p3_field::Field;
use p3_matrix::dense::RowMajorMatrix;
use zkvm_bus::columns::{Columns, borrow_mut};

use super::RamBoundaryColumns;

/// One cell of the boundary.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RamCell {
    /// Word address (below 2^30).
    pub address: u32,
    /// Value at the start of the segment.
    pub initial: u32,
    /// Value at the end of the segment.
    pub last: u32,
    /// Timestamp of the last access (0 if none).
    pub last_timestamp: u32,
}

/// The boundary's trace for `cells`, padded with zero rows to a power of two (at least 4 and
/// at least `min_height`), and the byte pairs it range-checks on the `byte` bus (for the byte
/// table's multiplicities).
pub fn ram_boundary_trace<F: Field>(
    cells: &[RamCell],
    min_height: usize,
) -> (RowMajorMatrix<F>, Vec<[u8; 2]>) {
    let width = RamBoundaryColumns::<F>::WIDTH;
    let height = cells.len().next_power_of_two().max(4).max(min_height.next_power_of_two());
    let mut trace = RowMajorMatrix::new(vec![F::ZERO; height * width], width);
    let mut byte_pairs = Vec::with_capacity(2 * cells.len());
    for (row, cell) in trace.values.chunks_exact_mut(width).zip(cells) {
        let row: &mut RamBoundaryColumns<F> = borrow_mut(row);
        let initial = cell.initial.to_le_bytes();
        *row = RamBoundaryColumns {
            is_real: F::ONE,
            address: F::from_u32(cell.address),
            initial: initial.map(F::from_u8),
            last: cell.last.to_le_bytes().map(F::from_u8),
            last_timestamp: F::from_u32(cell.last_timestamp),
        };
        byte_pairs.extend([[initial[0], initial[1]], [initial[2], initial[3]]]);
    }
    (trace, byte_pairs)
}
