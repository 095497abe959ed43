//! The Poseidon2 table: one row per permutation of sixteen base-field slots, checked by the
//! Poseidon2 round constraints shared with the memory Merkle chip, reading its input slots and
//! writing its output slots on the `witness` bus as base-field elements.

mod air;
mod columns;

pub use air::Poseidon2Chip;
pub use columns::{Poseidon2Columns, Poseidon2Preprocessed};
