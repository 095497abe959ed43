//! FRI folding inside a circuit: one arity-2 folding step of a query, as Plonky3's
//! `TwoAdicFriFolding::fold_row`. The two evaluations at the coset `{x, -x}` of the current
//! domain are interpolated at the folding challenge `beta`:
//! `fold = (lo + hi) / 2 + beta (lo - hi) / (2 x)`, with `x = g^rev(index)`, `g` the generator of
//! the domain of size `2^(log_height + 1)` and `rev` the bit reversal over `log_height` bits
//! (domains are stored in bit-reversed order).

use p3_field::{PrimeCharacteristicRing, TwoAdicField};
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

/// One arity-2 folding step: `lo` and `hi` are the evaluations at `x` and `-x`.
pub fn fold_arity_two(
    builder: &mut CircuitBuilder,
    index_bits: &[Slot],
    lo: Slot,
    hi: Slot,
    beta: Slot,
) -> Slot {
    let x = query_point(builder, index_bits);
    let half = builder.constant(Ext::from(Val::ONE.halve()));
    let sum = builder.add(lo, hi);
    let mean = builder.mul(sum, half);
    let difference = builder.sub(lo, hi);
    let scaled = builder.mul(difference, beta);
    let two_x = builder.add(x, x);
    let slope = builder.div(scaled, two_x);
    builder.add(mean, slope)
}
