//! The public-input table: one real row holding every public input, equal to the proof's
//! public values; it writes public input `k` to slot `k`.

mod air;

pub use air::PublicChip;
