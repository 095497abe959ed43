//! Proving one segment at a time, on any machine: `zkvm checkpoint` writes a checkpoint per
//! segment, `zkvm prove-segment` proves one segment from its checkpoint, `zkvm join` gathers the
//! segment proofs into one proof file that `zkvm verify` checks like any other.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Args;
use zkvm_core::executor::DEFAULT_MAX_CYCLES;
use zkvm_core::prover::{
    BundleWriter, Checkpoint, CheckpointError, ContinuationError, ProofFileError, make_checkpoints,
    prove_checkpoint, read_segment_file, write_segment_file,
};

use crate::Failure;
use crate::prove::write_atomically;
use crate::run::{load_program, read_file};
use crate::settings::{ConfigArgs, ParameterArgs};

/// Extension of checkpoint files.
const CHECKPOINT_EXTENSION: &str = "ckpt";
/// Extension of single-segment proof files.
const SEGMENT_PROOF_EXTENSION: &str = "proof";

#[derive(Args)]
pub(crate) struct CheckpointArgs {
    /// The RV32IM ELF executable.
    elf: PathBuf,
    /// File whose bytes are the guest's input.
    #[arg(long, value_name = "FILE")]
    input: Option<PathBuf>,
    /// Directory to write `segment-NNNNNN.ckpt` files into (created if missing).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Cycles per segment (1 ..= 2097152) [default: the config's `segment.cycles`, else 262144].
    #[arg(long, value_name = "N")]
    segment_cycles: Option<u64>,
    /// Stop with an error after this many cycles.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_CYCLES)]
    max_cycles: u64,
    #[command(flatten)]
    config: ConfigArgs,
}

#[derive(Args)]
pub(crate) struct ProveSegmentArgs {
    /// The checkpoint file.
    checkpoint: PathBuf,
    /// The ELF the checkpoint was made from.
    #[arg(long, value_name = "ELF")]
    elf: PathBuf,
    /// Where to write the segment proof [default: the checkpoint's path with extension .proof].
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    parameters: ParameterArgs,
}

#[derive(Args)]
pub(crate) struct JoinArgs {
    /// Directory holding the checkpoints and the segment proofs (`*.proof`) of one execution.
    dir: PathBuf,
    /// Where to write the proof file.
    #[arg(short, long, value_name = "PROOF")]
    output: PathBuf,
    #[command(flatten)]
    parameters: ParameterArgs,
}

/// The checkpoint file of segment `index` in `dir`.
fn checkpoint_path(dir: &Path, index: usize) -> PathBuf {
    dir.join(format!("segment-{index:06}.{CHECKPOINT_EXTENSION}"))
}

