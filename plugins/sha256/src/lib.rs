//! The SHA-256 compression function as a zkvm precompile.
//!
//! The guest passes 24 words at a word-aligned address in `a0`: the state (8 words) then the
//! message block as 16 big-endian-decoded words; `ecall` with `t0` = the configured number
//! (default [`DEFAULT_ECALL`]) replaces the state with its compression and leaves the block.
//!
//! The chip takes one row per round (64 per call). Each row holds the round's one-hot flag, the
//! working variables `a..d` and `e..h` and a 16-word window of the message schedule as bits,
//! and the new `a`, `e` and schedule word as bits with the carries of their 16-bit limb sums.
//! See `README.md` for the constraints and the soundness argument.

mod air;
mod function;
#[cfg(test)]
mod tests;
mod trace;

use std::sync::Arc;

use zkvm_core::precompile::{ConstraintSystem, FrameLayout, Precompile};
use zkvm_core::prover::Val;
use zkvm_plugins::{EcallSpec, PrecompilePlugin, StaticPlugin};

pub use function::compress;

/// The call number used when the config does not set one.
pub const DEFAULT_ECALL: u32 = 0x101;
/// Words per call: the state, then the block.
pub const WORDS: usize = 24;
/// Rows per call: one per round.
pub const ROUNDS: usize = 64;

/// The SHA-256 compression function on 24 words.
#[derive(Clone, Copy, Debug, Default)]
pub struct Sha256Compress;

impl Precompile for Sha256Compress {
    fn name(&self) -> &str {
        "sha256_compress"
    }

    fn words(&self) -> usize {
        WORDS
    }

    fn compute(&self, input: &[u32]) -> Result<Vec<u32>, String> {
        Ok(compress(input))
    }

    fn compute_width(&self) -> usize {
        air::WIDTH
    }

    fn compute_column_names(&self) -> Vec<String> {
        air::column_names()
    }

    fn constraints(&self, layout: &FrameLayout) -> ConstraintSystem {
        air::constraints(layout)
    }

    fn compute_trace(&self, inputs: &[Vec<u32>], height: usize) -> Result<Vec<Val>, String> {
        Ok(trace::compute_trace(inputs, height))
    }

    fn rows_per_call(&self) -> usize {
        ROUNDS
    }

    fn block_flags(&self) -> Option<(usize, usize)> {
        Some((air::round(0), air::round(ROUNDS - 1)))
    }
}

const ECALLS: [EcallSpec; 1] = [EcallSpec {
    name: "sha256_compress",
    default_number: DEFAULT_ECALL,
    configurable: true,
    summary: "compress the 16-word block after the 8-word state at a0 into the state",
}];

/// The SHA-256 plugin: one call, `sha256_compress`.
pub static SHA256_PLUGIN: PrecompilePlugin = PrecompilePlugin {
    name: "sha256",
    version: env!("CARGO_PKG_VERSION"),
    summary: "the SHA-256 compression function (64 rows per call, one per round)",
    ecalls: &ECALLS,
    chip_summaries: &["one 64-row block per call: the host's frame and the 64 rounds"],
    precompile: |_| Arc::new(Sha256Compress),
};

inventory::submit! { StaticPlugin(&SHA256_PLUGIN) }
