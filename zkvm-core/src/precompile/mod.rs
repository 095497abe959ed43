//! Precompiles: ecalls whose work is proven by a chip of their own.
//!
//! A precompile is a function `f` from `n` words to `n` words, applied in place: the guest puts
//! the `n` input words at a word-aligned address, sets `t0` to the call number and `a0` to the
//! address, and executes `ecall`; afterwards the `n` words hold `f(input)` and `a0` is
//! unchanged. Keccak-f\[1600\] (`n = 50`) and the SHA-256 compression function (`n = 24`:
//! state, then block) have this shape.
//!
//! The work is split between the host and the plugin:
//! - the host owns the precompile chip's *frame* ([`FrameLayout`]): one row per call with the
//!   cycle, pc and pointer, and for each word its value before and after with the memory
//!   argument's columns. The frame's constraints receive the call from the CPU on the `execute`
//!   bus, read every input word and write every output word through the memory argument (one
//!   timestamped access per word), and range-check the output bytes. A plugin cannot touch
//!   memory, registers or buses except through the frame;
//! - the plugin owns the *compute* columns after the frame and a [`ConstraintSystem`] over the
//!   whole row, which must force the output bytes to be `f` of the input bytes. It must hold on
//!   every row: padding rows carry the computation on an all-zero input with `is_real = 0`.
//!
//! That is the plugin contract: if the plugin's constraints define `f` (every row satisfying
//! them has output = `f(input)`), the proof shows the guest's memory went from `input` to
//! `f(input)` at that call, by the memory argument's soundness.

mod air;
pub mod constraints;
mod frame;
#[cfg(test)]
pub(crate) mod tests;
mod trace;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

pub use air::PrecompileChip;
pub use constraints::{
    ConstraintBuilder, ConstraintError, ConstraintSystem, Expr, Node, Scope, eval_constraints, evaluate_rows,
    import_all,
};
pub use frame::FrameLayout;
pub use trace::{PrecompileCall, precompile_trace};

use crate::prover::Val;

/// Largest degree of a precompile's constraints (the machine's other chips stay within it).
pub const MAX_PRECOMPILE_DEGREE: usize = 3;

/// A precompile, as a plugin implements it.
pub trait Precompile: Send + Sync {
    /// The precompile's name (its chip's name in the proof).
    fn name(&self) -> &str;
    /// Number of words it reads and writes (`n`).
    fn words(&self) -> usize;
    /// `f`: the output words of `input` (`input.len() == words()`); `Err` with a reason when
    /// the plugin cannot (a plugin loaded at run time reporting a failure).
    fn compute(&self, input: &[u32]) -> Result<Vec<u32>, String>;
    /// Number of compute columns after the frame.
    fn compute_width(&self) -> usize;
    /// Names of the compute columns, in order.
    fn compute_column_names(&self) -> Vec<String>;
    /// The constraints, over the row `[frame | compute]` of `layout`.
    fn constraints(&self, layout: &FrameLayout) -> ConstraintSystem;
    /// The compute columns of a trace of `height` rows, row-major: call `k`'s block of
    /// [`Precompile::rows_per_call`] rows starts at row `k * rows_per_call`; every row after the
    /// calls holds the blocks of the all-zero input's computation (the last possibly cut short).
    /// [`single_row_trace`] builds it for one-row precompiles. `Err` with a reason when the
    /// plugin cannot.
    fn compute_trace(&self, inputs: &[Vec<u32>], height: usize) -> Result<Vec<Val>, String>;
    /// Rows per call (1 by default). With more, [`Precompile::block_flags`] must name the
    /// columns that mark a block's first and last rows.
    fn rows_per_call(&self) -> usize {
        1
    }
    /// For multi-row precompiles: the compute-column indices (from 0, after the frame) of the
    /// flags that the plugin's constraints make 1 exactly on the first and on the last row of
    /// each block (Keccak's first- and last-round flags).
    fn block_flags(&self) -> Option<(usize, usize)> {
        None
    }
}

/// The compute trace of a one-row precompile whose `fill(input, row)` writes one call's
/// compute columns (`width` of them): calls first, then the all-zero input's row.
pub fn single_row_trace(
    width: usize,
    inputs: &[Vec<u32>],
    words: usize,
    height: usize,
    fill: impl Fn(&[u32], &mut [Val]),
) -> Vec<Val> {
    let mut values = vec![Val::default(); width * height];
    let zero = vec![0u32; words];
    for (index, row) in values.chunks_exact_mut(width.max(1)).enumerate().take(height) {
        fill(inputs.get(index).unwrap_or(&zero), row);
    }
    values
}

/// A precompile enabled under a call number.
#[derive(Clone)]
pub struct EnabledPrecompile {
    /// The call number (`t0`).
    pub number: u32,
    /// The precompile.
    pub precompile: Arc<dyn Precompile>,
}

impl fmt::Debug for EnabledPrecompile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (ecall {})", self.precompile.name(), self.number)
    }
}

/// The precompiles of a machine, by call number.
#[derive(Clone, Debug, Default)]
pub struct PrecompileSet {
    by_number: BTreeMap<u32, EnabledPrecompile>,
}

/// Two sets are equal when they enable the same precompiles (by name) under the same numbers.
impl PartialEq for PrecompileSet {
    fn eq(&self, other: &Self) -> bool {
        let names = |set: &PrecompileSet| -> Vec<(u32, String)> {
            set.iter().map(|e| (e.number, e.precompile.name().to_string())).collect()
        };
        names(self) == names(other)
    }
}

impl Eq for PrecompileSet {}

impl PrecompileSet {
    /// No precompiles.
    pub fn new() -> Self {
        PrecompileSet::default()
    }

    /// Enables `precompile` under call `number`; `Err` with the number if it is taken (by a
    /// precompile or the core ABI).
    pub fn with(mut self, number: u32, precompile: Arc<dyn Precompile>) -> Result<Self, u32> {
        if number <= crate::abi::COMMIT || self.by_number.contains_key(&number) {
            return Err(number);
        }
        self.by_number.insert(number, EnabledPrecompile { number, precompile });
        Ok(self)
    }

    /// The precompile of call `number`.
    pub fn get(&self, number: u32) -> Option<&EnabledPrecompile> {
        self.by_number.get(&number)
    }

    /// Every enabled precompile, by call number.
    pub fn iter(&self) -> impl Iterator<Item = &EnabledPrecompile> {
        self.by_number.values()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.by_number.is_empty()
    }
}