pub(crate) fn checkpoint(args: CheckpointArgs) -> Result<u8, Failure> {
    let program = load_program(&args.elf)?;
    let input = match &args.input {
        Some(path) => read_file(path, "input file")?,
        None => Vec::new(),
    };
    std::fs::create_dir_all(&args.out)
        .map_err(|e| Failure::usage(format!("cannot create {}: {e}", args.out.display())))?;
    let started = Instant::now();
    let mut written = 0usize;
    let config = args.config.load()?;
    let precompiles = crate::settings::precompiles(&config)?;
    let segment_cycles = args.segment_cycles.unwrap_or(config.segment_cycles);
    let made =
        make_checkpoints(program, input, &precompiles, segment_cycles, args.max_cycles, |checkpoint| {
            let path = checkpoint_path(&args.out, checkpoint.segment as usize);
            write_atomically(&path, |writer| checkpoint.write_to(writer).map_err(|e| e.to_string()))
                .map_err(|failure| ProofFileError::Io(std::io::Error::other(failure.message)))?;
            written += 1;
            if written.is_multiple_of(64) {
                eprintln!("zkvm: {written} checkpoints written");
            }
            Ok(())
        });
    let segments = made.map_err(|e| match e {
        ContinuationError::Execution { .. } => Failure::guest(e.to_string()),
        e => Failure::usage(e.to_string()),
    })?;
    eprintln!(
        "zkvm: {segments} checkpoint(s) written to {} in {:.2} s",
        args.out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(0)
}

pub(crate) fn prove_segment(args: ProveSegmentArgs) -> Result<u8, Failure> {
    let program = load_program(&args.elf)?;
    let (config, parameters) = args.parameters.load()?;
    let precompiles = crate::settings::precompiles(&config)?;
    let file = File::open(&args.checkpoint)
        .map_err(|e| Failure::usage(format!("cannot read {}: {e}", args.checkpoint.display())))?;
    let checkpoint = Checkpoint::read_from(BufReader::new(file))
        .map_err(|e| Failure::usage(format!("{}: {e}", args.checkpoint.display())))?;
    let started = Instant::now();
    let record = crate::phases::with_phase_reports(|| {
        prove_checkpoint(&program, &precompiles, &checkpoint, &parameters)
    })
    .map_err(|e| match e {
        CheckpointError::Execution { .. } => Failure::guest(e.to_string()),
        e => Failure::usage(format!("{}: {e}", args.checkpoint.display())),
    })?;
    let output = args.output.unwrap_or_else(|| args.checkpoint.with_extension(SEGMENT_PROOF_EXTENSION));
    write_atomically(&output, |writer| {
        write_segment_file(writer, &parameters, checkpoint.segment, &record).map_err(|e| e.to_string())
    })?;
    eprintln!(
        "zkvm: segment {} ({} cycles) proven in {:.2} s; written to {}",
        checkpoint.segment,
        checkpoint.cycles,
        started.elapsed().as_secs_f64(),
        output.display()
    );
    Ok(0)
}

pub(crate) fn join(args: JoinArgs) -> Result<u8, Failure> {
    let (_, parameters) = args.parameters.load()?;
    let entries = std::fs::read_dir(&args.dir)
        .map_err(|e| Failure::usage(format!("cannot read {}: {e}", args.dir.display())))?;
    let mut proofs: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|e| e == SEGMENT_PROOF_EXTENSION))
        .collect();
    proofs.sort();
    if proofs.is_empty() {
        return Err(Failure::usage(format!("no segment proofs (*.proof) in {}", args.dir.display())));
    }
    // Each segment proof, by index; the statement comes from the first segment's checkpoint.
    let mut records = Vec::with_capacity(proofs.len());
    for path in &proofs {
        let file =
            File::open(path).map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))?;
        let (index, record) = read_segment_file(BufReader::new(file), &parameters)
            .map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?;
        records.push((index, path, record));
    }
    records.sort_by_key(|(index, _, _)| *index);
    for (expected, (index, path, _)) in records.iter().enumerate() {
        if *index < expected as u64 {
            return Err(Failure::usage(format!("{} is a second proof of segment {index}", path.display())));
        }
        if *index > expected as u64 {
            return Err(Failure::usage(format!(
                "segment {expected} has no proof in {} (the next is {})",
                args.dir.display(),
                path.display()
            )));
        }
    }
    // Every checkpoint of the directory must be proven (a missing last segment would otherwise
    // show only as a proof that does not halt).
    let next = records.len();
    if checkpoint_path(&args.dir, next).exists() {
        return Err(Failure::usage(format!(
            "segment {next} has a checkpoint in {} but no proof",
            args.dir.display()
        )));
    }
    let first = checkpoint_path(&args.dir, 0);
    let file =
        File::open(&first).map_err(|e| Failure::usage(format!("cannot read {}: {e}", first.display())))?;
    let statement = Checkpoint::read_from(BufReader::new(file))
        .map_err(|e| Failure::usage(format!("{}: {e}", first.display())))?
        .statement;
    write_atomically(&args.output, |writer| {
        let mut bundle = BundleWriter::new(writer, &parameters, &statement).map_err(|e| e.to_string())?;
        for (_, _, record) in &records {
            bundle.write_segment(record).map_err(|e| e.to_string())?;
        }
        bundle.finish().map(drop).map_err(|e| e.to_string())
    })?;
    eprintln!("zkvm: {} segment proof(s) joined into {}", records.len(), args.output.display());
    Ok(0)
}
