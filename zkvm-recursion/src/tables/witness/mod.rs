//! The witness table: [`Lanes::witness`](crate::tables::Lanes) slots per row. Each lane provides `(slot, value)` on the
//! `witness` bus with a multiplicity column (how many times the other tables read the slot),
//! and a constant slot's value equals the constant the verifying key fixes.

mod air;
mod columns;
mod trace;

pub use air::WitnessChip;
pub use columns::{WitnessLane, WitnessPreprocessed};
