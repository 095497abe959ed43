//! The two-row layout of the Poseidon2 table ([`Poseidon2Layout::TwoRows`]): the compact
//! permutation's cells over the two rows of a pair, its constraints on the pair's first row
//! (reading the next row as well), and messages that the two rows share.
//!
//! A pair's first row holds the values of the permutation's sixteen input slots, its swap bit
//! and the first [`PAIR_HEAD`] compact columns; its second row the output on the columns of
//! the values, then the remaining [`PAIR_TAIL`] columns. Message `k` of a row reads column `k`:
//! on a first row the value of input slot `k`, on a second row output `k`, at the slot and with
//! the multiplicity the preprocessed columns give that row.
//!
//! [`Poseidon2Layout::TwoRows`]: super::Poseidon2Layout::TwoRows

use std::borrow::Borrow;

use p3_air::AirBuilder;
use p3_baby_bear::BabyBear;
use p3_field::{Field, PrimeCharacteristicRing};
use p3_lookup::InteractionBuilder;
use p3_matrix::Matrix;
use p3_matrix::dense::RowMajorMatrix;
use zkvm_bus::columns::{Columns, borrow, borrow_mut};
use zkvm_bus::{WitnessMessage, send};
use zkvm_core::prover::Val;
use zkvm_memory::merkle::poseidon2::{
    COMPACT_SBOX_REGISTERS, PermutationColumns, eval_permutation, permutation_rows, permutation_width,
};

use super::air::{Poseidon2Chip, permutation_inputs};
use super::columns::{HALF_WIDTH, PAIR_HEAD, PAIR_TAIL, PairFirstRow, PairPreprocessed, PairSecondRow};
use crate::circuit::{Ext, POSEIDON2_WIDTH};

/// Cells of one compact permutation.
const COMPACT_WIDTH: usize = permutation_width::<COMPACT_SBOX_REGISTERS>();

/// The main trace in the two-row layout: each permutation's pair of rows (padding pairs
/// permute zeros, unswapped).
pub(super) fn pair_trace(chip: &Poseidon2Chip, slots: &[Ext]) -> RowMajorMatrix<Val> {
    let (values, inputs, swaps) = permutation_inputs(chip, slots, chip.height / 2);
    let permutations = permutation_rows::<COMPACT_SBOX_REGISTERS>(inputs);
    let width = PairFirstRow::<Val>::WIDTH;
    let mut cells = vec![BabyBear::ZERO; chip.height * width];
    for (((pair, permutation), values), swap) in
        cells.chunks_exact_mut(2 * width).zip(permutations.rows()).zip(values).zip(swaps)
    {
        let permutation: Vec<Val> = permutation.collect();
        let (first, second) = pair.split_at_mut(width);
        let first: &mut PairFirstRow<Val> = borrow_mut(first);
        first.values = values;
        first.swap = BabyBear::from_bool(swap);
        first.head.copy_from_slice(&permutation[..PAIR_HEAD]);
        let second: &mut PairSecondRow<Val> = borrow_mut(second);
        second.tail.copy_from_slice(&permutation[PAIR_HEAD..PAIR_HEAD + PAIR_TAIL]);
        second.output.copy_from_slice(&permutation[PAIR_HEAD + PAIR_TAIL..]);
    }
    RowMajorMatrix::new(cells, width)
}

/// The preprocessed trace in the two-row layout: per pair, the input slots and the swap bit's
/// slot on the first row, the output slots on the second.
pub(super) fn pair_preprocessed<F: Field>(chip: &Poseidon2Chip) -> RowMajorMatrix<F> {
    let width = PairPreprocessed::<F>::WIDTH;
    let mut cells = vec![F::ZERO; chip.height * width];
    for (pair, rows) in cells.chunks_exact_mut(2 * width).enumerate() {
        let (first, second) = rows.split_at_mut(width);
        let first: &mut PairPreprocessed<F> = borrow_mut(first);
        first.first = F::ONE;
        let Some(op) = chip.ops.get(pair) else { continue };
        first.slot = op.input.map(|slot| F::from_u32(slot.0));
        first.swap_slot = F::from_u32(op.swap.0);
        (first.send_low, first.send_high, first.send_swap) = (F::ONE, F::ONE, F::ONE);
        let second: &mut PairPreprocessed<F> = borrow_mut(second);
        for (k, slot) in op.output_slots() {
            second.slot[k] = F::from_u32(slot.0);
        }
        second.send_low = F::from_bool(op.halves.first());
        second.send_high = F::from_bool(op.halves.second());
    }
    RowMajorMatrix::new(cells, width)
}

