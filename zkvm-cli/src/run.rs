//! `zkvm run`: execute a program on the fast path.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use zkvm_core::executor::{InstructionCounts, Sink};
use zkvm_core::isa::InstructionClass;
use zkvm_core::{Executor, Program, RunStatus};

use crate::Failure;

/// Cycles executed between two progress updates.
const PROGRESS_CHUNK: u64 = 1 << 26;

#[derive(Args)]
pub(crate) struct RunArgs {
    /// The RV32IM ELF executable.
    elf: PathBuf,
    /// File whose bytes are the guest's input (read with the READ_WORD call).
    #[arg(long, value_name = "FILE")]
    input: Option<PathBuf>,
    /// Stop with an error after this many cycles.
    #[arg(long, value_name = "N", default_value_t = zkvm_core::executor::DEFAULT_MAX_CYCLES)]
    max_cycles: u64,
    /// Print cycles, speed and instructions per class on stderr after the run.
    #[arg(long)]
    stats: bool,
    #[command(flatten)]
    config: crate::settings::ConfigArgs,
}

pub(crate) fn read_file(path: &Path, what: &str) -> Result<Vec<u8>, Failure> {
    std::fs::read(path).map_err(|e| Failure::usage(format!("cannot read {what} {}: {e}", path.display())))
}

pub(crate) fn load_program(path: &Path) -> Result<Arc<Program>, Failure> {
    let bytes = read_file(path, "ELF file")?;
    let program = Program::from_elf(&bytes)
        .map_err(|e| Failure::usage(format!("cannot load {}: {e}", path.display())))?;
    Ok(Arc::new(program))
}

/// A writer that hides the progress line while guest output is printed.
struct AboveProgress<W> {
    bar: ProgressBar,
    inner: W,
}

impl<W: Write> Write for AboveProgress<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let (bar, inner) = (&self.bar, &mut self.inner);
        bar.suspend(|| inner.write(buf))
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

pub(crate) fn run(args: RunArgs) -> Result<u8, Failure> {
    // The config's plugins bring their precompiles' calls.
    let precompiles = crate::settings::precompiles(&args.config.load()?)?;
    let program = load_program(&args.elf)?;
    let input = match &args.input {
        Some(path) => read_file(path, "input file")?,
        None => Vec::new(),
    };
    let mut executor =
        Executor::new(program, input).with_max_cycles(args.max_cycles).with_precompiles(precompiles);

    // The progress line appears only on a terminal, and only once a run takes a while.
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    bar.set_style(ProgressStyle::with_template("{spinner} executing: {msg}").expect("valid template"));
    executor.io.stdout = Sink::Stream(Box::new(AboveProgress { bar: bar.clone(), inner: std::io::stdout() }));
    executor.io.stderr = Sink::Stream(Box::new(AboveProgress { bar: bar.clone(), inner: std::io::stderr() }));

    let started = Instant::now();
    let mut counts = InstructionCounts::default();
    let outcome = loop {
        let chunk = if args.stats {
            executor.run_observed(PROGRESS_CHUNK, &mut counts)
        } else {
            executor.run_for(PROGRESS_CHUNK)
        };
        match chunk {
            Ok(RunStatus::Halted(code)) => break Ok(code),
            Ok(RunStatus::Paused) => {
                let elapsed = started.elapsed();
                if elapsed > Duration::from_secs(1) {
                    let rate = executor.cycles() as f64 / elapsed.as_secs_f64() / 1e6;
                    bar.set_message(format!("{} cycles ({rate:.0} M/s)", executor.cycles()));
                    bar.tick();
                }
            }
            Err(error) => break Err(error),
        }
    };
    bar.finish_and_clear();
    let elapsed = started.elapsed();
    if args.stats {
        print_stats(&executor, &counts, elapsed);
    }
    let code = outcome.map_err(|e| Failure::guest(format!("{e} (after {} cycles)", executor.cycles())))?;
    if code > 255 {
        eprintln!("zkvm: guest exit code {code} does not fit an exit status; exiting with 255");
    }
    Ok(code.min(255) as u8)
}

fn print_stats(executor: &Executor, counts: &InstructionCounts, elapsed: Duration) {
    let cycles = executor.cycles();
    let seconds = elapsed.as_secs_f64();
    let mut report = String::new();
    report.push_str(&format!("cycles: {cycles}\n"));
    report.push_str(&format!(
        "time: {seconds:.3} s ({:.1} M cycles/s)\n",
        cycles as f64 / seconds.max(1e-9) / 1e6
    ));
    for class in InstructionClass::ALL {
        let n = counts.class_total(class);
        if n > 0 {
            let share = 100.0 * n as f64 / cycles.max(1) as f64;
            report.push_str(&format!("  {:<16} {n:>14} {share:>6.2}%\n", class.name()));
        }
    }
    report.push_str(&format!("memory pages touched: {}\n", executor.memory().allocated_pages()));
    report.push_str(&format!(
        "input bytes read: {}/{}\n",
        executor.io.input_position.min(executor.io.input.len()),
        executor.io.input.len()
    ));
    let public = &executor.io.public_output;
    let hex: String = public.iter().take(64).map(|b| format!("{b:02x}")).collect();
    let more = if public.len() > 64 { "…" } else { "" };
    report.push_str(&format!("public output ({} bytes): {hex}{more}\n", public.len()));
    match executor.exit_code() {
        Some(code) => report.push_str(&format!("exit code: {code}\n")),
        None => report.push_str("exit code: none (did not halt)\n"),
    }
    eprint!("{report}");
}
