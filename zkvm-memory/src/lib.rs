//! The memory argument of the zkvm.
//!
//! Registers (address space 0) and RAM (address space 1, word addresses) are *cells* holding a
//! 32-bit value as four bytes. Every access to a cell, in any chip, takes the cell's current
//! state `(value, timestamp)` off the `memory` bus and puts the new state back with the access's
//! own timestamp, which must be strictly larger ([`access`]). A boundary chip puts each cell's
//! initial state (timestamp 0) on the bus and takes its final state off it
//! ([`register_boundary`]). The bus balances only if, for every cell, the accesses form one
//! chain from the initial to the final state in timestamp order, each reading what the previous
//! one wrote: offline memory checking, with LogUp as the multiset argument.
//!
//! Two more cells of the register space, [`INPUT_POSITION`] and [`OUTPUT_POSITION`], count the
//! input words read and the output bytes committed, so the stream positions pass through the
//! same argument (and, at segment boundaries, through the same public values) as registers.
//! RAM's boundary is [`ram_boundary`]: its cells are the words of every leaf (8 aligned words)
//! the segment touched, and [`memory_merkle`] opens their initial values against the public
//! [memory root](merkle) at the segment's start and hashes their final values into the root at
//! its end. Segments chain through these roots (and the registers and stream positions).
//!
//! Timestamps within a segment are `8 * clk + slot` for the cycle index `clk` and a slot per
//! kind of access ([`slot`]), so they stay below 2^24 for segments of up to 2^21 cycles.

pub mod access;
pub mod memory_merkle;
pub mod merkle;
pub mod ram_boundary;
pub mod register_boundary;
mod tracker;

pub use access::{AccessColumns, eval_access, fill_access};
pub use tracker::{CellState, MemoryTracker};

/// Address space of the registers.
pub const REGISTER_SPACE: u32 = 0;
/// Address space of RAM (addresses are word addresses, byte address / 4).
pub const RAM_SPACE: u32 = 1;

/// The cell of the register space (after x0..x31) holding the input position, in words: the
/// index of the word the next `READ_WORD` returns. Its value is a field element `(position, 0,
/// 0, 0)`, not bytes.
pub const INPUT_POSITION: u32 = 32;
/// The cell of the register space holding the public output's length so far, in bytes: the
/// index of the byte the next `COMMIT` appends.
pub const OUTPUT_POSITION: u32 = 33;

/// Largest number of cycles in one segment: timestamps `8 * clk + slot` must stay below 2^24,
/// the range the timestamp-difference check covers.
pub const MAX_SEGMENT_CYCLES: u64 = 1 << 21;

/// The access slots within a cycle: the timestamp of an access is `8 * clk + slot`.
pub mod slot {
    /// Reading `rs1`.
    pub const RS1: u32 = 1;
    /// Reading `rs2`.
    pub const RS2: u32 = 2;
    /// The stream-position access of `READ_WORD` or `COMMIT`.
    pub const STREAM: u32 = 3;
    /// The RAM access of a load or a store.
    pub const RAM: u32 = 5;
    /// Writing `rd`.
    pub const RD: u32 = 8;
}

/// The timestamp of the access in `slot` during cycle `clk`.
pub const fn timestamp(clk: u32, slot: u32) -> u32 {
    8 * clk + slot
}
