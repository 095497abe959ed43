//! The public-input table: on its one real row it writes public input `k` (the proof's public
//! values `5k .. 5k + 5`) to slot `k`; its trace holds nothing but a zero column.

mod air;

pub use air::{PUBLIC_TABLE_HEIGHT, PublicChip};
