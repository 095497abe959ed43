//! The program table: the program's instructions as a preprocessed trace, answering every
//! instruction fetch on the `program` bus. Because the table is preprocessed, it is part of the
//! verifying key: a proof made for one program does not verify for another.
//!
//! See README.md beside this file for the columns, constraints and interactions.

mod air;
mod columns;
#[cfg(test)]
mod tests;
mod trace;

pub use air::{FetchRow, ProgramChip, ProgramError, fetch_row};
pub use columns::{ProgramColumns, ProgramPreprocessed};
pub use trace::FetchCounts;
