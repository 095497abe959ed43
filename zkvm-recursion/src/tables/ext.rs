//! Degree-5 extension arithmetic over AIR expressions: an element is its five coefficients,
//! `X^5 = W` with BabyBear's quintic non-residue `W`.

use p3_baby_bear::BabyBear;
use p3_field::extension::BinomiallyExtendable;
use p3_field::{BasedVectorSpace, PrimeCharacteristicRing, PrimeField32};
use zkvm_core::prover::Val;

use crate::circuit::Ext;

/// Coefficients per element.
pub const DEGREE: usize = 5;

/// The coefficients of `value`, coefficient of `X^k` at `k`.
pub fn coefficients(value: Ext) -> [Val; DEGREE] {
    let slice: &[Val] = value.as_basis_coefficients_slice();
    std::array::from_fn(|k| slice[k])
}

/// The product of two elements given by their coefficients (degree 2 in them).
pub fn mul<E: PrimeCharacteristicRing + Clone>(a: &[E; DEGREE], b: &[E; DEGREE]) -> [E; DEGREE] {
    let w = E::from_u32(<BabyBear as BinomiallyExtendable<DEGREE>>::W.as_canonical_u32());
    std::array::from_fn(|k| {
        let mut low = E::ZERO;
        let mut high = E::ZERO;
        for i in 0..DEGREE {
            for j in 0..DEGREE {
                if i + j == k {
                    low += a[i].clone() * b[j].clone();
                } else if i + j == k + DEGREE {
                    high += a[i].clone() * b[j].clone();
                }
            }
        }
        low + w.clone() * high
    })
}
