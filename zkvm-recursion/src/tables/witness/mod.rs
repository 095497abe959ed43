//! The witness table: [`Lanes::base`](crate::tables::Lanes) base-field slots and
//! [`Lanes::ext`](crate::tables::Lanes) other slots per row. Each lane provides `(id, value)`
//! on the `witness` bus, `id` its slot's witness id (an affine function of the row number),
//! as many times as the other tables read the slot (a preprocessed multiplicity the circuit
//! fixes), a base lane with the value's other four coefficients zero; a constant slot's value
//! equals the constant the verifying key fixes.

mod air;
mod columns;
mod trace;

pub use air::WitnessChip;
pub use columns::{WitnessBaseLane, WitnessFixedLane, WitnessLane, WitnessPreprocessed};
