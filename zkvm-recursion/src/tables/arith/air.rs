//! Constraints of the arithmetic table.

use p3_air::BaseAir;
use p3_field::Field;
use p3_lookup::InteractionBuilder;
use p3_matrix::dense::RowMajorMatrix;
use zkvm_bus::columns::{Columns, borrow};
use zkvm_bus::{WitnessMessage, send};

use super::columns::{ArithFixedLane, ArithLane};
use crate::circuit::{ArithOp, Circuit};
use crate::tables::ext;
use crate::tables::growing_table_heights;

/// The arithmetic table of one circuit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArithChip {
    /// Rows (a power of two, at least the number of relations over `lanes`).
    pub height: usize,
    /// Relations per row ([`Lanes::arith`](crate::tables::Lanes) of the circuit).
    pub lanes: usize,
    /// The relations, `lanes` per row, over witness ids ([`Circuit::witness_ids`]).
    pub ops: Vec<ArithOp>,
}

impl ArithChip {
    /// The arithmetic table of `circuit`, whose slots have witness ids `ids`
    /// ([`Circuit::witness_ids`]).
    pub fn new(circuit: &Circuit, ids: &[u32]) -> Self {
        ArithChip {
            height: growing_table_heights(circuit)[1],
            lanes: circuit.lanes.arith,
            ops: circuit.arith.iter().map(|op| op.renumbered(ids)).collect(),
        }
    }
}

impl<F: Field> BaseAir<F> for ArithChip {
    fn width(&self) -> usize {
        self.lanes * ArithLane::<F>::WIDTH
    }

    fn preprocessed_width(&self) -> usize {
        self.lanes * ArithFixedLane::<F>::WIDTH
    }

    /// One row per lane: no constraint or message reads the next row, so a proof opens the
    /// table at the out-of-domain point only.
    fn main_next_row_columns(&self) -> Vec<usize> {
        Vec::new()
    }

    /// No preprocessed cell of the next row is read either.
    fn preprocessed_next_row_columns(&self) -> Vec<usize> {
        Vec::new()
    }

    fn preprocessed_trace(&self) -> Option<RowMajorMatrix<F>> {
        Some(self.preprocessed())
    }
}

impl ArithChip {
    /// The constraints and messages of one row whose main cells are `main` and preprocessed
    /// cells `fixed` (this table's columns, alone or within a merged row).
    pub fn eval_row<AB: InteractionBuilder>(&self, builder: &mut AB, main: &[AB::Var], fixed: &[AB::Var])
    where
        AB::F: Field,
    {
        let fixed: Vec<ArithFixedLane<AB::Var>> =
            fixed.chunks_exact(ArithFixedLane::<AB::Var>::WIDTH).map(|cells| *borrow(cells)).collect();
        let local: Vec<ArithLane<AB::Var>> =
            main.chunks_exact(ArithLane::<AB::Var>::WIDTH).map(|cells| *borrow(cells)).collect();
        for (lane, relation) in local.iter().zip(&fixed) {
            let (a, b, out) = (lane.a.map(Into::into), lane.b.map(Into::into), lane.out.map(Into::into));
            let c: [AB::Expr; ext::DEGREE] = lane.c.map(Into::into);
            let selectors = [relation.is_add, relation.is_mul, relation.is_mul_add];
            // (A1) The selectors are bits and at most one is set (they are preprocessed: this
            // documents what the verifying key must hold, and rejects a key that does not).
            for (i, &selector) in selectors.iter().enumerate() {
                builder.assert_bool(selector);
                for &other in &selectors[i + 1..] {
                    builder.assert_zero(selector * other);
                }
            }
            // (A2) An addition lane: a + b = out, coefficient by coefficient.
            for k in 0..ext::DEGREE {
                builder.assert_zero(relation.is_add * (a[k].clone() + b[k].clone() - out[k].clone()));
            }
            // (A3) A multiplication lane: a * b = out in the extension (X^5 = W).
            let product: [AB::Expr; ext::DEGREE] = ext::mul(&a, &b);
            for (p, o) in product.iter().zip(out.clone()) {
                builder.assert_zero(relation.is_mul * (p.clone() - o));
            }
            // (A5) A multiply-add lane: a * b + c = out in the extension.
            for ((p, c), o) in product.into_iter().zip(c.clone()).zip(out.clone()) {
                builder.assert_zero(relation.is_mul_add * (p + c - o));
            }
            // (A4) A real lane reads a, b and out from the witness bus, and a multiply-add lane
            // reads c too.
            let real: AB::Expr = relation.is_add.into() + relation.is_mul.into() + relation.is_mul_add.into();
            for (slot, value) in [(relation.a, a), (relation.b, b), (relation.out, out)] {
                send(builder, WitnessMessage { index: slot.into(), value }, real.clone());
            }
            send(builder, WitnessMessage { index: relation.c.into(), value: c }, relation.is_mul_add);
        }
    }
}
