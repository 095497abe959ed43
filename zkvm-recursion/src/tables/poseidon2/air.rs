//! Constraints and traces of the Poseidon2 table.

use p3_air::{Air, BaseAir, WindowAccess};
use p3_baby_bear::BabyBear;
use p3_field::{Field, PrimeCharacteristicRing};
use p3_lookup::InteractionBuilder;
use p3_matrix::dense::RowMajorMatrix;
use zkvm_bus::columns::{Columns, borrow, borrow_mut};
use zkvm_bus::{WitnessMessage, send};
use zkvm_core::prover::Val;
use zkvm_memory::merkle::poseidon2::{eval_permutation, output, permutation_rows};

use super::columns::{Poseidon2Columns, Poseidon2Preprocessed};
use crate::circuit::witness::as_base;
use crate::circuit::{Circuit, Ext, POSEIDON2_WIDTH, Poseidon2Op};
use crate::tables::growing_table_heights;

/// The Poseidon2 table of one circuit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Poseidon2Chip {
    /// Rows (a power of two).
    pub height: usize,
    /// The permutations, one per row.
    pub ops: Vec<Poseidon2Op>,
}

impl Poseidon2Chip {
    /// The Poseidon2 table of `circuit`.
    pub fn new(circuit: &Circuit) -> Self {
        Poseidon2Chip { height: growing_table_heights(circuit)[2], ops: circuit.poseidon2.clone() }
    }

    /// The main trace: every permutation's rounds (padding rows permute zeros).
    pub fn trace(&self, slots: &[Ext]) -> RowMajorMatrix<Val> {
        let mut inputs = vec![[BabyBear::ZERO; POSEIDON2_WIDTH]; self.height];
        for (input, op) in inputs.iter_mut().zip(&self.ops) {
            // Filling checked that the inputs are base-field elements.
            *input = op.input.map(|slot| as_base(slots[slot.0 as usize]).unwrap_or_default());
        }
        permutation_rows(inputs)
    }
}

impl<F: Field> BaseAir<F> for Poseidon2Chip {
    fn width(&self) -> usize {
        Poseidon2Columns::<F>::WIDTH
    }

    fn preprocessed_width(&self) -> usize {
        Poseidon2Preprocessed::<F>::WIDTH
    }

    fn preprocessed_trace(&self) -> Option<RowMajorMatrix<F>> {
        let width = Poseidon2Preprocessed::<F>::WIDTH;
        let mut values = vec![F::ZERO; self.height * width];
        for (cells, op) in values.chunks_exact_mut(width).zip(&self.ops) {
            let fixed: &mut Poseidon2Preprocessed<F> = borrow_mut(cells);
            fixed.input = op.input.map(|slot| F::from_u32(slot.0));
            fixed.output = op.output.map(|slot| F::from_u32(slot.0));
            fixed.is_real = F::ONE;
        }
        Some(RowMajorMatrix::new(values, width))
    }
}

impl<AB: InteractionBuilder> Air<AB> for Poseidon2Chip
where
    AB::F: Field,
{
    fn eval(&self, builder: &mut AB) {
        let fixed: Poseidon2Preprocessed<AB::Var> = *borrow(builder.preprocessed().current_slice());
        let main = builder.main();
        let local: &Poseidon2Columns<AB::Var> = borrow(main.current_slice());

        // (P1..P3) The row is one Poseidon2 permutation of its input.
        eval_permutation(builder, &local.permutation);
        // (P4) A real row reads its input slots and writes its output slots, each a base-field
        // element (higher coefficients zero in the message).
        let base = |x: AB::Var| -> [AB::Expr; 5] {
            [x.into(), AB::Expr::ZERO, AB::Expr::ZERO, AB::Expr::ZERO, AB::Expr::ZERO]
        };
        let outputs = output(&local.permutation);
        for k in 0..POSEIDON2_WIDTH {
            let input =
                WitnessMessage { index: fixed.input[k].into(), value: base(local.permutation.inputs[k]) };
            send(builder, input, fixed.is_real);
            let output = WitnessMessage { index: fixed.output[k].into(), value: base(outputs[k]) };
            send(builder, output, fixed.is_real);
        }
    }
}
