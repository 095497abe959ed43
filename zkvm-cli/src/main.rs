//! `zkvm`: run RISC-V programs on the zkvm machine.
//!
//! Exit status: the guest's exit code after a run (codes above 255 are reported as 255); 2 when
//! the command itself fails (bad arguments, unreadable or malformed files); 3 when the guest
//! faults (illegal instruction, misaligned access, cycle limit, ...).

mod run;

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
}

/// A failure of the command, with the exit status it maps to.
pub(crate) struct Failure {
    status: u8,
    message: String,
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => run::run(args),
    };
    match result {
        Ok(status) => ExitCode::from(status),
        Err(failure) => {
            eprintln!("error: {}", failure.message);
            ExitCode::from(failure.status)
        }
    }
}
