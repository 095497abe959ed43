//! The public table: the values the verifier knows. On its first row it writes public input
//! `k` (the proof's public values `5k .. 5k + 5`) to slot `k`; on row `r` it writes the
//! circuit's `r`-th constant, which the verifying key fixes, to its slot. Its trace holds
//! nothing but a zero column.

mod air;
mod columns;

pub use air::{MAX_CONSTANTS, PUBLIC_TABLE_HEIGHT, PublicChip};
pub use columns::PublicPreprocessed;
