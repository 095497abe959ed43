//! Continuations: a whole execution as a chain of segment proofs.
//!
//! The executor runs the program in segments of at most `segment_cycles` instructions; each
//! segment's events become traces, are proven, and are dropped, so memory use is bounded by a
//! few segments whatever the program's length. Segments are proven on `concurrency` worker
//! threads while the next ones are traced; proofs are handed out in execution order.
//!
//! A segment proof attests its start and end state: pc, registers, stream positions and the
//! root of the memory tree ([`zkvm_memory::merkle`]). [`verify_bundle`] checks each proof and
//! that the states chain: the first is the program's entry state (the root of the ELF's image),
//! each end is the next start, and only the last segment halts.

use std::collections::BTreeMap;
use std::io::Read;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use thiserror::Error;
use zkvm_memory::merkle::{MemoryTree, MerkleError, TreeUpdate};

use super::file::{BundleReader, ProofFileError, SegmentRecord};
use super::{
    ProofParameters, ProveError, SegmentStatement, StatementTables, VerifyError, prove_segment_shaped,
    verify_segment,
};
use crate::Program;
use crate::chips::program::ProgramError;
use crate::executor::{ExecError, Executor, SegmentTrace, Tracer};
use crate::memory::{Memory, PAGE_SIZE};
use crate::precompile::{ConstraintError, PrecompileSet};

/// Default number of cycles per segment: 2^18. Measured on the 2-core reference machine with the
/// default parameters (loop guest, 2^20 cycles, `zkvm prove --segment-cycles N`): 2^16 36.1 k
/// cycles/s (0.5 GB peak), 2^17 38.2 k (1.0 GB), 2^18 41.2 k (1.7 GB), 2^19 42.4 k (3.0 GB),
/// 2^20 37.3 k (5.8 GB). 2^18 is within 3 % of the fastest at little over half its memory, so
/// two segments can be in flight on a 4 GB machine; larger segments also mean fewer leaves for
/// recursion, which is why it is not smaller.
pub const DEFAULT_SEGMENT_CYCLES: u64 = 1 << 18;

/// How an execution is cut and proven.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProvingOptions {
    /// Largest number of cycles of one segment (1 ..= 2^21).
    pub segment_cycles: u64,
    /// Segments proven at the same time (at least 1); each needs the memory of one segment
    /// proof.
    pub concurrency: usize,
}

impl Default for ProvingOptions {
    fn default() -> Self {
        ProvingOptions { segment_cycles: DEFAULT_SEGMENT_CYCLES, concurrency: 1 }
    }
}

/// Why an execution could not be proven.
#[derive(Debug, Error)]
pub enum ContinuationError {
    /// The segment size is out of range.
    #[error("segment size {0} is out of range (1 ..= {max} cycles)", max = zkvm_memory::MAX_SEGMENT_CYCLES)]
    SegmentSize(u64),
    /// The guest stopped with an error (or hit the cycle limit) in this segment.
    #[error("segment {segment} (cycles from {start_cycle}): {error}")]
    Execution {
        /// Index of the segment, from 0.
        segment: usize,
        /// Cycles executed before the segment.
        start_cycle: u64,
        /// What went wrong.
        error: ExecError,
    },
    /// Proving the segment failed.
    #[error("segment {segment}: {error}")]
    Prove {
        /// Index of the segment.
        segment: usize,
        /// What went wrong.
        error: ProveError,
    },
    /// The memory tree refused the segment's leaves (a bug).
    #[error("segment {segment}: internal error: {error}")]
    Memory {
        /// Index of the segment.
        segment: usize,
        /// What went wrong.
        error: MerkleError,
    },
    /// A checkpoint could not be stored.
    #[error("segment {segment}: cannot store the checkpoint: {error}")]
    Checkpoint {
        /// Index of the segment.
        segment: usize,
        /// What went wrong.
        error: super::CheckpointError,
    },
    /// The proof could not be stored.
    #[error("segment {segment}: cannot store the proof: {error}")]
    Output {
        /// Index of the segment.
        segment: usize,
        /// What went wrong.
        error: ProofFileError,
    },
}

/// What one proven segment was, for progress reports.
#[derive(Clone, Copy, Debug)]
pub struct SegmentReport {
    /// Index of the segment.
    pub index: usize,
    /// Cycles executed before it.
    pub start_cycle: u64,
    /// Its cycles.
    pub cycles: u64,
    /// Seconds spent proving it (trace generation included).
    pub seconds: f64,
}

