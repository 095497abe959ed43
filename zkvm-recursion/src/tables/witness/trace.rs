//! Traces of the witness table.

use p3_field::{Field, PrimeCharacteristicRing};
use p3_matrix::dense::RowMajorMatrix;
use zkvm_bus::columns::{Columns, borrow_mut};
use zkvm_core::prover::Val;

use super::air::WitnessChip;
use super::columns::{WitnessLane, WitnessPreprocessed};
use crate::circuit::Ext;
use crate::tables::ext::coefficients;

impl WitnessChip {
    /// The preprocessed trace: row numbers.
    pub(super) fn preprocessed<F: Field>(&self) -> RowMajorMatrix<F> {
        let width = WitnessPreprocessed::<F>::WIDTH;
        let mut values = vec![F::ZERO; self.height * width];
        for (row, cells) in values.chunks_exact_mut(width).enumerate() {
            let fixed: &mut WitnessPreprocessed<F> = borrow_mut(cells);
            fixed.row = F::from_usize(row);
        }
        RowMajorMatrix::new(values, width)
    }

    /// The main trace: every slot's value and read count, `lanes` slots per row.
    pub fn trace(&self, slots: &[Ext]) -> RowMajorMatrix<Val> {
        let width = self.lanes * WitnessLane::<Val>::WIDTH;
        let mut values = vec![Val::ZERO; self.height * width];
        for ((cells, row_slots), row_reads) in
            values.chunks_exact_mut(width).zip(slots.chunks(self.lanes)).zip(self.reads.chunks(self.lanes))
        {
            let lanes = cells.chunks_exact_mut(WitnessLane::<Val>::WIDTH);
            for ((lane_cells, &value), &reads) in lanes.zip(row_slots).zip(row_reads) {
                let lane: &mut WitnessLane<Val> = borrow_mut(lane_cells);
                lane.value = coefficients(value);
                lane.multiplicity = Val::from_u32(reads);
            }
        }
        RowMajorMatrix::new(values, width)
    }
}
