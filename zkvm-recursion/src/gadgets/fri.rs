//! FRI folding inside a circuit: one arity-2 folding step of a query, as Plonky3's
//! `TwoAdicFriFolding::fold_row`. The two evaluations at the coset `{x, -x}` of the current
//! domain are interpolated at the folding challenge `beta`:
//! `fold = (lo + hi) / 2 + beta (lo - hi) / (2 x)`, with `x = g^rev(index)`, `g` the generator of
//! the domain of size `2^(log_height + 1)` and `rev` the bit reversal over `log_height` bits
//! (domains are stored in bit-reversed order).

use p3_field::{Field, PrimeCharacteristicRing, TwoAdicField};
use zkvm_core::prover::Val;

use super::powers::{negate_if, pow_by_bits};
use crate::circuit::{CircuitBuilder, Ext, Slot};

/// The point `x = g^rev(index)` of a query whose index has `index_bits` (least significant
/// first, `log_height` of them) on the domain of size `2^(log_height + 1)`.
pub fn query_point(builder: &mut CircuitBuilder, index_bits: &[Slot]) -> Slot {
    let log_height = index_bits.len();
    let generator = Ext::from(Val::two_adic_generator(log_height + 1));
    let reversed: Vec<Slot> = index_bits.iter().rev().copied().collect();
    pow_by_bits(builder, generator, &reversed)
}

/// One arity-2 folding step: `lo` and `hi` are the evaluations at `x` and `-x`.
pub fn fold_arity_two(
    builder: &mut CircuitBuilder,
    index_bits: &[Slot],
    lo: Slot,
    hi: Slot,
    beta: Slot,
) -> Slot {
    let x = query_point(builder, index_bits);
    fold_at(builder, x, lo, hi, beta)
}

/// [`fold_arity_two`] at the point `x` (nonzero): `(lo + hi) / 2 + beta (lo - hi) / (2 x)`
/// written as `hi + (lo - hi) (x + beta) / (2 x)`, five relations.
fn fold_at(builder: &mut CircuitBuilder, x: Slot, lo: Slot, hi: Slot, beta: Slot) -> Slot {
    let difference = builder.sub(lo, hi);
    let numerator = builder.add(x, beta);
    let two_x = builder.add(x, x);
    let weight = builder.div(numerator, two_x);
    builder.mul_add(difference, weight, hi)
}

/// The point of a query on the tallest domain, before the coset shift: `g^rev(index)` with `g`
/// the generator of the subgroup of size `2^log_max` and `rev` the bit reversal over the
/// `log_max` bits of `index_bits` (least significant first). Every point a query needs follows
/// from it by squarings and sign changes ([`input_point_from`], [`fold_chain`]), so a query
/// pays for one power by bits.
pub fn domain_point(builder: &mut CircuitBuilder, index_bits: &[Slot]) -> Slot {
    let generator = Ext::from(Val::two_adic_generator(index_bits.len()));
    let reversed: Vec<Slot> = index_bits.iter().rev().copied().collect();
    pow_by_bits(builder, generator, &reversed)
}

/// The point of a query on an input matrix of `2^log_height` rows (after blowup): the coset
/// `GENERATOR * <g>` of that size in bit-reversed order, at the query index shifted down to the
/// matrix's height, `x = GENERATOR * g^rev(index >> (log_max - log_height))` as Plonky3's
/// `open_inputs` computes it. `index_bits` has `log_max` bits, least significant first.
pub fn input_point(builder: &mut CircuitBuilder, index_bits: &[Slot], log_height: usize) -> Slot {
    let log_max = index_bits.len();
    let point = domain_point(builder, index_bits);
    input_point_from(builder, point, log_max, log_height)
}

/// [`input_point`] from the query's [`domain_point`] on the domain of `2^log_max` points: the
/// unshifted point on the smaller subgroup is that point to the power `2^(log_max -
/// log_height)` (the low bits the shift drops go to the top of the reversed index, a multiple
/// of the smaller subgroup's order), then the coset shift.
pub fn input_point_from(
    builder: &mut CircuitBuilder,
    domain_point: Slot,
    log_max: usize,
    log_height: usize,
) -> Slot {
    assert!(log_height <= log_max, "a matrix is at most as tall as the tallest");
    let mut power = domain_point;
    for _ in log_height..log_max {
        power = builder.mul(power, power);
    }
    let shift = builder.constant(Ext::from(Val::GENERATOR));
    builder.mul(power, shift)
}

/// `1, alpha, ..., alpha^(n-1)`.
pub fn powers(builder: &mut CircuitBuilder, alpha: Slot, n: usize) -> Vec<Slot> {
    let mut powers = Vec::with_capacity(n);
    let mut current = builder.constant(Ext::ONE);
    for _ in 0..n {
        powers.push(current);
        current = builder.mul(current, alpha);
    }
    powers
}

