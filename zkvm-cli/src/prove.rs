//! `zkvm prove` and `zkvm verify`: one segment (programs of up to 2^21 cycles until
//! continuations land).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use clap::Args;
use zkvm_core::prover::{
    ProofFile, ProofParameters, SegmentStatement, StatementTables, TraceError, decode_proof, encode_proof,
    generate_traces, prove_traces, verify_segment,
};
use zkvm_core::{Executor, Program, Tracer};

use crate::Failure;
use crate::run::{load_program, read_file};

/// Options shared by `prove` and `verify`.
#[derive(Args)]
pub(crate) struct ParameterArgs {
    /// Use fast, insecure proof parameters (for tests and experiments only; a proof made with
    /// them verifies only with them).
    #[arg(long)]
    insecure_test_parameters: bool,
}

impl ParameterArgs {
    fn parameters(&self) -> ProofParameters {
        if self.insecure_test_parameters { ProofParameters::TESTING } else { ProofParameters::DEFAULT }
    }
}

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
fn statement_tables(
    path: &Path,
    program: &Program,
    input: &[u8],
    output: &[u8],
) -> Result<StatementTables, Failure> {
    StatementTables::new(program, input, output)
        .map_err(|e| Failure::usage(format!("cannot prove {}: {e}", path.display())))
}

/// Writes `bytes` to `path` through a temporary file, so that no partial proof is ever left at
/// `path`.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let temporary = path.with_extension("partial");
    let mut file = std::fs::File::create(&temporary)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&temporary, path)
}

pub(crate) fn prove(args: ProveArgs) -> Result<u8, Failure> {
    let program = load_program(&args.elf)?;
    let input = match &args.input {
        Some(path) => read_file(path, "input file")?,
        None => Vec::new(),
    };
    let parameters = args.parameters.parameters();

    let started = Instant::now();
    eprintln!("zkvm: executing");
    let segment_cycles = zkvm_memory::MAX_SEGMENT_CYCLES;
    let mut tracer = Tracer::new(Executor::new(program.clone(), input.clone()), segment_cycles);
    let segment = tracer
        .next_segment()
        .map_err(|e| Failure::guest(format!("{e} (after {} cycles)", tracer.executor().cycles())))?
        .ok_or_else(|| Failure::guest("the program did not run"))?;
    if segment.exit_code.is_none() {
        return Err(Failure::usage(format!(
            "the program runs longer than one segment ({segment_cycles} cycles); proving several segments comes with continuations"
        )));
    }
    eprintln!(
        "zkvm: {} cycles executed in {:.2} s; generating traces",
        segment.cycles.len(),
        started.elapsed().as_secs_f64()
    );
    let output = tracer.executor().io.public_output.clone();
    let chip = statement_tables(&args.elf, &program, &input, &output)?;
    let traces = generate_traces(&chip, &segment)
        .map_err(|e: TraceError| Failure::usage(format!("cannot prove: {e}")))?;
    let rows: usize = traces.traces.iter().map(|t| t.values.len() / t.width).sum();
    eprintln!("zkvm: proving ({} tables, {rows} rows in all): committing to the traces", traces.traces.len());
    let proving = Instant::now();
    let proof = crate::phases::with_phase_reports(|| prove_traces(&chip, &traces, &parameters))
        .map_err(|e| Failure::usage(format!("proving failed: {e}")))?;
    let file = ProofFile { input, output, public_values: traces.public_values, proof };
    let bytes = encode_proof(file, &parameters);
    write_atomically(&args.output, &bytes)
        .map_err(|e| Failure::usage(format!("cannot write {}: {e}", args.output.display())))?;
    eprintln!(
        "zkvm: proved in {:.2} s ({:.0} cycles/s); proof {} bytes written to {}",
        proving.elapsed().as_secs_f64(),
        segment.cycles.len() as f64 / proving.elapsed().as_secs_f64(),
        bytes.len(),
        args.output.display()
    );
    Ok(0)
}

/// Exit status of a proof that does not verify.
const EXIT_INVALID: u8 = 1;

pub(crate) fn verify(args: VerifyArgs) -> Result<u8, Failure> {
    let program = load_program(&args.elf)?;
    let bytes = read_file(&args.proof, "proof file")?;
    let parameters = args.parameters.parameters();
    let invalid =
        |reason: String| Failure { status: EXIT_INVALID, message: format!("invalid proof: {reason}") };
    let file = decode_proof(&bytes, &parameters).map_err(|e| invalid(e.to_string()))?;
    if let Some(path) = &args.input
        && read_file(path, "input file")? != file.input
    {
        return Err(invalid(format!("its input is not the contents of {}", path.display())));
    }
    let chip = statement_tables(&args.elf, &program, &file.input, &file.output)?;
    let public_values = file.public_values;
    verify_segment(&chip, &file.proof, &public_values, &parameters).map_err(|e| invalid(e.to_string()))?;
    let statement =
        SegmentStatement::from_public_values(&public_values).map_err(|e| invalid(e.to_string()))?;
    if statement.initial_pc != program.entry {
        return Err(invalid(format!(
            "it starts at pc {:#010x}, not at the ELF's entry point {:#010x}",
            statement.initial_pc, program.entry
        )));
    }
    if statement.start_registers != [0; 32] {
        return Err(invalid("it does not start with all registers zero".into()));
    }
    if statement.input_position[0] != 0 || statement.output_position[0] != 0 {
        return Err(invalid("it does not start at the beginning of the input and output".into()));
    }
    if statement.output_position[1] as usize != file.output.len()
        || statement.input_length as usize != file.input.len()
    {
        return Err(invalid("its input or output length disagrees with its public values".into()));
    }
    println!("valid: exit code {}", statement.exit_code);
    println!("input: {} bytes", file.input.len());
    println!("public output ({} bytes): {}", file.output.len(), describe_output(&file.output));
    Ok(0)
}

/// The public output as text when it is printable UTF-8, else as hex.
fn describe_output(output: &[u8]) -> String {
    match std::str::from_utf8(output) {
        Ok(text) if text.chars().all(|c| !c.is_control() || c == '\n') => format!("{text:?}"),
        _ => output.iter().map(|b| format!("{b:02x}")).collect(),
    }
}
