//! The chips of the RV32IM machine, one folder each: columns (a `#[repr(C)]` struct), AIR,
//! trace generation, tests, and a README listing columns, numbered constraints and
//! interactions.

pub mod alu;
pub mod branch;
pub mod byte_table;
pub mod cpu;
pub mod divrem;
pub mod ecall;
pub mod io_table;
pub mod jump;
pub mod load_store;
pub mod mul;
pub use zkvm_bus::columns;
pub mod program;
pub mod range16;
#[cfg(test)]
mod readme_rows;
pub mod shift;
#[cfg(test)]
pub(crate) mod testing;