/// `sum_i alpha_powers[i] values[i]`: a row or a claim combined with powers of alpha.
pub fn alpha_combination(builder: &mut CircuitBuilder, alpha_powers: &[Slot], values: &[Slot]) -> Slot {
    assert!(alpha_powers.len() >= values.len(), "a power per value");
    // One multiply-add relation per value after the first product.
    let mut terms = alpha_powers.iter().zip(values);
    let Some((&power, &value)) = terms.next() else {
        return builder.zero();
    };
    let mut sum = builder.mul(power, value);
    for (&power, &value) in terms {
        sum = builder.mul_add(power, value, sum);
    }
    sum
}

/// One opening point's share of a reduced opening: the quotient
/// `(sum_i alpha^(offset+i) p_i(z) - sum_i alpha^(offset+i) p_i(x)) / (z - x)`, where `row` holds
/// the opened values `p_i(x)` and `claimed` the values `p_i(z)` the proof claims, and
/// `alpha_powers` are the powers from `offset` on (the ladder position of this opening among all
/// openings of matrices of the same height, as in Plonky3's `open_inputs`).
pub fn opening_quotient(
    builder: &mut CircuitBuilder,
    alpha_powers: &[Slot],
    row: &[Slot],
    claimed: &[Slot],
    z: Slot,
    x: Slot,
) -> Slot {
    assert_eq!(row.len(), claimed.len(), "a claim per opened value");
    let at_z = alpha_combination(builder, alpha_powers, claimed);
    let at_x = alpha_combination(builder, alpha_powers, row);
    quotient_of_combinations(builder, at_z, at_x, z, x)
}

/// `(at_z - at_x) / (z - x)`: one opening point's share of a reduced opening from the claims'
/// and the opened row's combinations with the same powers of alpha.
pub fn quotient_of_combinations(
    builder: &mut CircuitBuilder,
    at_z: Slot,
    at_x: Slot,
    z: Slot,
    x: Slot,
) -> Slot {
    let numerator = builder.sub(at_z, at_x);
    let denominator = builder.sub(z, x);
    builder.div(numerator, denominator)
}

/// The folding chain of one query (arity 2 every round), as Plonky3's `fold_query`: start from
/// the reduced opening of the tallest height, fold with each round's sibling and challenge, and
/// after each fold add `beta^2` times the reduced opening of the new height if there is one.
/// `index_bits` are the query index's bits (least significant first, one per level of the
/// tallest domain), `domain_point` the query's [`domain_point`] for those bits, `reduced` the
/// reduced openings by log height, tallest first (the first at `index_bits.len()`), `betas` and
/// `siblings` one per round. Returns the folded evaluation at the final height, which the caller
/// compares with the final polynomial, and each round's opened pair, which the caller checks
/// against that round's commitment.
///
/// Round `r` folds at [`query_point`] of the bits above bit `r`. With `b` the index's bit `r`
/// (`r + 1` for the next round), that point is `(-1)^b` times the domain point for `r = 0`, and
/// `(-1)^b` times the square of round `r`'s point for round `r + 1` (the reversed index loses
/// its top bit, worth a square root of -1 on the larger subgroup): three relations per round
/// instead of a power by the remaining bits.
pub fn fold_chain(
    builder: &mut CircuitBuilder,
    index_bits: &[Slot],
    domain_point: Slot,
    reduced: &[(usize, Slot)],
    betas: &[Slot],
    siblings: &[Slot],
) -> FoldedQuery {
    let log_max = index_bits.len();
    assert_eq!(reduced.first().map(|r| r.0), Some(log_max), "the tallest reduced opening starts the chain");
    assert_eq!(betas.len(), siblings.len());
    assert!(betas.len() <= log_max, "a round per level at most");
    let mut folded = reduced[0].1;
    let mut rows = Vec::with_capacity(betas.len());
    let mut pending = reduced[1..].iter().peekable();
    let mut x = negate_if(builder, index_bits[0], domain_point);
    for (round, (&beta, &sibling)) in betas.iter().zip(siblings).enumerate() {
        if round > 0 {
            let square = builder.mul(x, x);
            x = negate_if(builder, index_bits[round], square);
        }
        // The queried evaluation sits at the index's low bit within its pair.
        let (lo, hi) = builder.swap(index_bits[round], folded, sibling);
        rows.push([lo, hi]);
        folded = fold_at(builder, x, lo, hi, beta);
        let log_height = log_max - round - 1;
        if let Some(&(_, opening)) = pending.next_if(|(h, _)| *h == log_height) {
            let beta_squared = builder.mul(beta, beta);
            let term = builder.mul(beta_squared, opening);
            folded = builder.add(folded, term);
        }
    }
    assert!(pending.next().is_none(), "every reduced opening is rolled in");
    FoldedQuery { value: folded, rows }
}

/// A query's folding chain in slots.
#[derive(Clone, Debug)]
pub struct FoldedQuery {
    /// The evaluation folded down to the final height.
    pub value: Slot,
    /// Each round's opened pair: the evaluations at `x` and `-x` of that round's codeword, as the
    /// round's commitment holds them (one row of width 2 at the index with its low bit dropped).
    pub rows: Vec<[Slot; 2]>,
}
