//! Powers of a fixed element by an exponent given in bits: the evaluation point of a FRI query
//! is a power of the domain's generator by the query index.

use p3_field::PrimeCharacteristicRing;

use crate::circuit::{CircuitBuilder, Ext, Slot};

/// `base^e` where `e = sum_i bits[i] 2^i` (each slot constrained elsewhere to be a bit):
/// the product over `i` of `1 + bits[i] (base^(2^i) - 1)`.
pub fn pow_by_bits(builder: &mut CircuitBuilder, base: Ext, bits: &[Slot]) -> Slot {
    let one = builder.constant(Ext::ONE);
    let mut result = one;
    let mut square = base;
    for &bit in bits {
        let step = builder.constant(square - Ext::ONE);
        let scaled = builder.mul(bit, step);
        let factor = builder.add(scaled, one);
        result = builder.mul(result, factor);
        square = square.square();
    }
    result
}