/// The constraints and messages of one row of the two-row layout: `local` and `next` are this
/// row's and the next row's main cells of the table, `fixed` this row's preprocessed cells.
pub(super) fn eval_pair<AB: InteractionBuilder>(
    builder: &mut AB,
    local: &[AB::Var],
    next: &[AB::Var],
    fixed: &[AB::Var],
) where
    AB::F: Field,
{
    let fixed: PairPreprocessed<AB::Var> = *borrow(fixed);
    let first: &PairFirstRow<AB::Var> = borrow(local);
    let second: &PairSecondRow<AB::Var> = borrow(next);
    // The pair's permutation columns in Plonky3's compact order: the first row's head, the
    // second row's tail, the output.
    let cells: Vec<AB::Var> = first.head.iter().chain(&second.tail).chain(&second.output).copied().collect();
    debug_assert_eq!(cells.len(), COMPACT_WIDTH);
    let permutation: &PermutationColumns<AB::Var, COMPACT_SBOX_REGISTERS> = cells[..].borrow();

    // (Q1) On the first row of a pair, the pair's cells are one Poseidon2 permutation of its
    // input (P1..P3, compact, over both rows: degree 8 with the selector).
    eval_permutation(&mut builder.when(fixed.first), permutation);
    // (Q2) On a first row, the swap is a bit.
    builder.when(fixed.first).assert_bool(first.swap);
    // (Q3) On a first row, the slots' values are the input, halves exchanged when swapped:
    // values[k] = input[k] + swap (input[k + 8] - input[k]) for k < 8, and the last eight the
    // rest of each exchanged pair, values[k + 8] = input[k] + input[k + 8] - values[k].
    let inputs = &permutation.inputs;
    for k in 0..HALF_WIDTH {
        let (low, high) = (inputs[k].into(), inputs[k + HALF_WIDTH].into());
        let exchanged = first.swap.into() * (high.clone() - low.clone());
        builder.when(fixed.first).assert_eq(first.values[k], low.clone() + exchanged);
        builder
            .when(fixed.first)
            .assert_eq(first.values[k + HALF_WIDTH], low + high - first.values[k].into());
    }
    // (Q4) The selector and the multiplicities are bits; only a first row reads the swap bit,
    // and a first row that does reads all sixteen inputs (fixed by the key; the constraints
    // keep a key from asking for anything else).
    for flag in [fixed.first, fixed.send_low, fixed.send_high, fixed.send_swap] {
        builder.assert_bool(flag);
    }
    builder.assert_zero(fixed.send_swap.into() * (AB::Expr::ONE - fixed.first.into()));
    builder.when(fixed.first).assert_eq(fixed.send_low, fixed.send_swap);
    builder.when(fixed.first).assert_eq(fixed.send_high, fixed.send_swap);
    // (Q5) Message k of a row carries column k at the row's slot k, a base-field element
    // (higher coefficients zero): a first row reads its input slots' values, a second row
    // writes its kept outputs (the multiplicities are zero elsewhere); a first row also reads
    // its swap bit.
    let base = |x: AB::Expr| -> [AB::Expr; 5] {
        [x, AB::Expr::ZERO, AB::Expr::ZERO, AB::Expr::ZERO, AB::Expr::ZERO]
    };
    for k in 0..POSEIDON2_WIDTH {
        let multiplicity = if k < HALF_WIDTH { fixed.send_low } else { fixed.send_high };
        let message = WitnessMessage { index: fixed.slot[k].into(), value: base(first.values[k].into()) };
        send(builder, message, multiplicity);
    }
    let swap = WitnessMessage { index: fixed.swap_slot.into(), value: base(first.swap.into()) };
    send(builder, swap, fixed.send_swap);
}
