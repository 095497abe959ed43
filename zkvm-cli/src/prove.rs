//! `zkvm prove` and `zkvm verify`: a whole execution as one final proof (the segment proofs
//! aggregated, [`crate::aggregate`]) or as a bundle of segment proofs.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use clap::Args;
use zkvm_core::executor::DEFAULT_MAX_CYCLES;
use zkvm_core::prover::{
    BundleError, BundleReader, BundleStatement, BundleWriter, ContinuationError, ProofFileError,
    ProvingOptions, SegmentRecord, StatementTables, prove_execution_shaped, verify_bundle_with,
};
use zkvm_core::{Executor, Program};

use crate::Failure;
use crate::run::{load_program, read_file};
use crate::settings::ParameterArgs;

#[derive(Args)]
pub(crate) struct ProveArgs {
    /// The RV32IM ELF executable.
    elf: PathBuf,
    /// File whose bytes are the guest's input (the proof file carries it; the verifier sees it).
    #[arg(long, value_name = "FILE")]
    input: Option<PathBuf>,
    /// Where to write the proof.
    #[arg(short, long, value_name = "PROOF")]
    output: PathBuf,
    /// Cycles per segment (1 ..= 2097152); each segment is one proof in the file [default:
    /// the config's `segment.cycles`, else 262144].
    #[arg(long, value_name = "N")]
    segment_cycles: Option<u64>,
    /// Segments proven at the same time; each needs the memory of one segment proof (about
    /// 1.5 GB at the default segment size) [default: the config's `segment.concurrency`, else 1].
    #[arg(long, value_name = "N")]
    concurrency: Option<usize>,
    /// Stop with an error after this many cycles.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_CYCLES)]
    max_cycles: u64,
    /// Write the segment bundle (one proof per segment, chained) instead of aggregating the
    /// segment proofs into one final proof.
    #[arg(long)]
    bundle: bool,
    #[command(flatten)]
    parameters: ParameterArgs,
}

#[derive(Args)]
pub(crate) struct VerifyArgs {
    /// The proof file.
    proof: PathBuf,
    /// The ELF the proof claims to be about.
    #[arg(long, value_name = "ELF")]
    elf: PathBuf,
    /// Also require the proof's input to be this file's bytes.
    #[arg(long, value_name = "FILE")]
    input: Option<PathBuf>,
    #[command(flatten)]
    parameters: ParameterArgs,
}

/// The statement tables of `program` (loaded from `path`) with `input` and `output`.
pub(crate) fn statement_tables(
    path: &Path,
    program: &Program,
    statement: &BundleStatement,
) -> Result<StatementTables, Failure> {
    StatementTables::new(program, &statement.input, &statement.output)
        .map_err(|e| Failure::usage(format!("cannot prove {}: {e}", path.display())))
}

/// The proof is written to `PROOF.partial` and renamed when complete, so no partial proof is
/// ever left at the proof's path; the partial file is removed on failure.
pub(crate) struct PartialFile {
    pub(crate) temporary: PathBuf,
    pub(crate) done: bool,
}

/// Writes `path` through `PATH.partial` with `write`, renaming it only when `write` succeeded
/// and the bytes are on disk: a reader never finds a half-written file at `path`.
pub(crate) fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> Result<(), String>,
) -> Result<(), Failure> {
    let cannot_write =
        |e: &dyn std::fmt::Display| Failure::usage(format!("cannot write {}: {e}", path.display()));
    let mut partial = PartialFile { temporary: path.with_extension("partial"), done: false };
    let file = File::create(&partial.temporary).map_err(|e| cannot_write(&e))?;
    let mut writer = BufWriter::new(file);
    write(&mut writer).map_err(|e| cannot_write(&e))?;
    let file = writer.into_inner().map_err(|e| cannot_write(&e.error()))?;
    file.sync_all().map_err(|e| cannot_write(&e))?;
    std::fs::rename(&partial.temporary, path).map_err(|e| cannot_write(&e))?;
    partial.done = true;
    Ok(())
}

impl Drop for PartialFile {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_file(&self.temporary);
        }
    }
}

