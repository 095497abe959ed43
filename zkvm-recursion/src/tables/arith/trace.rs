//! Traces of the arithmetic table.

use p3_field::{Field, PrimeCharacteristicRing};
use p3_matrix::dense::RowMajorMatrix;
use zkvm_bus::columns::{Columns, borrow_mut};
use zkvm_core::prover::Val;

use super::air::ArithChip;
use super::columns::{ArithColumns, ArithPreprocessed, LANES};
use crate::circuit::{ArithKind, Ext};
use crate::tables::ext::coefficients;

impl ArithChip {
    /// The preprocessed trace: each lane's slots and relation, [`LANES`] relations per row.
    pub(super) fn preprocessed<F: Field>(&self) -> RowMajorMatrix<F> {
        let width = ArithPreprocessed::<F>::WIDTH;
        let mut values = vec![F::ZERO; self.height * width];
        for (cells, ops) in values.chunks_exact_mut(width).zip(self.ops.chunks(LANES)) {
            let fixed: &mut ArithPreprocessed<F> = borrow_mut(cells);
            for (lane, op) in fixed.lanes.iter_mut().zip(ops) {
                lane.a = F::from_u32(op.a.0);
                lane.b = F::from_u32(op.b.0);
                lane.out = F::from_u32(op.out.0);
                lane.is_add = F::from_bool(op.kind == ArithKind::Add);
                lane.is_mul = F::from_bool(op.kind == ArithKind::Mul);
                lane.c = F::from_u32(op.addend().map_or(0, |slot| slot.0));
                lane.is_mul_add = F::from_bool(op.addend().is_some());
            }
        }
        RowMajorMatrix::new(values, width)
    }

    /// The main trace: the operands' values.
    pub fn trace(&self, slots: &[Ext]) -> RowMajorMatrix<Val> {
        let width = ArithColumns::<Val>::WIDTH;
        let mut values = vec![Val::ZERO; self.height * width];
        for (cells, ops) in values.chunks_exact_mut(width).zip(self.ops.chunks(LANES)) {
            let row: &mut ArithColumns<Val> = borrow_mut(cells);
            for (lane, op) in row.lanes.iter_mut().zip(ops) {
                lane.a = coefficients(slots[op.a.0 as usize]);
                lane.b = coefficients(slots[op.b.0 as usize]);
                lane.out = coefficients(slots[op.out.0 as usize]);
                if let Some(c) = op.addend() {
                    lane.c = coefficients(slots[c.0 as usize]);
                }
            }
        }
        RowMajorMatrix::new(values, width)
    }
}
