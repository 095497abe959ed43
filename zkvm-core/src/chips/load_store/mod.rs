//! The load/store chip: `lb lh lw lbu lhu sb sh sw`, one row per instruction, received from the
//! CPU on the `execute` bus. Each row makes one access to a RAM word through the memory
//! argument: loads read it, stores rewrite the bytes they cover.
//!
//! See README.md beside this file for the columns, constraints and interactions.

mod air;
mod columns;

pub use air::{LOAD_STORE_OPCODES, LoadStoreChip};
pub use columns::LoadStoreColumns;
