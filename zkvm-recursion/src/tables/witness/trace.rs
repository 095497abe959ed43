//! Traces of the witness table.

use p3_field::{Field, PrimeCharacteristicRing};
use p3_matrix::dense::RowMajorMatrix;
use zkvm_bus::columns::{Columns, borrow_mut};
use zkvm_core::prover::Val;

use super::air::WitnessChip;
use super::columns::{WitnessColumns, WitnessPreprocessed};
use crate::circuit::Ext;
use crate::tables::ext::coefficients;

impl WitnessChip {
    /// The preprocessed trace: slot numbers, and the constants.
    pub(super) fn preprocessed<F: Field>(&self) -> RowMajorMatrix<F> {
        let width = WitnessPreprocessed::<F>::WIDTH;
        let mut values = vec![F::ZERO; self.height * width];
        for (row, cells) in values.chunks_exact_mut(width).enumerate() {
            let fixed: &mut WitnessPreprocessed<F> = borrow_mut(cells);
            fixed.index = F::from_usize(row);
        }
        for &(slot, constant) in &self.constants {
            let fixed: &mut WitnessPreprocessed<F> =
                borrow_mut(&mut values[slot as usize * width..(slot as usize + 1) * width]);
            fixed.is_constant = F::ONE;
            fixed.constant =
                coefficients(constant).map(|c| F::from_u32(p3_field::PrimeField32::as_canonical_u32(&c)));
        }
        RowMajorMatrix::new(values, width)
    }

    /// The main trace: every slot's value and read count.
    pub fn trace(&self, slots: &[Ext]) -> RowMajorMatrix<Val> {
        let width = WitnessColumns::<Val>::WIDTH;
        let mut values = vec![Val::ZERO; self.height * width];
        for ((cells, &value), &reads) in values.chunks_exact_mut(width).zip(slots).zip(&self.reads) {
            let row: &mut WitnessColumns<Val> = borrow_mut(cells);
            row.value = coefficients(value);
            row.multiplicity = Val::from_u32(reads);
        }
        RowMajorMatrix::new(values, width)
    }
}
