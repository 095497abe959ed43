//! Checkpoints: a segment's start state, from which that one segment is re-executed and proven
//! alone (on another thread, process or machine).
//!
//! A [`Checkpoint`] holds what the segment needs and nothing more: the program's identity (entry
//! point and image root), the statement (input and whole public output, which the io table
//! needs), pc, registers, stream positions and cycle count at the segment's start, the memory
//! root, the words of every memory leaf the segment touches, and the digests of the untouched
//! siblings of their paths (a Merkle multi-opening of the root). [`prove_checkpoint`] checks the
//! opening against the root, re-executes the segment from that state and proves it; the result
//! is the same [`SegmentRecord`] the streamed prover makes, so records from many machines join
//! into one bundle ([`super::BundleWriter`]) that [`super::verify_bundle`] checks as usual.
//!
//! File layout (integers little-endian): the magic `ZKVMCKPT`, a `u32` version
//! ([`CHECKPOINT_VERSION`]), then a `u32` length and that many bytes of `postcard`-encoded
//! [`Checkpoint`]. Nothing may follow. A checkpoint is not trusted: a wrong one yields an error
//! here or a proof the bundle verifier rejects, never an accepted proof of something else.

use std::io::{Read, Write};
use std::sync::Arc;

use p3_field::{PrimeCharacteristicRing, PrimeField32};
use serde::{Deserialize, Serialize};
use thiserror::Error;
use zkvm_memory::merkle::{Digest, LEAF_WORDS, MemoryTree, MerkleError, Sibling};

use super::file::{BundleStatement, ProofFileError, SegmentRecord, read_exact, read_record, write_record};
use super::{ContinuationError, ProofParameters, ProveError, StatementTables, Val, prove_segment};
use crate::Program;
use crate::chips::program::ProgramError;
use crate::executor::{ExecError, Executor, RegisterState, ResumePoint, Tracer};
use crate::memory::Memory;
use crate::precompile::{ConstraintError, PrecompileSet};

/// First bytes of every checkpoint file.
pub const CHECKPOINT_MAGIC: [u8; 8] = *b"ZKVMCKPT";
/// The checkpoint format version this build writes and reads.
pub const CHECKPOINT_VERSION: u32 = 1;

/// The words of one memory leaf (8 aligned words) at the segment's start.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckpointLeaf {
    /// Leaf index (word address / 8).
    pub index: u32,
    /// Its 8 words.
    pub words: [u32; LEAF_WORDS as usize],
}

/// An untouched node beside a touched path, with its digest as canonical `u32`s.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckpointSibling {
    /// Height above the leaves.
    pub level: u32,
    /// Position within the level.
    pub index: u32,
    /// Its digest.
    pub digest: [u32; 8],
}

/// The state at a segment's start, enough to re-execute and prove that segment alone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// Index of the segment in the execution, from 0.
    pub segment: u64,
    /// Cycles executed before the segment.
    pub start_cycle: u64,
    /// Cycles of the segment.
    pub cycles: u64,
    /// The program's entry point (with `image_root`, which program this is).
    pub entry: u32,
    /// Root of the program's initial memory image.
    pub image_root: [u32; 8],
    /// The input and the whole public output of the execution.
    pub statement: BundleStatement,
    /// pc at the segment's start.
    pub pc: u32,
    /// x0..x31 at the segment's start.
    pub registers: [u32; 32],
    /// Input bytes read before the segment.
    pub input_position: u32,
    /// Public output bytes committed before the segment.
    pub output_position: u32,
    /// Root of the memory tree at the segment's start.
    pub memory_root: [u32; 8],
    /// Every leaf the segment touches, by index, with its words at the start.
    pub leaves: Vec<CheckpointLeaf>,
    /// The siblings of those leaves' paths (untouched by the segment).
    pub siblings: Vec<CheckpointSibling>,
}

