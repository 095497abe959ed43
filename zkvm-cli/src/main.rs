//! `zkvm`: run RISC-V programs on the zkvm machine.
//!
//! Exit status: the guest's exit code after a run (codes above 255 are reported as 255); 2 when
//! the command itself fails (bad arguments, unreadable or malformed files); 3 when the guest
//! faults (illegal instruction, misaligned access, cycle limit, ...).

// Printing results on stdout is what a command-line tool does.
#![allow(clippy::print_stdout)]

// Compiled-in plugins register themselves with `inventory`; naming the crate links it in.
use zkvm_plugin_keccak as _;
use zkvm_plugin_sha256 as _;

mod aggregate;
mod distributed;
mod phases;
mod plugins;
mod prove;
mod run;
mod settings;
mod soundcalc;
mod spec;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Exit status when the command could not be carried out.
const EXIT_USAGE: u8 = 2;
/// Exit status when the guest program faulted.
const EXIT_GUEST_FAULT: u8 = 3;

#[derive(Parser)]
#[command(name = "zkvm", version, about = "A STARK-based RISC-V (RV32IM) zkVM")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Execute a program: guest fds 1 and 2 go to stdout and stderr, the exit status is the
    /// guest's exit code.
    Run(run::RunArgs),
    /// Prove an execution (RV32IM and the guest ABI): its segment proofs aggregated into one
    /// final proof, or with `--bundle` one proof per segment, chained by their boundary states.
    Prove(prove::ProveArgs),
    /// Verify a proof file (final proof or segment bundle) against the ELF and the config: exit
    /// 0 and print the exit code and public output if it is valid, else exit 1 with the reason.
    Verify(prove::VerifyArgs),
    /// Write one checkpoint file per segment (its start state and the memory it touches), from
    /// which `prove-segment` proves that segment alone, on any machine.
    Checkpoint(distributed::CheckpointArgs),
    /// Prove one segment from its checkpoint file and write a segment proof file.
    ProveSegment(distributed::ProveSegmentArgs),
    /// Join the segment proofs in a checkpoint directory into one proof file.
    Join(distributed::JoinArgs),
    /// List the plugins of this build (the built-in RV32IM chipset among them), which the
    /// config enables, their chips with their buses, and their ecalls with their numbers.
    Plugins(plugins::PluginsArgs),
    /// Write the machine's description (chips with their columns, constraints and bus
    /// interactions; buses with their endpoints) as JSON files for the whitepaper.
    Spec(spec::SpecArgs),
    /// Print the soundness parameters of every circuit of the configured system as the input
    /// of the Ethereum Foundation's soundcalc (TOML), or with `--bits` our computation of the
    /// bits of security of each term.
    Soundcalc(soundcalc::SoundcalcArgs),
}

/// A failure of the command, with the exit status it maps to.
pub(crate) struct Failure {
    pub(crate) status: u8,
    pub(crate) message: String,
}

impl Failure {
    /// The command could not be carried out (bad input, unreadable file).
    pub(crate) fn usage(message: impl Into<String>) -> Self {
        Failure { status: EXIT_USAGE, message: message.into() }
    }

    /// The guest program faulted.
    pub(crate) fn guest(message: impl Into<String>) -> Self {
        Failure { status: EXIT_GUEST_FAULT, message: message.into() }
    }
}

/// Writes `text` to standard output. A reader that stops early (`zkvm plugins | head`) is not
/// an error: a closed pipe ends the output quietly.
pub(crate) fn print_stdout(text: &str) -> Result<(), Failure> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::usage(format!("cannot write to standard output: {e}"))),
    }
}

/// The message of the last panic, kept by the panic hook instead of printed.
static LAST_PANIC: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

fn main() -> ExitCode {
    // Every failure is a typed error printed as one line; a panic would be a bug, so the hook
    // keeps its message and the catch below reports it as an internal error on one line.
    std::panic::set_hook(Box::new(|info| {
        if let Ok(mut last) = LAST_PANIC.lock() {
            *last = Some(info.to_string().lines().next().unwrap_or_default().to_string());
        }
    }));
    let cli = Cli::parse();
    match std::panic::catch_unwind(|| dispatch(cli)) {
        Ok(code) => code,
        Err(_) => {
            let message = LAST_PANIC.lock().ok().and_then(|m| m.clone()).unwrap_or_default();
            eprintln!("error: internal error (a bug in zkvm): {message}");
            ExitCode::from(101)
        }
    }
}

fn dispatch(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Run(args) => run::run(args),
        Command::Prove(args) => prove::prove(args),
        Command::Verify(args) => prove::verify(args),
        Command::Checkpoint(args) => distributed::checkpoint(args),
        Command::ProveSegment(args) => distributed::prove_segment(args),
        Command::Join(args) => distributed::join(args),
        Command::Plugins(args) => plugins::plugins(args),
        Command::Spec(args) => spec::spec(args),
        Command::Soundcalc(args) => soundcalc::soundcalc(args),
    };
    match result {
        Ok(status) => ExitCode::from(status),
        Err(failure) => {
            eprintln!("error: {}", failure.message);
            ExitCode::from(failure.status)
        }
    }
}
