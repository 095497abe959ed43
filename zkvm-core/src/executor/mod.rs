//! Executing a loaded program.
//!
//! [`Executor`] holds the machine state (pc, registers, memory, I/O) and runs the interpreter in
//! one of three ways that share a single implementation of the instruction semantics:
//! - [`Executor::run`] and [`Executor::run_for`]: the fast path, no recording;
//! - [`Executor::run_counting`]: counts instructions per opcode for `zkvm run --stats`;
//! - [`Tracer`]: the tracing path, which yields one [`SegmentTrace`] at a time with the events the
//!   chips are built from, so that a long execution never has to be held in memory whole.

mod error;
mod interpreter;
mod io;
mod observer;
mod trace;

use std::sync::Arc;

pub use error::ExecError;
pub use io::{GuestIo, Sink};
pub use observer::{EcallRecord, InstructionCounts, NoObserver, Observer, Step, WordAccess};
pub use trace::{CycleEvent, EcallEvent, SegmentTrace, Tracer};

use crate::elf::Program;
use crate::memory::Memory;
use crate::precompile::PrecompileSet;

/// Default cap on the number of cycles one run may take (2^36, ~69 billion).
pub const DEFAULT_MAX_CYCLES: u64 = 1 << 36;

/// The architectural state visible at an instruction boundary: program counter and registers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RegisterState {
    /// Address of the next instruction to execute.
    pub pc: u32,
    /// x0..x31; x0 is always 0.
    pub regs: [u32; 32],
}

/// A state to resume execution from (see [`Executor::resume`]).
#[derive(Debug)]
pub struct ResumePoint {
    /// pc and registers.
    pub state: RegisterState,
    /// The memory (or the part of it the rest of the run touches).
    pub memory: Memory,
    /// Cycles executed before.
    pub cycles: u64,
    /// Input bytes already read.
    pub input_position: usize,
    /// Public output already committed.
    pub public_output: Vec<u8>,
}

/// How a call to the interpreter ended without error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunStatus {
    /// The guest called `HALT` with this exit code.
    Halted(u32),
    /// The requested number of cycles ran; the guest has not halted.
    Paused,
}

/// A program being executed: its state, its I/O and the cycle count.
#[derive(Debug)]
pub struct Executor {
    program: Arc<Program>,
    memory: Memory,
    state: RegisterState,
    cycles: u64,
    max_cycles: u64,
    exit_code: Option<u32>,
    precompiles: Arc<PrecompileSet>,
    /// Input and output streams; set sinks before running to stream the output.
    pub io: GuestIo,
}

impl Executor {
    /// Prepares `program` to run from its entry point with the given input.
    pub fn new(program: Arc<Program>, input: Vec<u8>) -> Self {
        let memory = Memory::from_program(&program);
        let state = RegisterState { pc: program.entry, regs: [0; 32] };
        Executor {
            program,
            memory,
            state,
            cycles: 0,
            max_cycles: DEFAULT_MAX_CYCLES,
            exit_code: None,
            precompiles: Arc::default(),
            io: GuestIo { input, ..GuestIo::default() },
        }
    }

    /// Prepares `program` to continue from `point` (a segment's start, as a checkpoint records
    /// it) with the given input: the memory holds only what `point` gives, so the run is faithful
    /// only while it touches nothing else.
    pub fn resume(program: Arc<Program>, input: Vec<u8>, point: ResumePoint) -> Self {
        Executor {
            program,
            memory: point.memory,
            state: point.state,
            cycles: point.cycles,
            max_cycles: DEFAULT_MAX_CYCLES,
            exit_code: None,
            precompiles: Arc::default(),
            io: GuestIo {
                input,
                input_position: point.input_position,
                public_output: point.public_output,
                ..GuestIo::default()
            },
        }
    }

    /// Sets the total number of cycles after which execution fails with
    /// [`ExecError::CycleLimit`].
    pub fn with_max_cycles(mut self, max_cycles: u64) -> Self {
        self.max_cycles = max_cycles;
        self
    }

    /// Enables `precompiles`: their call numbers run them instead of failing as unknown.
    pub fn with_precompiles(mut self, precompiles: Arc<PrecompileSet>) -> Self {
        self.precompiles = precompiles;
        self
    }

    /// The enabled precompiles.
    pub fn precompiles(&self) -> &Arc<PrecompileSet> {
        &self.precompiles
    }

    /// The program being run.
    pub fn program(&self) -> &Arc<Program> {
        &self.program
    }

    /// The current memory.
    pub fn memory(&self) -> &Memory {
        &self.memory
    }

    /// The current pc and registers.
    pub fn state(&self) -> &RegisterState {
        &self.state
    }

    /// The pc and registers, to change (to resume from a checkpoint, or to test that a proof
    /// of a changed state is rejected).
    pub fn state_mut(&mut self) -> &mut RegisterState {
        &mut self.state
    }

    /// The memory, to change (as for [`Executor::state_mut`]).
    pub fn memory_mut(&mut self) -> &mut Memory {
        &mut self.memory
    }

    /// Cycles executed so far (one instruction is one cycle).
    pub fn cycles(&self) -> u64 {
        self.cycles
    }

    /// The configured cycle limit.
    pub fn max_cycles(&self) -> u64 {
        self.max_cycles
    }

    /// The exit code, once the guest has halted.
    pub fn exit_code(&self) -> Option<u32> {
        self.exit_code
    }

    /// Runs until the guest halts, returning its exit code.
    pub fn run(&mut self) -> Result<u32, ExecError> {
        self.run_to_halt(&mut NoObserver)
    }

    /// Runs until the guest halts, counting instructions per opcode into `counts`.
    pub fn run_counting(&mut self, counts: &mut InstructionCounts) -> Result<u32, ExecError> {
        self.run_to_halt(counts)
    }

    /// Runs at most `cycles` more cycles (fewer if the cycle limit comes first, which is then an
    /// error). Use it to report progress on long runs.
    pub fn run_for(&mut self, cycles: u64) -> Result<RunStatus, ExecError> {
        self.run_observed(cycles, &mut NoObserver)
    }

    /// [`Executor::run_for`] with any observer.
    pub fn run_observed<O: Observer>(
        &mut self,
        cycles: u64,
        observer: &mut O,
    ) -> Result<RunStatus, ExecError> {
        if let Some(code) = self.exit_code {
            return Ok(RunStatus::Halted(code));
        }
        let budget = cycles.min(self.max_cycles - self.cycles.min(self.max_cycles));
        let status = self.interpret(budget, observer)?;
        if status == RunStatus::Paused && self.cycles >= self.max_cycles && budget < cycles {
            return Err(ExecError::CycleLimit { limit: self.max_cycles, pc: self.state.pc });
        }
        Ok(status)
    }

    fn run_to_halt<O: Observer>(&mut self, observer: &mut O) -> Result<u32, ExecError> {
        loop {
            if let RunStatus::Halted(code) = self.run_observed(u64::MAX, observer)? {
                return Ok(code);
            }
        }
    }
}