/// Why a checkpoint could not be read, written, or proven.
#[derive(Debug, Error)]
pub enum CheckpointError {
    /// The bytes are not a checkpoint.
    #[error("not a zkvm checkpoint (bad magic bytes)")]
    BadMagic,
    /// Written by another version of the format.
    #[error("checkpoint format version {found}, this build reads version {CHECKPOINT_VERSION}")]
    Version {
        /// The version in the file.
        found: u32,
    },
    /// The framing is broken (truncated, oversized, trailing bytes, unreadable).
    #[error(transparent)]
    File(#[from] ProofFileError),
    /// A value in the checkpoint is out of range (a digest element, a stream position).
    #[error("malformed checkpoint: {0}")]
    Malformed(String),
    /// The checkpoint belongs to another program.
    #[error("the checkpoint was made for another program")]
    OtherProgram,
    /// The program cannot be proven at all.
    #[error("the program cannot be proven: {0}")]
    Program(#[from] ProgramError),
    /// A precompile has malformed constraints.
    #[error("a precompile's constraints are malformed: {0}")]
    Precompile(#[from] ConstraintError),
    /// The leaves and siblings do not open the memory root.
    #[error("the checkpoint's memory does not match its memory root")]
    Opening,
    /// The re-executed segment touched memory the checkpoint does not hold.
    #[error("segment {0} touches memory outside the checkpoint")]
    OutsideOpening(u64),
    /// The memory tree refused the opening or the segment's leaves.
    #[error("segment {segment}: {error}")]
    Memory {
        /// Index of the segment.
        segment: u64,
        /// What went wrong.
        error: MerkleError,
    },
    /// The guest failed while re-executing the segment.
    #[error("segment {segment}: {error}")]
    Execution {
        /// Index of the segment.
        segment: u64,
        /// What went wrong.
        error: ExecError,
    },
    /// The re-execution ran another number of cycles than the checkpoint says.
    #[error("segment {segment} ran {ran} cycles, the checkpoint says {expected}")]
    Diverged {
        /// Index of the segment.
        segment: u64,
        /// Cycles run.
        ran: u64,
        /// Cycles in the checkpoint.
        expected: u64,
    },
    /// Proving the segment failed.
    #[error("segment {segment}: {error}")]
    Prove {
        /// Index of the segment.
        segment: u64,
        /// What went wrong.
        error: ProveError,
    },
}

fn digest_to_u32s(digest: &Digest) -> [u32; 8] {
    digest.map(|v| v.as_canonical_u32())
}

fn digest_from_u32s(values: &[u32; 8]) -> Result<Digest, CheckpointError> {
    if let Some(v) = values.iter().find(|&&v| v >= Val::ORDER_U32) {
        return Err(CheckpointError::Malformed(format!("digest element {v} is not canonical")));
    }
    Ok(values.map(Val::from_u32))
}

impl Checkpoint {
    /// Writes the checkpoint file.
    pub fn write_to<W: Write>(&self, mut writer: W) -> Result<(), CheckpointError> {
        writer.write_all(&CHECKPOINT_MAGIC).map_err(ProofFileError::Io)?;
        writer.write_all(&CHECKPOINT_VERSION.to_le_bytes()).map_err(ProofFileError::Io)?;
        let body = postcard::to_allocvec(self).map_err(|e| ProofFileError::Body(e.to_string()))?;
        write_record(&mut writer, &body)?;
        writer.flush().map_err(ProofFileError::Io)?;
        Ok(())
    }

    /// Reads a checkpoint file (the whole of `reader`).
    pub fn read_from<R: Read>(mut reader: R) -> Result<Self, CheckpointError> {
        let mut magic = [0u8; 8];
        let mut got = 0;
        while got < magic.len() {
            match reader.read(&mut magic[got..]).map_err(ProofFileError::Io)? {
                0 => break,
                n => got += n,
            }
        }
        if got == 0 || magic[..got] != CHECKPOINT_MAGIC[..got] {
            return Err(CheckpointError::BadMagic);
        }
        if got < magic.len() {
            return Err(ProofFileError::Truncated.into());
        }
        let mut version = [0u8; 4];
        read_exact(&mut reader, &mut version)?;
        let version = u32::from_le_bytes(version);
        if version != CHECKPOINT_VERSION {
            return Err(CheckpointError::Version { found: version });
        }
        let body = read_record(&mut reader)?.ok_or(ProofFileError::Truncated)?;
        let checkpoint: Checkpoint =
            postcard::from_bytes(&body).map_err(|e| ProofFileError::Body(e.to_string()))?;
        let mut extra = [0u8; 1];
        if reader.read(&mut extra).map_err(ProofFileError::Io)? != 0 {
            return Err(ProofFileError::Trailing.into());
        }
        Ok(checkpoint)
    }
}

/// Runs `program` on `input` (at most `max_cycles` cycles) and hands one checkpoint per segment
/// of at most `segment_cycles` cycles to `on_checkpoint`, in execution order. Returns the number
/// of segments. The program is run twice: once on the fast path for its public output (which
/// every checkpoint carries), once traced, segment by segment, for the memory each touches.
pub fn make_checkpoints(
    program: Arc<Program>,
    input: Vec<u8>,
    precompiles: &Arc<PrecompileSet>,
    segment_cycles: u64,
    max_cycles: u64,
    mut on_checkpoint: impl FnMut(Checkpoint) -> Result<(), CheckpointError>,
) -> Result<usize, ContinuationError> {
    if segment_cycles == 0 || segment_cycles > zkvm_memory::MAX_SEGMENT_CYCLES {
        return Err(ContinuationError::SegmentSize(segment_cycles));
    }
    let mut fast = Executor::new(Arc::clone(&program), input.clone())
        .with_max_cycles(max_cycles)
        .with_precompiles(Arc::clone(precompiles));
    if let Err(error) = fast.run() {
        // Name the segment the error falls in, as the traced run would.
        let segment = (fast.cycles() / segment_cycles) as usize;
        let start_cycle = segment as u64 * segment_cycles;
        return Err(ContinuationError::Execution { segment, start_cycle, error });
    }
    let statement = BundleStatement { input: input.clone(), output: fast.io.public_output };

    let mut tree = super::image_tree(&program);
    let (entry, image_root) = (program.entry, digest_to_u32s(&tree.root()));
    let executor =
        Executor::new(program, input).with_max_cycles(max_cycles).with_precompiles(Arc::clone(precompiles));
    let mut tracer = Tracer::new(executor, segment_cycles);
    let mut index = 0usize;
    loop {
        let executor = tracer.executor();
        let (start_cycle, start_state) = (executor.cycles(), *executor.state());
        let input_position = executor.io.input_position as u32;
        let output_position = executor.io.public_output.len() as u32;
        let segment = match tracer.next_segment() {
            Ok(Some(segment)) => segment,
            Ok(None) => return Ok(index),
            Err(error) => return Err(ContinuationError::Execution { segment: index, start_cycle, error }),
        };
        let memory_root = digest_to_u32s(&tree.root());
        let update = tree
            .update(&segment.leaves)
            .map_err(|error| ContinuationError::Memory { segment: index, error })?;
        let checkpoint = Checkpoint {
            segment: index as u64,
            start_cycle,
            cycles: segment.cycles.len() as u64,
            entry,
            image_root,
            statement: statement.clone(),
            pc: start_state.pc,
            registers: start_state.regs,
            input_position,
            output_position,
            memory_root,
            leaves: segment
                .leaves
                .iter()
                .map(|leaf| CheckpointLeaf { index: leaf.index, words: leaf.before })
                .collect(),
            siblings: update
                .siblings()
                .into_iter()
                .map(|s| CheckpointSibling {
                    level: s.level,
                    index: s.index,
                    digest: digest_to_u32s(&s.digest),
                })
                .collect(),
        };
        on_checkpoint(checkpoint).map_err(|error| ContinuationError::Checkpoint { segment: index, error })?;
        index += 1;
    }
}

/// Re-executes the checkpoint's segment of `program` (with `precompiles` enabled) and proves it:
/// the record is the one the streamed prover ([`super::prove_execution`]) makes for that
/// segment.
pub fn prove_checkpoint(
    program: &Arc<Program>,
    precompiles: &Arc<PrecompileSet>,
    checkpoint: &Checkpoint,
    parameters: &ProofParameters,
) -> Result<SegmentRecord, CheckpointError> {
    let segment_index = checkpoint.segment;
    let statement = &checkpoint.statement;
    let tables = StatementTables::new(program, &statement.input, &statement.output)?
        .with_precompiles(Arc::clone(precompiles))?;
    if checkpoint.entry != program.entry || digest_from_u32s(&checkpoint.image_root)? != tables.image_root {
        return Err(CheckpointError::OtherProgram);
    }
    let output_position = checkpoint.output_position as usize;
    if output_position > statement.output.len() {
        return Err(CheckpointError::Malformed("the output position is past the output's end".into()));
    }
    if checkpoint.cycles == 0 || checkpoint.cycles > zkvm_memory::MAX_SEGMENT_CYCLES {
        return Err(CheckpointError::Malformed(format!("segment of {} cycles", checkpoint.cycles)));
    }

    // The opened part of the memory tree, checked against the root.
    let memory_error = |error| CheckpointError::Memory { segment: segment_index, error };
    let leaves: Vec<(u32, [u32; LEAF_WORDS as usize])> =
        checkpoint.leaves.iter().map(|leaf| (leaf.index, leaf.words)).collect();
    let siblings = checkpoint
        .siblings
        .iter()
        .map(|s| Ok(Sibling { level: s.level, index: s.index, digest: digest_from_u32s(&s.digest)? }))
        .collect::<Result<Vec<_>, CheckpointError>>()?;
    let mut tree = MemoryTree::from_opening(&leaves, &siblings).map_err(memory_error)?;
    let memory_root = digest_from_u32s(&checkpoint.memory_root)?;
    if tree.root() != memory_root {
        return Err(CheckpointError::Opening);
    }

    // Re-execute the segment from the checkpoint's state, with only the opened memory.
    let mut memory = Memory::new();
    for (index, words) in &leaves {
        for (j, &word) in words.iter().enumerate() {
            memory.store_word(index * 4 * LEAF_WORDS + 4 * j as u32, word);
        }
    }
    let point = ResumePoint {
        state: RegisterState { pc: checkpoint.pc, regs: checkpoint.registers },
        memory,
        cycles: checkpoint.start_cycle,
        input_position: checkpoint.input_position as usize,
        public_output: statement.output[..output_position].to_vec(),
    };
    let executor = Executor::resume(Arc::clone(program), statement.input.clone(), point)
        .with_precompiles(Arc::clone(precompiles));
    let mut tracer = Tracer::new(executor, checkpoint.cycles).starting_at(segment_index as usize);
    let segment = tracer
        .next_segment()
        .map_err(|error| CheckpointError::Execution { segment: segment_index, error })?;
    let ran = segment.as_ref().map_or(0, |segment| segment.cycles.len() as u64);
    let Some(segment) = segment.filter(|_| ran == checkpoint.cycles) else {
        return Err(CheckpointError::Diverged { segment: segment_index, ran, expected: checkpoint.cycles });
    };
    // Every leaf the run touched must be opened: the tree knows nothing else of memory.
    let opened: std::collections::BTreeSet<u32> = leaves.iter().map(|(index, _)| *index).collect();
    if segment.leaves.iter().any(|leaf| !opened.contains(&leaf.index)) {
        return Err(CheckpointError::OutsideOpening(segment_index));
    }
    let update = tree.update(&segment.leaves).map_err(memory_error)?;
    let (proof, public_values) = prove_segment(&tables, &segment, &update, parameters)
        .map_err(|error| CheckpointError::Prove { segment: segment_index, error })?;
    Ok(SegmentRecord::new(proof, &public_values))
}
