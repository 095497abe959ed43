//! Proving and verifying a segment: all chips of the machine in one multi-table STARK
//! (Plonky3's `p3-batch-stark`) whose buses are `p3-lookup` LogUp arguments.

mod air;
mod checkpoint;
mod config;
mod continuation;
mod file;
pub mod packing;
mod segment;
mod spec;
pub mod testing;
#[cfg(test)]
mod tests;
mod trace;

pub use air::{CPU_TABLE, ECALL_TABLE, MERKLE_TABLE, MachineAir, RAM_TABLE, REGISTER_TABLE, StatementTables};
pub use checkpoint::{
    CHECKPOINT_MAGIC, CHECKPOINT_VERSION, Checkpoint, CheckpointError, CheckpointLeaf, CheckpointSibling,
    make_checkpoints, prove_checkpoint,
};
pub use config::{
    Challenge, ChallengeMmcs, Challenger, Config, LeafHash, NodeCompression, ParameterError, Pcs,
    Permutation, ProofParameters, Val, ValMmcs, merkle_mmcs,
};
pub use continuation::{
    BundleError, ContinuationError, DEFAULT_SEGMENT_CYCLES, ProvedExecution, ProvingOptions, SegmentReport,
    VerifiedExecution, execution_shapes, image_tree, memory_tree, prove_execution, prove_execution_shaped,
    verify_bundle, verify_bundle_with,
};
pub use file::{
    BundleReader, BundleStatement, BundleWriter, FORMAT_VERSION, MAGIC, MAX_RECORD_BYTES, ProofFileError,
    SEGMENT_MAGIC, SegmentRecord, parameters_digest, read_segment_file, write_segment_file,
};
pub use segment::{
    MAX_TABLE_LOG_HEIGHT, ProveError, SegmentProof, SegmentStatement, VerifyError, check_heights,
    prove_segment, prove_segment_shaped, prove_traces, verify_segment,
};
pub use spec::{ChipSpec, MachineSpec, machine_spec, machine_spec_with};
pub use trace::{
    SegmentShape, SegmentTraces, TraceError, enclosing_shape, generate_traces, generate_traces_padded,
    traces_shape,
};