/// What proving needs once the program has run on the fast path.
pub(crate) struct Prepared {
    pub(crate) program: Arc<Program>,
    pub(crate) input: Vec<u8>,
    pub(crate) config: zkvm_plugins::Config,
    pub(crate) parameters: zkvm_core::prover::ProofParameters,
    pub(crate) aggregation: zkvm_recursion::node::AggregationParameters,
    pub(crate) options: ProvingOptions,
    pub(crate) statement: BundleStatement,
    pub(crate) tables: StatementTables,
    /// Number of segments the run is cut into.
    pub(crate) segments: u64,
}

/// Loads the program, input and settings, and runs the fast path: it finds the public output
/// (part of the statement every segment proof is checked against) and any guest error before
/// proving starts.
fn prepare(args: &ProveArgs) -> Result<Prepared, Failure> {
    let program = load_program(&args.elf)?;
    let input = match &args.input {
        Some(path) => read_file(path, "input file")?,
        None => Vec::new(),
    };
    let (config, parameters) = args.parameters.load()?;
    let aggregation = args.parameters.aggregation(&config, parameters);
    let precompiles = crate::settings::precompiles(&config)?;
    let options = ProvingOptions {
        segment_cycles: args.segment_cycles.unwrap_or(config.segment_cycles),
        concurrency: args.concurrency.unwrap_or(config.concurrency).max(1),
    };
    if options.segment_cycles == 0 || options.segment_cycles > zkvm_memory::MAX_SEGMENT_CYCLES {
        return Err(Failure::usage(format!(
            "--segment-cycles must be between 1 and {}",
            zkvm_memory::MAX_SEGMENT_CYCLES
        )));
    }
    let started = Instant::now();
    eprintln!("zkvm: executing");
    let mut executor = Executor::new(program.clone(), input.clone())
        .with_max_cycles(args.max_cycles)
        .with_precompiles(Arc::clone(&precompiles));
    let exit_code = executor.run().map_err(|e| {
        let cycle = executor.cycles();
        Failure::guest(format!(
            "segment {} (cycle {cycle}): {e}; nothing was proven",
            cycle / options.segment_cycles
        ))
    })?;
    let cycles = executor.cycles();
    let segments = cycles.div_ceil(options.segment_cycles);
    eprintln!(
        "zkvm: {cycles} cycles executed in {:.2} s (exit code {exit_code}); proving {segments} segment(s) of up to {} cycles",
        started.elapsed().as_secs_f64(),
        options.segment_cycles
    );
    let statement = BundleStatement { input: input.clone(), output: executor.io.public_output.clone() };
    let tables = statement_tables(&args.elf, &program, &statement)?
        .with_precompiles(precompiles)
        .map_err(|e| Failure::usage(format!("a precompile's constraints are malformed: {e}")))?;
    Ok(Prepared { program, input, config, parameters, aggregation, options, statement, tables, segments })
}

/// Proves every segment of the prepared run, handing each record to `sink` as it is proven
/// and printing a line per segment.
pub(crate) fn prove_segments(
    prepared: &Prepared,
    max_cycles: u64,
    shape: Option<&[usize]>,
    mut sink: impl FnMut(SegmentRecord) -> Result<(), ProofFileError>,
) -> Result<(), Failure> {
    let proving = Instant::now();
    let executor =
        Executor::new(prepared.program.clone(), prepared.input.clone()).with_max_cycles(max_cycles);
    let mut proven_cycles = 0u64;
    let segments = prepared.segments;
    let proved = crate::phases::with_phase_reports(|| {
        prove_execution_shaped(
            &prepared.tables,
            executor,
            &prepared.options,
            &prepared.parameters,
            shape,
            |record, report| {
                sink(record)?;
                proven_cycles += report.cycles;
                eprintln!(
                    "zkvm: segment {}/{segments} ({} cycles) proven in {:.2} s; {proven_cycles} cycles in {:.1} s ({:.0} cycles/s)",
                    report.index + 1,
                    report.cycles,
                    report.seconds,
                    proving.elapsed().as_secs_f64(),
                    proven_cycles as f64 / proving.elapsed().as_secs_f64(),
                );
                Ok(())
            },
        )
    });
    proved.map(|_| ()).map_err(|e| match e {
        ContinuationError::Execution { .. } => Failure::guest(format!("{e}; no proof was written")),
        _ => Failure::usage(format!("proving failed: {e}; no proof was written")),
    })
}

