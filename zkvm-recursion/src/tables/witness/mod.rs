//! The witness table: [`Lanes::witness`](crate::tables::Lanes) slots per row. Each lane provides `(slot, value)` on the
//! `witness` bus as many times as the other tables read the slot (a preprocessed multiplicity
//! the circuit fixes), and a constant slot's value equals the constant the verifying key fixes.

mod air;
mod columns;
mod trace;

pub use air::WitnessChip;
pub use columns::{WitnessFixedLane, WitnessLane, WitnessPreprocessed};
