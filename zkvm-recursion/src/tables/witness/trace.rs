//! Traces of the witness table.

use p3_field::{Field, PrimeCharacteristicRing};
use p3_matrix::dense::RowMajorMatrix;
use zkvm_bus::columns::{Columns, borrow_mut};
use zkvm_core::prover::Val;

use super::air::WitnessChip;
use super::columns::{LANES, WitnessColumns, WitnessPreprocessed};
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

    /// The main trace: every slot's value and read count, [`LANES`] slots per row.
    pub fn trace(&self, slots: &[Ext]) -> RowMajorMatrix<Val> {
        let width = WitnessColumns::<Val>::WIDTH;
        let mut values = vec![Val::ZERO; self.height * width];
        for ((cells, row_slots), row_reads) in
            values.chunks_exact_mut(width).zip(slots.chunks(LANES)).zip(self.reads.chunks(LANES))
        {
            let row: &mut WitnessColumns<Val> = borrow_mut(cells);
            for ((lane, &value), &reads) in row.lanes.iter_mut().zip(row_slots).zip(row_reads) {
                lane.value = coefficients(value);
                lane.multiplicity = Val::from_u32(reads);
            }
        }
        RowMajorMatrix::new(values, width)
    }
}
