//! What a zkvm precompile plugin is made of, as plain data, with no proof-system dependency:
//! - [`constraints`]: constraints as a DAG over a row's columns, and a builder to write them;
//! - [`frame`]: where the host's frame columns (call, pointer, input and output bytes, memory
//!   accesses) are in a precompile chip's row, so the plugin's constraints can read them;
//! - [`abi`]: the shared-library interface of a plugin loaded at run time (version handshake,
//!   description as JSON, compute and trace entry points).

pub mod abi;
pub mod constraints;
pub mod frame;

pub use constraints::{
    ConstraintBuilder, ConstraintError, ConstraintSystem, Expr, FIELD_MODULUS, Node, Scope,
};
pub use frame::FrameLayout;
