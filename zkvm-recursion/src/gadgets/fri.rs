//! FRI folding inside a circuit: one arity-2 folding step of a query, as Plonky3's
//! `TwoAdicFriFolding::fold_row`. The two evaluations at the coset `{x, -x}` of the current
//! domain are interpolated at the folding challenge `beta`:
//! `fold = (lo + hi) / 2 + beta (lo - hi) / (2 x)`, with `x = g^rev(index)`, `g` the generator of
//! the domain of size `2^(log_height + 1)` and `rev` the bit reversal over `log_height` bits
//! (domains are stored in bit-reversed order).

use p3_field::{Field, PrimeCharacteristicRing, TwoAdicField};
use p3_util::reverse_bits_len;
use zkvm_core::prover::Val;

use super::powers::pow_by_bits;
use crate::circuit::{CircuitBuilder, Ext, Slot};

/// The point `x = g^rev(index)` of a query whose index has `index_bits` (least significant
/// first, `log_height` of them) on the domain of size `2^(log_height + 1)`.
pub fn query_point(builder: &mut CircuitBuilder, index_bits: &[Slot]) -> Slot {
    let log_height = index_bits.len();
    let generator = Ext::from(Val::two_adic_generator(log_height + 1));
    let reversed: Vec<Slot> = index_bits.iter().rev().copied().collect();
    pow_by_bits(builder, generator, &reversed)
}

