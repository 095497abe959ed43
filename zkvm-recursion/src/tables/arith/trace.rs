//! Traces of the arithmetic table.

use p3_field::{Field, PrimeCharacteristicRing};
use p3_matrix::dense::RowMajorMatrix;
use zkvm_bus::columns::{Columns, borrow_mut};
use zkvm_core::prover::Val;

use super::air::ArithChip;
use super::columns::{ArithColumns, ArithPreprocessed};
use crate::circuit::{ArithKind, Ext};
use crate::tables::ext::coefficients;

impl ArithChip {
    /// The preprocessed trace: each row's slots and relation.
    pub(super) fn preprocessed<F: Field>(&self) -> RowMajorMatrix<F> {
        let width = ArithPreprocessed::<F>::WIDTH;
        let mut values = vec![F::ZERO; self.height * width];
        for (cells, op) in values.chunks_exact_mut(width).zip(&self.ops) {
            let fixed: &mut ArithPreprocessed<F> = borrow_mut(cells);
            fixed.a = F::from_u32(op.a.0);
            fixed.b = F::from_u32(op.b.0);
            fixed.out = F::from_u32(op.out.0);
            fixed.is_add = F::from_bool(op.kind == ArithKind::Add);
            fixed.is_mul = F::from_bool(op.kind == ArithKind::Mul);
        }
        RowMajorMatrix::new(values, width)
    }

    /// The main trace: the operands' values.
    pub fn trace(&self, slots: &[Ext]) -> RowMajorMatrix<Val> {
        let width = ArithColumns::<Val>::WIDTH;
        let mut values = vec![Val::ZERO; self.height * width];
        for (cells, op) in values.chunks_exact_mut(width).zip(&self.ops) {
            let row: &mut ArithColumns<Val> = borrow_mut(cells);
            row.a = coefficients(slots[op.a.0 as usize]);
            row.b = coefficients(slots[op.b.0 as usize]);
            row.out = coefficients(slots[op.out.0 as usize]);
        }
        RowMajorMatrix::new(values, width)
    }
}
