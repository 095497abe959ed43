//! One Poseidon2 permutation (BabyBear, width 16) as AIR constraints over Plonky3's column
//! layout, so that a chip can embed permutations in its rows.
//!
//! The columns are `p3_poseidon2_air::Poseidon2Cols` (inputs, then per round the S-box
//! registers and the state after the round); trace rows are filled by Plonky3's
//! `generate_trace_rows`. The constraints are ours because Plonky3 evaluates its
//! permutation only over a whole row: they are the same round function, checked against the
//! native permutation by the tests.
//!
//! Two layouts exist, by the number of S-box registers `REGISTERS`:
//! - [`SBOX_REGISTERS`] (1): each S-box commits `x^3`, so every constraint has degree 3
//!   (298 columns). The memory Merkle chip and the leaf and internal recursion circuits use it.
//! - [`COMPACT_SBOX_REGISTERS`] (0): no register, `x^7` directly, degree-7 constraints (157
//!   columns). Its quotient takes 8 chunks, so it only suits proofs at rate 1/8 or lower.

use p3_air::AirBuilder;
use p3_baby_bear::{
    BABYBEAR_POSEIDON2_PARTIAL_ROUNDS_16, BABYBEAR_POSEIDON2_RC_16_EXTERNAL_FINAL,
    BABYBEAR_POSEIDON2_RC_16_EXTERNAL_INITIAL, BABYBEAR_POSEIDON2_RC_16_INTERNAL, BabyBear,
    GenericPoseidon2LinearLayersBabyBear,
};
use p3_field::{PrimeCharacteristicRing, PrimeField32};
use p3_matrix::dense::RowMajorMatrix;
use p3_poseidon2::GenericPoseidon2LinearLayers;
use p3_poseidon2_air::{FullRound, PartialRound, Poseidon2Cols, RoundConstants, generate_trace_rows};

/// Width of the permutation.
pub const WIDTH: usize = 16;
/// Degree of the S-box `x^7`.
const SBOX_DEGREE: u64 = 7;
/// Committed S-box intermediates (`x^3`) of the default layout, which keep the constraints at
/// degree 3.
pub const SBOX_REGISTERS: usize = 1;
/// S-box intermediates of the compact layout: none, so the constraints have degree 7.
pub const COMPACT_SBOX_REGISTERS: usize = 0;
/// Full rounds before and after the partial rounds.
const HALF_FULL_ROUNDS: usize = 4;
/// Partial rounds.
const PARTIAL_ROUNDS: usize = BABYBEAR_POSEIDON2_PARTIAL_ROUNDS_16;

/// The columns of one permutation with `REGISTERS` committed S-box intermediates (1 or 0).
pub type PermutationColumns<T, const REGISTERS: usize = SBOX_REGISTERS> =
    Poseidon2Cols<T, WIDTH, SBOX_DEGREE, REGISTERS, HALF_FULL_ROUNDS, PARTIAL_ROUNDS>;

/// Number of columns of one permutation in the default layout.
pub const PERMUTATION_WIDTH: usize = permutation_width::<SBOX_REGISTERS>();

/// Number of columns of one permutation with `REGISTERS` S-box intermediates.
pub const fn permutation_width<const REGISTERS: usize>() -> usize {
    p3_poseidon2_air::num_cols::<WIDTH, SBOX_DEGREE, REGISTERS, HALF_FULL_ROUNDS, PARTIAL_ROUNDS>()
}

type LinearLayers = GenericPoseidon2LinearLayersBabyBear;

/// The permutation's output: the state after the last full round.
pub fn output<T: Copy, const REGISTERS: usize>(columns: &PermutationColumns<T, REGISTERS>) -> [T; WIDTH] {
    columns.ending_full_rounds[HALF_FULL_ROUNDS - 1].post
}

/// Column names of one permutation with `REGISTERS` S-box intermediates, prefixed by
/// `prefix`, in layout order.
pub fn column_names<const REGISTERS: usize>(prefix: &str) -> Vec<String> {
    const { assert!(REGISTERS <= 1, "a permutation has 0 or 1 S-box register") };
    let mut names: Vec<String> = (0..WIDTH).map(|i| format!("{prefix}.input[{i}]")).collect();
    let full = |names: &mut Vec<String>, part: &str, round: usize| {
        if REGISTERS == 1 {
            names.extend((0..WIDTH).map(|i| format!("{prefix}.{part}[{round}].x3[{i}]")));
        }
        names.extend((0..WIDTH).map(|i| format!("{prefix}.{part}[{round}].post[{i}]")));
    };
    for round in 0..HALF_FULL_ROUNDS {
        full(&mut names, "first_full", round);
    }
    for round in 0..PARTIAL_ROUNDS {
        if REGISTERS == 1 {
            names.push(format!("{prefix}.partial[{round}].x3"));
        }
        names.push(format!("{prefix}.partial[{round}].post"));
    }
    for round in 0..HALF_FULL_ROUNDS {
        full(&mut names, "last_full", round);
    }
    names
}

