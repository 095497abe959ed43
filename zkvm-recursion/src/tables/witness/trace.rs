//! Traces of the witness table.

use p3_field::{Field, PrimeCharacteristicRing};
use p3_matrix::dense::RowMajorMatrix;
use zkvm_bus::columns::{Columns, borrow_mut};
use zkvm_core::prover::Val;

use super::air::WitnessChip;
use super::columns::{WitnessFixedLane, WitnessLane, WitnessPreprocessed};
use crate::circuit::Ext;
use crate::tables::ext::coefficients;

impl WitnessChip {
    /// The preprocessed trace: row numbers, and each lane's multiplicity (its slot's reads).
    pub(super) fn preprocessed<F: Field>(&self) -> RowMajorMatrix<F> {
        let lane_width = WitnessFixedLane::<F>::WIDTH;
        let width = WitnessPreprocessed::<F>::WIDTH + self.lanes * lane_width;
        let mut values = vec![F::ZERO; self.height * width];
        // Rows past the circuit's last slot read nothing: their multiplicities stay zero.
        let mut reads = self.reads.chunks(self.lanes);
        for (row, cells) in values.chunks_exact_mut(width).enumerate() {
            let (row_cells, lane_cells) = cells.split_at_mut(WitnessPreprocessed::<F>::WIDTH);
            let fixed: &mut WitnessPreprocessed<F> = borrow_mut(row_cells);
            fixed.row = F::from_usize(row);
            for (cells, &count) in
                lane_cells.chunks_exact_mut(lane_width).zip(reads.next().unwrap_or_default())
            {
                let lane: &mut WitnessFixedLane<F> = borrow_mut(cells);
                lane.multiplicity = F::from_u32(count);
            }
        }
        RowMajorMatrix::new(values, width)
    }

    /// The main trace: every slot's value, `lanes` slots per row.
    pub fn trace(&self, slots: &[Ext]) -> RowMajorMatrix<Val> {
        let width = self.lanes * WitnessLane::<Val>::WIDTH;
        let mut values = vec![Val::ZERO; self.height * width];
        for (cells, row_slots) in values.chunks_exact_mut(width).zip(slots.chunks(self.lanes)) {
            for (lane_cells, &value) in cells.chunks_exact_mut(WitnessLane::<Val>::WIDTH).zip(row_slots) {
                let lane: &mut WitnessLane<Val> = borrow_mut(lane_cells);
                lane.value = coefficients(value);
            }
        }
        RowMajorMatrix::new(values, width)
    }
}
