//! Powers of a fixed element by an exponent given in bits: the evaluation point of a FRI query
//! is a power of the domain's generator by the query index.

use p3_field::PrimeCharacteristicRing;

use crate::circuit::{CircuitBuilder, Ext, Slot};

/// `base^e` where `e = sum_i bits[i] 2^i` (each slot constrained elsewhere to be a bit):
/// the product over `i` of `1 + bits[i] (base^(2^i) - 1)`, two relations per bit (a
/// multiply-add for the factor, a product), the first factor taken as it is.
pub fn pow_by_bits(builder: &mut CircuitBuilder, base: Ext, bits: &[Slot]) -> Slot {
    let one = builder.constant(Ext::ONE);
    let mut result: Option<Slot> = None;
    let mut square = base;
    for &bit in bits {
        let step = builder.constant(square - Ext::ONE);
        let factor = builder.mul_add(bit, step, one);
        result = Some(match result {
            None => factor,
            Some(product) => builder.mul(product, factor),
        });
        square = square.square();
    }
    result.unwrap_or(one)
}

/// `value` if `bit` is 0 and `-value` if it is 1 (`bit` constrained elsewhere to be a bit):
/// `value - 2 bit value`, two relations.
pub fn negate_if(builder: &mut CircuitBuilder, bit: Slot, value: Slot) -> Slot {
    let minus_two = builder.constant(-Ext::TWO);
    let product = builder.mul(bit, value);
    builder.mul_add(product, minus_two, value)
}
