//! Proving and verifying a segment: all chips of the machine in one multi-table STARK
//! (Plonky3's `p3-batch-stark`) whose buses are `p3-lookup` LogUp arguments.

mod air;
mod config;
mod file;
mod segment;
mod spec;
#[cfg(test)]
mod tests;
mod trace;

pub use air::{MachineAir, StatementTables};
pub use config::{Challenge, Config, ParameterError, ProofParameters, Val};
pub use file::{
    FORMAT_VERSION, MAGIC, ProofFile, ProofFileError, decode_proof, encode_proof, parameters_digest,
};
pub use segment::{
    ProveError, SegmentProof, SegmentStatement, VerifyError, prove_segment, prove_traces, verify_segment,
};
pub use spec::{ChipSpec, MachineSpec, machine_spec};
pub use trace::{SegmentTraces, TraceError, generate_traces};