/// A BabyBear constant as a constant of the builder's field.
fn constant<F: PrimeCharacteristicRing>(value: BabyBear) -> F {
    F::from_u32(value.as_canonical_u32())
}

/// The S-box `x^7` of `x`: with a register, the committed `x3 = x^3` is constrained and
/// `x3^2 * x` returned (degree 3); without, `x^7` itself (degree 7).
fn sbox<AB: AirBuilder, const REGISTERS: usize>(
    builder: &mut AB,
    x: AB::Expr,
    registers: &[AB::Var; REGISTERS],
) -> AB::Expr {
    const { assert!(REGISTERS <= 1, "a permutation has 0 or 1 S-box register") };
    match registers.first() {
        Some(&x3) => {
            // (P1) The committed register is the cube of the S-box input.
            builder.assert_eq(x3, x.clone().cube());
            x3.into().square() * x
        }
        // Compact layout: no register, so nothing to constrain here; x^7 enters the round's
        // committed-state constraint (P2, P3) directly, at degree 7.
        None => x.exp_const_u64::<{ SBOX_DEGREE }>(),
    }
}

/// Constraints of one full round: round constants, S-box on every element, external linear
/// layer, and the committed state equal to the result.
fn full_round<AB: AirBuilder, const REGISTERS: usize>(
    builder: &mut AB,
    state: &mut [AB::Expr; WIDTH],
    round: &FullRound<AB::Var, WIDTH, SBOX_DEGREE, REGISTERS>,
    constants: &[BabyBear; WIDTH],
) {
    for (i, element) in state.iter_mut().enumerate() {
        let x = element.clone() + constant::<AB::F>(constants[i]);
        *element = sbox(builder, x, &round.sbox[i].0);
    }
    LinearLayers::external_linear_layer(state);
    for (element, &post) in state.iter_mut().zip(&round.post) {
        // (P2) The committed state after the round is the round function's output.
        builder.assert_eq(element.clone(), post);
        *element = post.into();
    }
}

/// Constraints of one partial round: the S-box on the first element only, then the internal
/// linear layer.
fn partial_round<AB: AirBuilder, const REGISTERS: usize>(
    builder: &mut AB,
    state: &mut [AB::Expr; WIDTH],
    round: &PartialRound<AB::Var, SBOX_DEGREE, REGISTERS>,
    constant_0: BabyBear,
) {
    let x = state[0].clone() + constant::<AB::F>(constant_0);
    let y = sbox(builder, x, &round.sbox.0);
    // (P3) The committed S-box output of the partial round is x^7.
    builder.assert_eq(y, round.post_sbox);
    state[0] = round.post_sbox.into();
    LinearLayers::internal_linear_layer(state);
}

/// Constrains `columns` to hold one evaluation of the Poseidon2 permutation (BabyBear, width
/// 16, the constants of `p3_baby_bear::default_babybear_poseidon2_16`) on `columns.inputs`;
/// every constraint has degree at most 3 with one S-box register, 7 without. The output is
/// [`output`].
pub fn eval_permutation<AB: AirBuilder, const REGISTERS: usize>(
    builder: &mut AB,
    columns: &PermutationColumns<AB::Var, REGISTERS>,
) {
    let mut state: [AB::Expr; WIDTH] = columns.inputs.map(Into::into);
    LinearLayers::external_linear_layer(&mut state);
    for (round, constants) in
        columns.beginning_full_rounds.iter().zip(&BABYBEAR_POSEIDON2_RC_16_EXTERNAL_INITIAL)
    {
        full_round(builder, &mut state, round, constants);
    }
    for (round, &constant_0) in columns.partial_rounds.iter().zip(&BABYBEAR_POSEIDON2_RC_16_INTERNAL) {
        partial_round(builder, &mut state, round, constant_0);
    }
    for (round, constants) in columns.ending_full_rounds.iter().zip(&BABYBEAR_POSEIDON2_RC_16_EXTERNAL_FINAL)
    {
        full_round(builder, &mut state, round, constants);
    }
}

/// The trace rows of the permutations of `inputs` with `REGISTERS` S-box intermediates (one row
/// of [`permutation_width`] cells per input, in order; the number of inputs must be a power of
/// two).
pub fn permutation_rows<const REGISTERS: usize>(inputs: Vec<[BabyBear; WIDTH]>) -> RowMajorMatrix<BabyBear> {
    let constants = RoundConstants::<BabyBear, WIDTH, HALF_FULL_ROUNDS, PARTIAL_ROUNDS>::new(
        BABYBEAR_POSEIDON2_RC_16_EXTERNAL_INITIAL,
        BABYBEAR_POSEIDON2_RC_16_INTERNAL,
        BABYBEAR_POSEIDON2_RC_16_EXTERNAL_FINAL,
    );
    generate_trace_rows::<
        BabyBear,
        LinearLayers,
        WIDTH,
        SBOX_DEGREE,
        REGISTERS,
        HALF_FULL_ROUNDS,
        PARTIAL_ROUNDS,
    >(inputs, &constants, 0)
}
