//! The tracing path: execution cut into segments, each recorded as the events the chips need.

use std::ops::Range;

use rustc_hash::FxHashMap;
use zkvm_memory::merkle::{LEAF_WORDS, LeafUpdate};

use super::observer::{EcallRecord, Observer, Step, WordAccess};
use super::{ExecError, Executor, RegisterState, RunStatus};

/// One executed instruction of a segment, with the memory words it accessed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CycleEvent {
    /// What the instruction did.
    pub step: Step,
    /// Index of its first word access in [`SegmentTrace::accesses`].
    pub first_access: u32,
    /// Number of word accesses (0 or 1 for instructions, any number for ecalls).
    pub access_count: u32,
}

impl CycleEvent {
    /// The range of this instruction's accesses in [`SegmentTrace::accesses`].
    pub fn accesses(&self) -> Range<usize> {
        let start = self.first_access as usize;
        start..start + self.access_count as usize
    }
}

/// One `ecall` of a segment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EcallEvent {
    /// Index of the instruction in [`SegmentTrace::cycles`].
    pub cycle: u32,
    /// Call number, arguments and result.
    pub record: EcallRecord,
}

/// Everything one segment of execution did: the input from which its chip traces are built.
///
/// A segment starts at an instruction boundary in state `start` with memory as the previous
/// segment left it, and ends at `end` after `cycles.len()` instructions (or when the guest
/// halts). `memory_before` and `memory_after` list each word the segment touched, with its value
/// at the segment's start and end: the boundary the memory argument checks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SegmentTrace {
    /// Position of this segment in the execution, from 0.
    pub index: usize,
    /// Cycles executed before this segment.
    pub start_cycle: u64,
    /// pc and registers before the first instruction.
    pub start: RegisterState,
    /// pc and registers after the last instruction.
    pub end: RegisterState,
    /// The guest's exit code, if it halted in this segment (then this is the last segment).
    pub exit_code: Option<u32>,
    /// One event per executed instruction, in order.
    pub cycles: Vec<CycleEvent>,
    /// Every memory word access, in order.
    pub accesses: Vec<WordAccess>,
    /// Every `ecall`, in order.
    pub ecalls: Vec<EcallEvent>,
    /// Each touched word's value when the segment started, sorted by address.
    pub memory_before: Vec<(u32, u32)>,
    /// Each touched word's value when the segment ended, sorted by address.
    pub memory_after: Vec<(u32, u32)>,
    /// Every leaf of the memory tree (8 aligned words) holding a touched word, by index, with
    /// all its words at the segment's start and end: what the memory commitment changes.
    pub leaves: Vec<LeafUpdate>,
    /// The input bytes the segment read (whole words, clipped to the input), as a range.
    pub input: Range<usize>,
    /// The public-output bytes the segment wrote, as a range of the whole public output.
    pub public_output: Range<usize>,
}

/// The leaves holding the words of `memory_before` (byte addresses, sorted, with their values
/// at the segment's start), with every word before and after; untouched words of a touched
/// leaf are the same at both ends, so `memory` (the state at the segment's end) gives them.
fn touched_leaves(memory_before: &[(u32, u32)], memory: &crate::memory::Memory) -> Vec<LeafUpdate> {
    const LEAF_BYTES: u32 = 4 * LEAF_WORDS;
    let mut leaves: Vec<LeafUpdate> = Vec::new();
    for &(address, before) in memory_before {
        let index = address / LEAF_BYTES;
        if leaves.last().is_none_or(|leaf| leaf.index != index) {
            let words: [u32; LEAF_WORDS as usize] =
                std::array::from_fn(|j| memory.load_word(index * LEAF_BYTES + 4 * j as u32));
            leaves.push(LeafUpdate { index, before: words, after: words });
        }
        let leaf = leaves.last_mut().expect("pushed above");
        leaf.before[(address % LEAF_BYTES / 4) as usize] = before;
    }
    leaves
}

#[derive(Default)]
struct Recorder {
    cycles: Vec<CycleEvent>,
    accesses: Vec<WordAccess>,
    ecalls: Vec<EcallEvent>,
    first_values: FxHashMap<u32, u32>,
    pending_from: u32,
}

impl Observer for Recorder {
    const TRACE: bool = true;

    fn word_access(&mut self, access: WordAccess) {
        self.first_values.entry(access.address).or_insert(access.before);
        self.accesses.push(access);
    }

    fn ecall(&mut self, record: EcallRecord) {
        self.ecalls.push(EcallEvent { cycle: self.cycles.len() as u32, record });
    }

    fn step(&mut self, step: &Step) {
        let end = self.accesses.len() as u32;
        self.cycles.push(CycleEvent {
            step: *step,
            first_access: self.pending_from,
            access_count: end - self.pending_from,
        });
        self.pending_from = end;
    }
}

/// Runs a program segment by segment on the tracing path.
///
/// Each call to [`Tracer::next_segment`] executes up to `segment_cycles` instructions and returns
/// their events; nothing of earlier segments is kept, so memory use is bounded by one segment.
#[derive(Debug)]
pub struct Tracer {
    executor: Executor,
    segment_cycles: u64,
    next_index: usize,
}

impl Tracer {
    /// Traces `executor` from its current state in segments of at most `segment_cycles`
    /// instructions (at least 1).
    pub fn new(executor: Executor, segment_cycles: u64) -> Self {
        Tracer { executor, segment_cycles: segment_cycles.max(1), next_index: 0 }
    }

    /// Numbers the next segment `index` (when tracing resumes from a checkpoint).
    pub fn starting_at(mut self, index: usize) -> Self {
        self.next_index = index;
        self
    }

    /// The executor, with the state after the last returned segment.
    pub fn executor(&self) -> &Executor {
        &self.executor
    }

    /// The executor, to change its state between segments (see [`Executor::state_mut`]).
    pub fn executor_mut(&mut self) -> &mut Executor {
        &mut self.executor
    }

    /// Gives the executor back.
    pub fn into_executor(self) -> Executor {
        self.executor
    }

    /// Executes and records the next segment; `Ok(None)` once the guest has halted.
    pub fn next_segment(&mut self) -> Result<Option<SegmentTrace>, ExecError> {
        if self.executor.exit_code().is_some() {
            return Ok(None);
        }
        let start = *self.executor.state();
        let start_cycle = self.executor.cycles();
        let input_start = self.executor.io.input_position.min(self.executor.io.input.len());
        let output_start = self.executor.io.public_output.len();
        let mut recorder = Recorder::default();
        let status = self.executor.run_observed(self.segment_cycles, &mut recorder)?;
        let mut memory_before: Vec<(u32, u32)> = recorder.first_values.into_iter().collect();
        memory_before.sort_unstable();
        let memory = self.executor.memory();
        let memory_after = memory_before.iter().map(|&(a, _)| (a, memory.load_word(a))).collect();
        let leaves = touched_leaves(&memory_before, memory);
        let index = self.next_index;
        self.next_index += 1;
        Ok(Some(SegmentTrace {
            index,
            start_cycle,
            start,
            end: *self.executor.state(),
            exit_code: match status {
                RunStatus::Halted(code) => Some(code),
                RunStatus::Paused => None,
            },
            cycles: recorder.cycles,
            accesses: recorder.accesses,
            ecalls: recorder.ecalls,
            memory_before,
            memory_after,
            leaves,
            input: input_start..self.executor.io.input_position.min(self.executor.io.input.len()),
            public_output: output_start..self.executor.io.public_output.len(),
        }))
    }
}

impl Iterator for Tracer {
    type Item = Result<SegmentTrace, ExecError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_segment().transpose()
    }
}
