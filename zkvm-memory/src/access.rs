//! One timestamped access to a memory cell, as a gadget inside the chip that makes it.

use p3_field::{Field, PrimeCharacteristicRing};
use p3_lookup::InteractionBuilder;
use zkvm_bus::{ByteMessage, MemoryMessage, Range16Message, receive, send};

/// The auxiliary columns of one access, embedded in the accessing chip's column struct.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AccessColumns<T> {
    /// Timestamp of the previous access to the cell (0 for the segment's initial state).
    pub prev_timestamp: T,
    /// Low 16 bits of `timestamp - prev_timestamp - 1`.
    pub diff_lo: T,
    /// High 8 bits of `timestamp - prev_timestamp - 1`.
    pub diff_hi: T,
}

impl<T> AccessColumns<T> {
    /// Column names, prefixed with `prefix`.
    pub fn names(prefix: &str) -> Vec<String> {
        ["prev_timestamp", "diff_lo", "diff_hi"].iter().map(|n| format!("{prefix}.{n}")).collect()
    }
}

/// The constraints and interactions of one access to cell `(space, address)` at `timestamp`,
/// which finds `prev_value` there and leaves `value` (equal to `prev_value` for a read).
///
/// `selector` says whether the access happens on this row; it must be boolean.
///
/// - (A1) `selector * (timestamp - prev_timestamp - 1 - diff_lo - 2^16 diff_hi) = 0`;
/// - (A2) `diff_lo` is range-checked to 16 bits (`range16` bus) and (A3) `diff_hi` to 8 bits
///   (`byte` bus, range operation): together `prev_timestamp < timestamp < prev_timestamp + 2^24`,
///   so every access is strictly after the one it follows;
/// - (A4) receive `(space, address, prev_value, prev_timestamp)` and (A5) send
///   `(space, address, value, timestamp)` on the `memory` bus.
#[allow(clippy::too_many_arguments)]
pub fn eval_access<AB>(
    builder: &mut AB,
    space: AB::Expr,
    address: AB::Expr,
    prev_value: [AB::Expr; 4],
    value: [AB::Expr; 4],
    timestamp: AB::Expr,
    aux: &AccessColumns<AB::Var>,
    selector: AB::Expr,
) where
    AB: InteractionBuilder,
    AB::F: Field,
{
    let difference = timestamp.clone() - aux.prev_timestamp.into() - AB::Expr::ONE;
    let limbs = aux.diff_lo.into() + aux.diff_hi.into() * AB::Expr::from_u32(1 << 16);
    // (A1) The difference limbs recompose timestamp - prev_timestamp - 1.
    builder.assert_zero(selector.clone() * (difference - limbs));
    // (A2) 16-bit low limb.
    send(builder, Range16Message { value: aux.diff_lo.into() }, selector.clone());
    // (A3) 8-bit high limb (the range operation checks both operands; the second is 0).
    send(builder, ByteMessage::range(aux.diff_hi.into(), AB::Expr::ZERO), selector.clone());
    // (A4) Take the cell's previous state off the bus.
    let previous = MemoryMessage {
        space: space.clone(),
        address: address.clone(),
        value: prev_value,
        timestamp: aux.prev_timestamp.into(),
    };
    receive(builder, previous, selector.clone());
    // (A5) Put its new state back.
    send(builder, MemoryMessage { space, address, value, timestamp }, selector);
}

/// Fills the auxiliary columns of an access at `timestamp` following one at `prev_timestamp`;
/// returns the `(diff_lo, diff_hi)` limbs, which the caller records as range-check queries.
pub fn fill_access<F: PrimeCharacteristicRing>(
    aux: &mut AccessColumns<F>,
    prev_timestamp: u32,
    timestamp: u32,
) -> (u32, u32) {
    assert!(prev_timestamp < timestamp, "access at {timestamp} does not follow {prev_timestamp}");
    let difference = timestamp - prev_timestamp - 1;
    assert!(difference < 1 << 24, "timestamp difference {difference} exceeds 24 bits");
    let (lo, hi) = (difference & 0xffff, difference >> 16);
    aux.prev_timestamp = F::from_u32(prev_timestamp);
    aux.diff_lo = F::from_u32(lo);
    aux.diff_hi = F::from_u32(hi);
    (lo, hi)
}
