//! Constraints and traces of the Poseidon2 table.

use p3_air::BaseAir;
use p3_baby_bear::BabyBear;
use p3_field::{Field, PrimeCharacteristicRing};
use p3_lookup::InteractionBuilder;
use p3_matrix::Matrix;
use p3_matrix::dense::RowMajorMatrix;
use zkvm_bus::columns::{Columns, borrow, borrow_mut};
use zkvm_bus::{WitnessMessage, send};
use zkvm_core::prover::Val;
use zkvm_memory::merkle::poseidon2::{
    COMPACT_SBOX_REGISTERS, SBOX_REGISTERS, eval_permutation, output, permutation_rows, permutation_width,
};

use super::columns::{
    HALF_WIDTH, PairFirstRow, PairPreprocessed, Poseidon2Columns, Poseidon2Layout, Poseidon2Preprocessed,
};
use super::pair::{eval_pair, pair_preprocessed, pair_trace};
use crate::circuit::witness::as_base;
use crate::circuit::{Circuit, Ext, POSEIDON2_WIDTH, Poseidon2Op};
use crate::tables::growing_table_heights;

/// The Poseidon2 table of one circuit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Poseidon2Chip {
    /// Rows (a power of two).
    pub height: usize,
    /// The permutations, one per row (per pair of rows in the two-row layout), over witness
    /// ids ([`Circuit::witness_ids`]).
    pub ops: Vec<Poseidon2Op>,
    /// The layout of each row's permutation.
    pub layout: Poseidon2Layout,
}

impl Poseidon2Chip {
    /// The Poseidon2 table of `circuit`, in the circuit's layout, whose slots have witness ids
    /// `ids` ([`Circuit::witness_ids`]).
    pub fn new(circuit: &Circuit, ids: &[u32]) -> Self {
        Poseidon2Chip {
            height: growing_table_heights(circuit)[2],
            ops: circuit.poseidon2.iter().map(|op| op.renumbered(ids)).collect(),
            layout: circuit.poseidon2_layout,
        }
    }

    /// The main trace: every permutation's rounds, its swap bit and the values of its input
    /// slots (padding permutes zeros, unswapped), given every slot's value by witness id.
    pub fn trace(&self, slots: &[Ext]) -> RowMajorMatrix<Val> {
        match self.layout {
            Poseidon2Layout::Registers => self.trace_with::<SBOX_REGISTERS>(slots),
            Poseidon2Layout::Compact => self.trace_with::<COMPACT_SBOX_REGISTERS>(slots),
            Poseidon2Layout::TwoRows => pair_trace(self, slots),
        }
    }

    /// The main trace in the one-row layout with `REGISTERS` S-box registers.
    fn trace_with<const REGISTERS: usize>(&self, slots: &[Ext]) -> RowMajorMatrix<Val> {
        let (values, inputs, swaps) = permutation_inputs(self, slots, self.height);
        let permutations = permutation_rows::<REGISTERS>(inputs);
        let permutation_width = permutation_width::<REGISTERS>();
        let width = Poseidon2Columns::<Val, REGISTERS>::WIDTH;
        let mut cells = vec![BabyBear::ZERO; self.height * width];
        for (((row, permutation), values), swap) in
            cells.chunks_exact_mut(width).zip(permutations.rows()).zip(values).zip(swaps)
        {
            row[..permutation_width].iter_mut().zip(permutation).for_each(|(cell, v)| *cell = v);
            let row: &mut Poseidon2Columns<Val, REGISTERS> = borrow_mut(row);
            row.swap = BabyBear::from_bool(swap);
            row.first_half = std::array::from_fn(|k| values[k]);
        }
        RowMajorMatrix::new(cells, width)
    }