/// Summary of a proven execution.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProvedExecution {
    /// Number of segments.
    pub segments: usize,
    /// Total cycles.
    pub cycles: u64,
    /// The guest's exit code.
    pub exit_code: u32,
}

/// The memory tree of the program's initial image.
pub fn image_tree(program: &Program) -> MemoryTree {
    memory_tree(&Memory::from_program(program))
}

/// The memory tree of `memory`.
pub fn memory_tree(memory: &Memory) -> MemoryTree {
    MemoryTree::from_words(memory.pages().flat_map(|(page, words)| {
        let base = page * (PAGE_SIZE as u32 / 4);
        words.iter().enumerate().map(move |(i, &value)| (base + i as u32, value))
    }))
}

struct Job {
    segment: SegmentTrace,
    memory: TreeUpdate,
}

type JobResult = (usize, Result<(SegmentRecord, SegmentReport), ProveError>);

/// Proves the execution of `executor` (fresh, at the program's entry) as a chain of segments of
/// the statement whose tables are `tables`, handing each segment's record to `on_proof` in
/// execution order.
pub fn prove_execution(
    tables: &StatementTables,
    executor: Executor,
    options: &ProvingOptions,
    parameters: &ProofParameters,
    on_proof: impl FnMut(SegmentRecord, SegmentReport) -> Result<(), ProofFileError>,
) -> Result<ProvedExecution, ContinuationError> {
    prove_execution_shaped(tables, executor, options, parameters, None, on_proof)
}

/// The shape (log2 table heights) of every segment of the execution of `executor` (fresh, at
/// the program's entry), cut as `options` says, without proving: each segment is traced, its
/// tables built and measured, then dropped. [`enclosing_shape`](super::enclosing_shape) of the
/// result is the run's shape, the one [`prove_execution_shaped`] pads every segment to.
pub fn execution_shapes(
    tables: &StatementTables,
    executor: Executor,
    options: &ProvingOptions,
) -> Result<Vec<super::SegmentShape>, ContinuationError> {
    check_segment_size(options)?;
    let mut tree = image_tree(executor.program());
    let executor = executor.with_precompiles(Arc::clone(&tables.precompiles));
    let mut tracer = Tracer::new(executor, options.segment_cycles);
    let mut shapes = Vec::new();
    while let Some(Job { segment, memory }) = next_job(&mut tracer, &mut tree, shapes.len())? {
        let traces = super::generate_traces(tables, &segment, &memory)
            .map_err(|error| ContinuationError::Prove { segment: shapes.len(), error: error.into() })?;
        shapes.push(super::traces_shape(&traces));
    }
    Ok(shapes)
}

/// Traces the next segment (number `index`) and updates the memory tree by its leaves; `None`
/// once the program has halted.
fn next_job(
    tracer: &mut Tracer,
    tree: &mut MemoryTree,
    index: usize,
) -> Result<Option<Job>, ContinuationError> {
    let start_cycle = tracer.executor().cycles();
    let segment = match tracer.next_segment() {
        Ok(Some(segment)) => segment,
        Ok(None) => return Ok(None),
        Err(error) => return Err(ContinuationError::Execution { segment: index, start_cycle, error }),
    };
    let memory =
        tree.update(&segment.leaves).map_err(|error| ContinuationError::Memory { segment: index, error })?;
    Ok(Some(Job { segment, memory }))
}

fn check_segment_size(options: &ProvingOptions) -> Result<(), ContinuationError> {
    if options.segment_cycles == 0 || options.segment_cycles > zkvm_memory::MAX_SEGMENT_CYCLES {
        return Err(ContinuationError::SegmentSize(options.segment_cycles));
    }
    Ok(())
}