/// One arity-2 folding step: `lo` and `hi` are the evaluations at `x` and `-x`, `x` the
/// [`query_point`] of `index_bits`; [`fold_row`] of the pair (five relations after the point).
pub fn fold_arity_two(
    builder: &mut CircuitBuilder,
    index_bits: &[Slot],
    lo: Slot,
    hi: Slot,
    beta: Slot,
) -> Slot {
    let x = query_point(builder, index_bits);
    fold_row(builder, x, &[lo, hi], beta).0
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

/// The folding chain of one query, as Plonky3's `fold_query` with any folding arities: start
/// from the reduced opening of the tallest height; each round requires the value carried so far
/// to sit in the round's opened row at the index's next `log_arity` bits
/// ([`select_by_bits`]), folds the whole row at the round's challenge ([`fold_row`]), and adds
/// `beta^arity` times the reduced opening of the new height if there is one.
///
/// `index_bits` are the query index's bits (least significant first, one per level of the
/// tallest domain), `domain_point` the query's [`domain_point`] for those bits, `reduced` the
/// reduced openings by log height, tallest first (the first at `index_bits.len()`), `betas` one
/// challenge per round and `rows` each round's opened row (`2^log_arity` values, the caller
/// checks them against the round's commitment). Returns the evaluation folded down to the
/// final height, which the caller compares with the final polynomial.
///
/// The query's point on each round's domain is the domain point squared once per level
/// folded so far; the row's coset follows from it and the round's index bits
/// ([`coset_start`]).
pub fn fold_chain(
    builder: &mut CircuitBuilder,
    index_bits: &[Slot],
    domain_point: Slot,
    reduced: &[(usize, Slot)],
    betas: &[Slot],
    rows: &[Vec<Slot>],
) -> Slot {
    let log_max = index_bits.len();
    assert_eq!(reduced.first().map(|r| r.0), Some(log_max), "the tallest reduced opening starts the chain");
    assert_eq!(betas.len(), rows.len(), "a challenge per round");
    let mut folded = reduced[0].1;
    let mut pending = reduced[1..].iter().peekable();
    let mut point = domain_point;
    let mut consumed = 0;
    for (round, (&beta, row)) in betas.iter().zip(rows).enumerate() {
        let log_arity = row.len().trailing_zeros() as usize;
        assert!(row.len().is_power_of_two() && log_arity >= 1, "a row of 2, 4, 8, ... values");
        assert!(consumed + log_arity <= log_max, "no round folds below the tallest domain's size 1");
        let group_bits = &index_bits[consumed..consumed + log_arity];
        // The value carried so far is the row's entry at the index's low bits.
        let carried = select_by_bits(builder, group_bits, row);
        builder.assert_eq(carried, folded);
        let start = coset_start(builder, point, group_bits);
        let (value, last_beta_power) = fold_row(builder, start, row, beta);
        folded = value;
        consumed += log_arity;
        if let Some(&(_, opening)) = pending.next_if(|(h, _)| *h == log_max - consumed) {
            // Rolled in with beta^arity, the square of the last level's power.
            let beta_power = builder.mul(last_beta_power, last_beta_power);
            folded = builder.mul_add(beta_power, opening, folded);
        }
        if round + 1 < rows.len() {
            for _ in 0..log_arity {
                point = builder.mul(point, point);
            }
        }
    }
    assert!(pending.next().is_none(), "every reduced opening is rolled in");
    folded
}

/// The entry of `row` (`2^k` values) at the index `sum_j bits[j] 2^j` of the `k` bit slots
/// (each constrained elsewhere to be a bit): a tree of selections, the least significant bit
/// choosing within adjacent pairs, two relations per selection (`2^k - 1` of them).
pub fn select_by_bits(builder: &mut CircuitBuilder, bits: &[Slot], row: &[Slot]) -> Slot {
    assert_eq!(row.len(), 1 << bits.len(), "one value per index");
    let mut level = row.to_vec();
    for &bit in bits {
        level = level
            .chunks_exact(2)
            .map(|pair| {
                let difference = builder.sub(pair[1], pair[0]);
                builder.mul_add(bit, difference, pair[0])
            })
            .collect();
    }
    level[0]
}

/// The first point of the coset a FRI round folds: a row of `2^k` evaluations (`k` =
/// `bits.len()`, the index's next bits) sits at `s w^rev(j)` for `j < 2^k`, with `w` the
/// generator of order `2^k` and `rev` the bit reversal over `k` bits (Plonky3's `fold_row`),
/// and the query's own point `point` is entry `t` of the row (`t` the bits' value), so
/// `s = point (w^-1)^rev(t)`: a power of `w^-1` by the bits reversed ([`pow_by_bits`]) and one
/// product, two relations per bit.
pub fn coset_start(builder: &mut CircuitBuilder, point: Slot, bits: &[Slot]) -> Slot {
    let inverse_generator = Ext::from(Val::two_adic_generator(bits.len()).inverse());
    let reversed: Vec<Slot> = bits.iter().rev().copied().collect();
    let rotation = pow_by_bits(builder, inverse_generator, &reversed);
    builder.mul(point, rotation)
}

/// A row of `2^k` evaluations on the coset `s w^rev(j)` (see [`coset_start`]) folded at `beta`
/// to one value: Plonky3's `fold_row`, written as its `k` arity-2 levels (its `fold_matrix`):
/// level `l` folds adjacent pairs at `beta^(2^l)`, pair `j` of a level of `2^m` values sitting
/// at `x_j = p w_m^rev(j)` and `-x_j` (`p = s^(2^l)`, `w_m` of order `2^m`, `rev` over `m - 1`
/// bits), into `hi + (lo - hi) (1/2 + beta^(2^l) / (2 x_j))`. A level pays for
/// `beta^(2^l) / (2 p)` once (two relations) and three relations per pair. Returns the folded
/// value and the last level's power of `beta`.
pub fn fold_row(builder: &mut CircuitBuilder, start: Slot, row: &[Slot], beta: Slot) -> (Slot, Slot) {
    assert!(row.len().is_power_of_two() && row.len() >= 2, "a row of 2, 4, 8, ... values");
    let half = builder.constant(Ext::from(Val::ONE.halve()));
    let mut values = row.to_vec();
    let mut point = start;
    let mut beta_power = beta;
    loop {
        let log_len = values.len().trailing_zeros() as usize;
        let two_point = builder.add(point, point);
        let scaled = builder.div(beta_power, two_point);
        let inverse_generator = Val::two_adic_generator(log_len).inverse();
        values = values
            .chunks_exact(2)
            .enumerate()
            .map(|(j, pair)| {
                // 1 / (2 x_j) = (1 / (2 p)) w_m^-rev(j).
                let rotation = inverse_generator.exp_u64(reverse_bits_len(j, log_len - 1) as u64);
                let rotation = builder.constant(Ext::from(rotation));
                let weight = builder.mul_add(scaled, rotation, half);
                let difference = builder.sub(pair[0], pair[1]);
                builder.mul_add(difference, weight, pair[1])
            })
            .collect();
        if values.len() == 1 {
            return (values[0], beta_power);
        }
        point = builder.mul(point, point);
        beta_power = builder.mul(beta_power, beta_power);
    }
}