    /// The constraints and interactions of one row in the layout with `REGISTERS` S-box
    /// registers.
    fn eval_with<AB: InteractionBuilder, const REGISTERS: usize>(
        &self,
        builder: &mut AB,
        main: &[AB::Var],
        fixed: &[AB::Var],
    ) where
        AB::F: Field,
    {
        let fixed: Poseidon2Preprocessed<AB::Var> = *borrow(fixed);
        let local: &Poseidon2Columns<AB::Var, REGISTERS> = borrow(main);

        // (P1..P3) The row is one Poseidon2 permutation of its input.
        eval_permutation(builder, &local.permutation);
        // (P5) The swap is a bit.
        builder.assert_bool(local.swap);
        // (P6) The first eight slots hold the input's first half, or its second half when
        // swapped: first_half[k] = input[k] + swap (input[k + 8] - input[k]).
        let inputs = &local.permutation.inputs;
        for k in 0..HALF_WIDTH {
            let exchanged = local.swap.into() * (inputs[k + HALF_WIDTH].into() - inputs[k].into());
            builder.assert_eq(local.first_half[k], inputs[k].into() + exchanged);
        }
        // (P7) The row selector and the output-half flags are bits, the flags set only on real
        // rows (fixed by the key; the constraints keep a key from asking for anything else).
        builder.assert_bool(fixed.is_real);
        builder.assert_bool(fixed.first_half_out);
        builder.assert_bool(fixed.second_half_out);
        let not_real = AB::Expr::ONE - fixed.is_real.into();
        builder.assert_zero(fixed.first_half_out.into() * not_real.clone());
        builder.assert_zero(fixed.second_half_out.into() * not_real);
        // (P4) A real row reads its swap bit and its input slots and writes its kept output
        // slots (outputs 0..8 at first_output + k if first_half_out, outputs 8..16 after them
        // if second_half_out), each a base-field element (higher coefficients zero in the
        // message); the last eight input slots hold what the first eight do not:
        // input[k] + input[k + 8] - first_half[k].
        let base = |x: AB::Expr| -> [AB::Expr; 5] {
            [x, AB::Expr::ZERO, AB::Expr::ZERO, AB::Expr::ZERO, AB::Expr::ZERO]
        };
        let swap = WitnessMessage { index: fixed.swap.into(), value: base(local.swap.into()) };
        send(builder, swap, fixed.is_real);
        let outputs = output(&local.permutation);
        for k in 0..POSEIDON2_WIDTH {
            let value = if k < HALF_WIDTH {
                local.first_half[k].into()
            } else {
                let j = k - HALF_WIDTH;
                inputs[j].into() + inputs[k].into() - local.first_half[j].into()
            };
            let input = WitnessMessage { index: fixed.input[k].into(), value: base(value) };
            send(builder, input, fixed.is_real);
            let (slot, kept) = if k < HALF_WIDTH {
                (fixed.first_output.into() + AB::Expr::from_usize(k), fixed.first_half_out)
            } else {
                let after_first = fixed.first_half_out.into() * AB::Expr::from_usize(HALF_WIDTH);
                let offset = AB::Expr::from_usize(k - HALF_WIDTH) + after_first;
                (fixed.first_output.into() + offset, fixed.second_half_out)
            };
            let output = WitnessMessage { index: slot, value: base(outputs[k].into()) };
            send(builder, output, kept);
        }
    }
}

/// The first `count` permutations' slot values (in slot order), their inputs (halves exchanged
/// when swapped) and their swap bits; zeros, unswapped, past the circuit's permutations.
pub(super) fn permutation_inputs(
    chip: &Poseidon2Chip,
    slots: &[Ext],
    count: usize,
) -> (Vec<[Val; POSEIDON2_WIDTH]>, Vec<[Val; POSEIDON2_WIDTH]>, Vec<bool>) {
    let mut values = vec![[BabyBear::ZERO; POSEIDON2_WIDTH]; count];
    let mut swaps = vec![false; count];
    for ((value, swap), op) in values.iter_mut().zip(&mut swaps).zip(&chip.ops) {
        // Filling checked that the inputs are base-field elements and the swap a bit.
        *value = op.input.map(|slot| as_base(slots[slot.0 as usize]).unwrap_or_default());
        *swap = slots[op.swap.0 as usize] == Ext::ONE;
    }
    let inputs = values
        .iter()
        .zip(&swaps)
        .map(|(value, &swap)| {
            let mut input = *value;
            if swap {
                input.rotate_left(HALF_WIDTH);
            }
            input
        })
        .collect();
    (values, inputs, swaps)
}