pub(crate) fn prove(args: ProveArgs) -> Result<u8, Failure> {
    let prepared = prepare(&args)?;
    if !args.bundle {
        return crate::aggregate::prove_final(&prepared, args.max_cycles, &args.output);
    }
    let mut partial = PartialFile { temporary: args.output.with_extension("partial"), done: false };
    let cannot_write =
        |e: &dyn std::fmt::Display| Failure::usage(format!("cannot write {}: {e}", args.output.display()));
    let file = File::create(&partial.temporary).map_err(|e| cannot_write(&e))?;
    let mut writer = BundleWriter::new(BufWriter::new(file), &prepared.parameters, &prepared.statement)
        .map_err(|e| cannot_write(&e))?;
    let proving = Instant::now();
    prove_segments(&prepared, args.max_cycles, None, |record| writer.write_segment(&record))?;
    let file = writer.finish().map_err(|e| cannot_write(&e))?;
    let file = file.into_inner().map_err(|e| cannot_write(&e.error()))?;
    file.sync_all().map_err(|e| cannot_write(&e))?;
    std::fs::rename(&partial.temporary, &args.output).map_err(|e| cannot_write(&e))?;
    partial.done = true;
    let size = std::fs::metadata(&args.output).map(|m| m.len()).unwrap_or(0);
    eprintln!(
        "zkvm: proved {} segment(s) in {:.2} s; segment bundle of {size} bytes written to {}",
        prepared.segments,
        proving.elapsed().as_secs_f64(),
        args.output.display()
    );
    Ok(0)
}

/// Exit status of a proof that does not verify.
pub(crate) const EXIT_INVALID: u8 = 1;

pub(crate) fn verify(args: VerifyArgs) -> Result<u8, Failure> {
    let program = load_program(&args.elf)?;
    let (config, parameters) = args.parameters.load()?;
    let precompiles = crate::settings::precompiles(&config)?;
    let invalid =
        |reason: String| Failure { status: EXIT_INVALID, message: format!("invalid proof: {reason}") };
    let cannot_read =
        |e: std::io::Error| Failure::usage(format!("cannot read proof file {}: {e}", args.proof.display()));
    let mut file = File::open(&args.proof).map_err(cannot_read)?;
    let mut magic = Vec::with_capacity(8);
    (&mut file).take(8).read_to_end(&mut magic).map_err(cannot_read)?;
    if !magic.is_empty() && zkvm_recursion::node::FINAL_MAGIC.starts_with(&magic) {
        // A final proof is read whole (a few hundred KiB); a bundle is streamed below.
        let mut bytes = magic;
        file.read_to_end(&mut bytes).map_err(cannot_read)?;
        let aggregation = args.parameters.aggregation(&config, parameters);
        let verified = crate::aggregate::verify_final(
            &bytes,
            &program,
            &args.elf,
            &config,
            &aggregation,
            args.input.as_deref(),
        )?;
        return report(verified.exit_code, verified.segments, &verified.statement, "final proof");
    }
    file.seek(SeekFrom::Start(0)).map_err(cannot_read)?;
    let mut reader =
        BundleReader::new(BufReader::new(file), &parameters).map_err(|e| invalid(e.to_string()))?;
    let statement = reader.statement().clone();
    if let Some(path) = &args.input
        && read_file(path, "input file")? != statement.input
    {
        return Err(invalid(format!("its input is not the contents of {}", path.display())));
    }
    let verified =
        verify_bundle_with(&program, &precompiles, &mut reader, &parameters).map_err(|e| match e {
            BundleError::Program(e) => {
                Failure::usage(format!("cannot verify proofs of {}: {e}", args.elf.display()))
            }
            e => invalid(e.to_string()),
        })?;
    report(verified.exit_code, verified.segments, &statement, "segment bundle")
}

/// Prints what a valid proof attests.
fn report(exit_code: u32, segments: usize, statement: &BundleStatement, kind: &str) -> Result<u8, Failure> {
    crate::print_stdout(&format!(
        "valid: exit code {exit_code}\nproof: {kind}\nsegments: {segments}\ninput: {} bytes\npublic output ({} bytes): {}\n",
        statement.input.len(),
        statement.output.len(),
        describe_output(&statement.output)
    ))?;
    Ok(0)
}

/// The public output as text when it is printable UTF-8, else as hex.
fn describe_output(output: &[u8]) -> String {
    match std::str::from_utf8(output) {
        Ok(text) if text.chars().all(|c| !c.is_control() || c == '\n') => format!("{text:?}"),
        _ => output.iter().map(|b| format!("{b:02x}")).collect(),
    }
}
