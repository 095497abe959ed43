//! Hooks through which the interpreter reports what it executes.
//!
//! The interpreter loop is generic over an [`Observer`]; with [`NoObserver`] every hook compiles
//! away, which is the fast path. [`InstructionCounts`] gathers statistics, and the tracing path
//! records events through the same hooks, so that all paths share one implementation of the
//! instruction semantics.

use crate::isa::{Instruction, InstructionClass, Opcode};

/// One aligned word of memory as an instruction or ecall accessed it. A read has
/// `before == after`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct WordAccess {
    /// The word's address (a multiple of 4).
    pub address: u32,
    /// The word's value before the access.
    pub before: u32,
    /// The word's value after the access.
    pub after: u32,
}

/// What one executed instruction did, as the tracing path records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    /// Address of the instruction.
    pub pc: u32,
    /// Address of the next instruction (equal to `pc` for the halting `ecall`).
    pub next_pc: u32,
    /// The raw instruction word.
    pub word: u32,
    /// The decoded instruction.
    pub instruction: Instruction,
    /// Value of register `rs1` before the instruction.
    pub rs1_value: u32,
    /// Value of register `rs2` before the instruction.
    pub rs2_value: u32,
    /// Value of register `rd` after the instruction (0 when `rd` is x0 or not written).
    pub rd_value: u32,
}

/// The arguments and result of one `ecall`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EcallRecord {
    /// The call number (`t0`).
    pub call: u32,
    /// `a0`, `a1`, `a2` before the call.
    pub args: [u32; 3],
    /// `a0` after the call (the exit code for `HALT`).
    pub result: u32,
}

/// Receives what the interpreter executes. All hooks default to doing nothing.
pub trait Observer {
    /// Whether the interpreter should compute the data only tracing needs (memory values
    /// before a store, per-word accesses of ecalls). `false` keeps the fast path fast.
    const TRACE: bool;

    /// Called once per executed instruction, before [`Observer::step`], with its opcode.
    #[inline(always)]
    fn opcode(&mut self, _opcode: Opcode) {}

    /// Called for each memory word an instruction or ecall accesses, in access order, before
    /// the [`Observer::step`] of that instruction. Only called when `TRACE` is true.
    #[inline(always)]
    fn word_access(&mut self, _access: WordAccess) {}

    /// Called for each `ecall`, before the [`Observer::step`] of that instruction. Only called
    /// when `TRACE` is true.
    #[inline(always)]
    fn ecall(&mut self, _record: EcallRecord) {}

    /// Called after each executed instruction. Only called when `TRACE` is true.
    #[inline(always)]
    fn step(&mut self, _step: &Step) {}
}

/// Observes nothing: the fast path.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoObserver;

impl Observer for NoObserver {
    const TRACE: bool = false;
}

/// Counts executed instructions per opcode.
#[derive(Clone, Debug)]
pub struct InstructionCounts {
    counts: [u64; Opcode::COUNT],
}

impl Default for InstructionCounts {
    fn default() -> Self {
        InstructionCounts { counts: [0; Opcode::COUNT] }
    }
}

impl InstructionCounts {
    /// How many times `opcode` executed.
    pub fn get(&self, opcode: Opcode) -> u64 {
        self.counts[opcode.index()]
    }

    /// How many instructions of `class` executed.
    pub fn class_total(&self, class: InstructionClass) -> u64 {
        Opcode::ALL.iter().filter(|op| op.class() == class).map(|&op| self.get(op)).sum()
    }

    /// Total instructions executed.
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }
}

impl Observer for InstructionCounts {
    const TRACE: bool = false;

    #[inline(always)]
    fn opcode(&mut self, opcode: Opcode) {
        self.counts[opcode.index()] += 1;
    }
}
