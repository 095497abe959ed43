//! The Poseidon2 table: one row per permutation of sixteen base-field slots, checked by the
//! Poseidon2 round constraints shared with the memory Merkle chip, reading its input slots and
//! its swap bit and writing its output slots on the `witness` bus as base-field elements. A row
//! whose swap bit is 1 permutes the slots' values with their halves exchanged: a Merkle path
//! step orders its two children by the index bit inside the row.
//!
//! The table has three layouts ([`Poseidon2Layout`]): one row per permutation with an S-box
//! register (degree 3, every node circuit) or without (degree 7), and the compact permutation
//! over two rows (degree 8, the final circuit when its rate leaves room for the larger
//! quotient).

mod air;
mod columns;
mod pair;

pub use air::Poseidon2Chip;
pub use columns::{
    HALF_WIDTH, PAIR_HEAD, PAIR_TAIL, PairFirstRow, PairPreprocessed, PairSecondRow, Poseidon2Columns,
    Poseidon2Layout, Poseidon2Preprocessed,
};
