//! Traces of the arithmetic table.

use p3_field::{Field, PrimeCharacteristicRing};
use p3_matrix::dense::RowMajorMatrix;
use zkvm_bus::columns::{Columns, borrow_mut};
use zkvm_core::prover::Val;

use super::air::ArithChip;
use super::columns::{ArithFixedLane, ArithLane};
use crate::circuit::{ArithKind, Ext};
use crate::tables::ext::coefficients;

impl ArithChip {
    /// The preprocessed trace: each lane's slots and relation, `lanes` relations per row.
    pub(super) fn preprocessed<F: Field>(&self) -> RowMajorMatrix<F> {
        let width = self.lanes * ArithFixedLane::<F>::WIDTH;
        let mut values = vec![F::ZERO; self.height * width];
        for (cells, ops) in values.chunks_exact_mut(width).zip(self.ops.chunks(self.lanes)) {
            for (lane_cells, op) in cells.chunks_exact_mut(ArithFixedLane::<F>::WIDTH).zip(ops) {
                let lane: &mut ArithFixedLane<F> = borrow_mut(lane_cells);
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

    /// The main trace: the operands' values, given every slot's value by witness id.
    pub fn trace(&self, slots: &[Ext]) -> RowMajorMatrix<Val> {
        let width = self.lanes * ArithLane::<Val>::WIDTH;
        let mut values = vec![Val::ZERO; self.height * width];
        for (cells, ops) in values.chunks_exact_mut(width).zip(self.ops.chunks(self.lanes)) {
            for (lane_cells, op) in cells.chunks_exact_mut(ArithLane::<Val>::WIDTH).zip(ops) {
                let lane: &mut ArithLane<Val> = borrow_mut(lane_cells);
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
