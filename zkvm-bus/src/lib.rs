//! The buses of the zkvm.
//!
//! Chips communicate only through buses: named LogUp arguments (Plonky3's `p3-lookup`) in which
//! every message sent must be received (a permutation bus) or answered by a table (a lookup
//! bus). This crate holds
//! - the [registry](registry): every bus, its id, kind and message layout, in one place;
//! - [typed messages](message) and the [send/receive/provide](interaction) helpers, the only
//!   way a chip speaks on a bus;
//! - the [debug balancer](balance), which names the unmatched messages of a failing trace;
//! - the [column layout](columns) helper every chip uses to view a row as its column struct;
//! - the [inventory](inventory) of which chip sends, receives or provides what, generated from
//!   the chips' AIRs for the whitepaper.

pub mod balance;
pub mod columns;
pub mod interaction;
pub mod inventory;
pub mod message;
pub mod registry;
pub mod row;

pub use balance::{ChipTrace, ImbalanceReport, check_balance};
pub use interaction::{provide, receive, send};
pub use message::{
    ByteMessage, ByteOperation, ExecuteMessage, IoMessage, IoStream, MemoryLeafMessage, MemoryMessage,
    MerkleNodeMessage, Message, ProgramMessage, Range16Message, WitnessMessage,
};
pub use registry::{BusId, BusKind, BusSpec, CORE_BUSES, RECURSION_BUSES, bus_by_name};
