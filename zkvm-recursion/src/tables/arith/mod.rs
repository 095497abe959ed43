//! The arithmetic table: [`Lanes::arith`](crate::tables::Lanes) relations per row over the degree-5 extension, each
//! `a + b = out`, `a * b = out` or `a * b + c = out`, reading its slots (`c` only for a
//! multiply-add) from the `witness` bus.

mod air;
mod columns;
mod trace;

pub use air::ArithChip;
pub use columns::{ArithFixedLane, ArithLane};
