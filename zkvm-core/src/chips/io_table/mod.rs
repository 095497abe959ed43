//! The io table: the statement's input (by words) and public output (by bytes) as a
//! preprocessed trace. The verifier rebuilds it from the input and output it is shown, so a
//! proof only verifies for the input its guest read and the output its guest committed.
//!
//! See README.md beside this file for the columns, constraints and interactions.

mod air;
mod columns;

pub use air::{IoTableChip, PADDING_STREAM};
pub use columns::{IoTableColumns, IoTablePreprocessed};