impl<F: Field> BaseAir<F> for Poseidon2Chip {
    fn width(&self) -> usize {
        match self.layout {
            Poseidon2Layout::Registers => Poseidon2Columns::<F, SBOX_REGISTERS>::WIDTH,
            Poseidon2Layout::Compact => Poseidon2Columns::<F, COMPACT_SBOX_REGISTERS>::WIDTH,
            Poseidon2Layout::TwoRows => PairFirstRow::<F>::WIDTH,
        }
    }

    fn preprocessed_width(&self) -> usize {
        match self.layout {
            Poseidon2Layout::TwoRows => PairPreprocessed::<F>::WIDTH,
            _ => Poseidon2Preprocessed::<F>::WIDTH,
        }
    }

    /// The two-row layout's constraints read the pair's second row from the first (all its
    /// columns are listed: the proof system opens a matrix at the next point whole or not at
    /// all); the one-row layouts read no next row, so a proof opens them at the out-of-domain
    /// point only.
    fn main_next_row_columns(&self) -> Vec<usize> {
        if self.reads_next_row() { (0..BaseAir::<F>::width(self)).collect() } else { Vec::new() }
    }

    /// No layout reads the next row's preprocessed cells (the two-row layout's are the first
    /// row's).
    fn preprocessed_next_row_columns(&self) -> Vec<usize> {
        Vec::new()
    }

    fn preprocessed_trace(&self) -> Option<RowMajorMatrix<F>> {
        if self.layout == Poseidon2Layout::TwoRows {
            return Some(pair_preprocessed(self));
        }
        let width = Poseidon2Preprocessed::<F>::WIDTH;
        let mut values = vec![F::ZERO; self.height * width];
        for (cells, op) in values.chunks_exact_mut(width).zip(&self.ops) {
            let fixed: &mut Poseidon2Preprocessed<F> = borrow_mut(cells);
            fixed.input = op.input.map(|slot| F::from_u32(slot.0));
            fixed.first_output = F::from_u32(op.first_output.0);
            fixed.swap = F::from_u32(op.swap.0);
            fixed.is_real = F::ONE;
            fixed.first_half_out = F::from_bool(op.halves.first());
            fixed.second_half_out = F::from_bool(op.halves.second());
        }
        Some(RowMajorMatrix::new(values, width))
    }
}

impl Poseidon2Chip {
    /// Whether the layout's constraints read the next row's main cells (the two-row layout,
    /// whose permutation spans a pair of rows).
    pub fn reads_next_row(&self) -> bool {
        self.layout == Poseidon2Layout::TwoRows
    }

    /// The constraints and messages of one row whose main cells are `main`, the next row's
    /// `next` (read by the two-row layout only) and preprocessed cells `fixed` (this table's
    /// columns, alone or within a merged row).
    pub fn eval_row<AB: InteractionBuilder>(
        &self,
        builder: &mut AB,
        main: &[AB::Var],
        next: &[AB::Var],
        fixed: &[AB::Var],
    ) where
        AB::F: Field,
    {
        match self.layout {
            Poseidon2Layout::Registers => self.eval_with::<AB, SBOX_REGISTERS>(builder, main, fixed),
            Poseidon2Layout::Compact => self.eval_with::<AB, COMPACT_SBOX_REGISTERS>(builder, main, fixed),
            Poseidon2Layout::TwoRows => eval_pair(builder, main, next, fixed),
        }
    }
}