/// [`prove_execution`], with every segment's tables padded to `shape` when one is given (see
/// [`generate_traces_padded`](super::generate_traces_padded)); a segment that does not fit it
/// fails with [`TraceError::Shape`](super::TraceError::Shape).
pub fn prove_execution_shaped(
    tables: &StatementTables,
    executor: Executor,
    options: &ProvingOptions,
    parameters: &ProofParameters,
    shape: Option<&[usize]>,
    mut on_proof: impl FnMut(SegmentRecord, SegmentReport) -> Result<(), ProofFileError>,
) -> Result<ProvedExecution, ContinuationError> {
    check_segment_size(options)?;
    let mut tree = image_tree(executor.program());
    let executor = executor.with_precompiles(Arc::clone(&tables.precompiles));
    let mut tracer = Tracer::new(executor, options.segment_cycles);
    let (job_sender, job_receiver) = mpsc::sync_channel::<Job>(0);
    let job_receiver = Arc::new(Mutex::new(job_receiver));
    let (result_sender, result_receiver) = mpsc::channel::<JobResult>();

    std::thread::scope(|scope| {
        for _ in 0..options.concurrency.max(1) {
            let (jobs, results) = (Arc::clone(&job_receiver), result_sender.clone());
            scope.spawn(move || {
                loop {
                    let job = match jobs.lock() {
                        Ok(receiver) => receiver.recv(),
                        Err(_) => return,
                    };
                    let Ok(Job { segment, memory }) = job else { return };
                    let started = Instant::now();
                    let proved = prove_segment_shaped(tables, &segment, &memory, parameters, shape);
                    let report = SegmentReport {
                        index: segment.index,
                        start_cycle: segment.start_cycle,
                        cycles: segment.cycles.len() as u64,
                        seconds: started.elapsed().as_secs_f64(),
                    };
                    drop(segment);
                    let result = proved.map(|(proof, public)| (SegmentRecord::new(proof, &public), report));
                    if results.send((report.index, result)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(result_sender);

        // Hands finished proofs to `on_proof` in order; `pending` holds those that finished early.
        let mut pending = BTreeMap::new();
        let mut next_out = 0usize;
        type Pending = BTreeMap<usize, Result<(SegmentRecord, SegmentReport), ProveError>>;
        let mut deliver = |pending: &mut Pending, next_out: &mut usize| -> Result<(), ContinuationError> {
            while let Some(result) = pending.remove(next_out) {
                let (record, report) =
                    result.map_err(|error| ContinuationError::Prove { segment: *next_out, error })?;
                on_proof(record, report)
                    .map_err(|error| ContinuationError::Output { segment: *next_out, error })?;
                *next_out += 1;
            }
            Ok(())
        };

        let mut produced = 0usize;
        let mut exit_code = None;
        let traced: Result<(), ContinuationError> = (|| {
            loop {
                let Some(Job { segment, memory }) = next_job(&mut tracer, &mut tree, produced)? else {
                    return Ok(());
                };
                exit_code = segment.exit_code;
                produced += 1;
                if job_sender.send(Job { segment, memory }).is_err() {
                    return Ok(()); // every worker stopped: their results say why
                }
                while let Ok((index, result)) = result_receiver.try_recv() {
                    let failed = result.is_err();
                    pending.insert(index, result);
                    deliver(&mut pending, &mut next_out)?;
                    if failed {
                        return Ok(()); // reported in order below
                    }
                }
            }
        })();
        drop(job_sender);
        for (index, result) in result_receiver.iter() {
            pending.insert(index, result);
        }
        // The first failure in execution order wins: a proving or output error of an earlier
        // segment, else the execution error.
        deliver(&mut pending, &mut next_out)?;
        traced?;
        if next_out != produced {
            return Err(ContinuationError::Prove {
                segment: next_out,
                error: ProveError::Backend("a proving thread stopped".into()),
            });
        }
        Ok(ProvedExecution {
            segments: produced,
            cycles: tracer.executor().cycles(),
            exit_code: exit_code.unwrap_or(0),
        })
    })
}

/// Why a bundle was rejected.
#[derive(Debug, Error)]
pub enum BundleError {
    /// The file is not a readable bundle.
    #[error(transparent)]
    File(#[from] ProofFileError),
    /// The program cannot be proven at all (so no proof of it is valid).
    #[error("the program cannot be proven: {0}")]
    Program(#[from] ProgramError),
    /// A precompile of the verifier's chipset has malformed constraints.
    #[error("a precompile's constraints are malformed: {0}")]
    Precompile(#[from] ConstraintError),
    /// A segment proof does not verify.
    #[error("segment {index}: {error}")]
    Segment {
        /// Index of the segment.
        index: usize,
        /// Why.
        error: VerifyError,
    },
    /// A segment does not start where the previous one ended (or the first not at the
    /// program's entry).
    #[error("segment {index}: {reason}")]
    Chain {
        /// Index of the segment.
        index: usize,
        /// What disagrees.
        reason: String,
    },
    /// The bundle has no segment.
    #[error("the proof has no segments")]
    Empty,
    /// The last segment does not halt.
    #[error("the last segment ({0}) does not halt: the proof covers only part of the execution")]
    NotHalted(usize),
    /// The public output does not have the length the last segment committed.
    #[error("the public output has {found} bytes, the execution committed {committed}")]
    OutputLength {
        /// Bytes in the statement.
        found: usize,
        /// Bytes the last segment's end position says.
        committed: u32,
    },
}

/// What a valid bundle proves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedExecution {
    /// Number of segments.
    pub segments: usize,
    /// The guest's exit code.
    pub exit_code: u32,
}

/// The start state of segment `index` must be `expected` (the previous segment's end, or the
/// program's entry state for the first).
fn check_start(
    index: usize,
    statement: &SegmentStatement,
    expected: &SegmentStatement,
) -> Result<(), BundleError> {
    let chain = |reason: String| Err(BundleError::Chain { index, reason });
    if statement.initial_pc != expected.final_pc {
        return chain(format!(
            "starts at pc {:#010x}, expected {:#010x}",
            statement.initial_pc, expected.final_pc
        ));
    }
    if let Some(r) = (0..32).find(|&r| statement.start_registers[r] != expected.end_registers[r]) {
        return chain(format!(
            "starts with x{r} = {:#x}, expected {:#x}",
            statement.start_registers[r], expected.end_registers[r]
        ));
    }
    if statement.input_position[0] != expected.input_position[1]
        || statement.output_position[0] != expected.output_position[1]
    {
        return chain("starts at other input or output positions".into());
    }
    if statement.memory_root[0] != expected.memory_root[1] {
        return chain("starts from another memory".into());
    }
    Ok(())
}

/// Verifies the bundle read by `reader` as a proof that `program` runs on the bundle's input to
/// HALT, committing the bundle's public output, on the machine without precompiles.
pub fn verify_bundle<R: Read>(
    program: &Program,
    reader: &mut BundleReader<R>,
    parameters: &ProofParameters,
) -> Result<VerifiedExecution, BundleError> {
    verify_bundle_with(program, &Arc::default(), reader, parameters)
}

/// [`verify_bundle`] on the machine with `precompiles` enabled: a bundle proven under another
/// chipset is rejected.
pub fn verify_bundle_with<R: Read>(
    program: &Program,
    precompiles: &Arc<PrecompileSet>,
    reader: &mut BundleReader<R>,
    parameters: &ProofParameters,
) -> Result<VerifiedExecution, BundleError> {
    let statement = reader.statement().clone();
    let tables = StatementTables::new(program, &statement.input, &statement.output)?
        .with_precompiles(Arc::clone(precompiles))?;
    // The state before the first segment: entry pc, zero registers, empty streams, the image.
    let mut previous = SegmentStatement {
        initial_pc: program.entry,
        final_pc: program.entry,
        exit_code: None,
        start_registers: [0; 32],
        end_registers: [0; 32],
        input_length: statement.input.len() as u32,
        input_position: [0; 2],
        output_position: [0; 2],
        memory_root: [tables.image_root; 2],
    };
    let mut index = 0;
    while let Some(record) = reader.next_segment()? {
        if previous.exit_code.is_some() {
            return Err(BundleError::Chain { index, reason: "follows a segment that halted".into() });
        }
        let public_values = record.public_values()?;
        let segment = |error| BundleError::Segment { index, error };
        verify_segment(&tables, &record.proof, &public_values, parameters).map_err(segment)?;
        let current = SegmentStatement::from_public_values(&public_values).map_err(segment)?;
        if current.input_length as usize != statement.input.len() {
            return Err(BundleError::Chain { index, reason: "claims another input length".into() });
        }
        check_start(index, &current, &previous)?;
        previous = current;
        index += 1;
    }
    if index == 0 {
        return Err(BundleError::Empty);
    }
    let exit_code = previous.exit_code.ok_or(BundleError::NotHalted(index - 1))?;
    if previous.output_position[1] as usize != statement.output.len() {
        return Err(BundleError::OutputLength {
            found: statement.output.len(),
            committed: previous.output_position[1],
        });
    }
    Ok(VerifiedExecution { segments: index, exit_code })
}
