//! The Keccak-f\[1600\] permutation as a zkvm precompile.
//!
//! The guest passes the 25-lane state as 50 little-endian words (lane `x + 5y` in words
//! `2(x + 5y)` and `2(x + 5y) + 1`, low half first) at a word-aligned address in `a0` and calls
//! `ecall` with `t0` = the configured number (default [`DEFAULT_ECALL`]); the state is
//! permuted in place.
//!
//! The compute part of the chip is Plonky3's `KeccakAir` (24 rows per permutation, one per
//! round), imported as constraints-as-data, plus the glue that ties it to the host's frame:
//! - (K1) on every row, each 16-bit limb of the AIR's preimage is the two input bytes it is made of
//!   (the AIR keeps the preimage constant over a permutation's 24 rows, and the host puts the
//!   call's input bytes on every row of its block);
//! - (K2) on the last round's row, each output limb pair of bytes is the AIR's final state limb;
//! - (K3) within a block (every transition that does not leave a last-round row), the output
//!   bytes do not change, so the block's first row, where the host reads them, holds the final
//!   state.
//!
//! The block flags the host needs are the AIR's first- and last-round flags, which the AIR makes
//! cycle through the trace from row 0.

use std::borrow::Borrow;
use std::sync::Arc;

use p3_air::symbolic::{AirLayout, get_symbolic_constraints};
use p3_keccak_air::{KeccakAir, KeccakCols, NUM_KECCAK_COLS, NUM_ROUNDS, U64_LIMBS, generate_trace_rows};
use zkvm_core::precompile::{
    ConstraintBuilder, ConstraintSystem, FrameLayout, Precompile, Scope, import_all,
};
use zkvm_core::prover::Val;
use zkvm_plugins::{EcallSpec, PrecompilePlugin, StaticPlugin};

#[cfg(test)]
mod tests;

/// The call number used when the config does not set one.
pub const DEFAULT_ECALL: u32 = 0x100;
/// Words of the state.
pub const STATE_WORDS: usize = 50;

/// The Keccak-f\[1600\] permutation on 50 words.
#[derive(Clone, Copy, Debug, Default)]
pub struct KeccakF;

/// The state's lanes from its words.
fn lanes(words: &[u32]) -> [u64; 25] {
    std::array::from_fn(|k| u64::from(words[2 * k]) | (u64::from(words[2 * k + 1]) << 32))
}

/// Where each column of `KeccakCols` is, by field.
fn column_map() -> KeccakCols<usize> {
    let indices: Vec<usize> = (0..NUM_KECCAK_COLS).collect();
    let map: &KeccakCols<usize> = indices[..].borrow();
    KeccakCols {
        step_flags: map.step_flags,
        export: map.export,
        preimage: map.preimage,
        a: map.a,
        c: map.c,
        c_prime: map.c_prime,
        a_prime: map.a_prime,
        a_prime_prime: map.a_prime_prime,
        a_prime_prime_0_0_bits: map.a_prime_prime_0_0_bits,
        a_prime_prime_prime_0_0_limbs: map.a_prime_prime_prime_0_0_limbs,
    }
}

impl Precompile for KeccakF {
    fn name(&self) -> &str {
        "keccak_f"
    }

    fn words(&self) -> usize {
        STATE_WORDS
    }

    fn compute(&self, input: &[u32]) -> Result<Vec<u32>, String> {
        let mut state = lanes(input);
        tiny_keccak::keccakf(&mut state);
        Ok(state.iter().flat_map(|lane| [*lane as u32, (*lane >> 32) as u32]).collect())
    }

    fn compute_width(&self) -> usize {
        NUM_KECCAK_COLS
    }

    fn compute_column_names(&self) -> Vec<String> {
        let mut names: Vec<String> = (0..NUM_ROUNDS).map(|r| format!("step_flags[{r}]")).collect();
        names.push("export".into());
        let state = |name: &str| -> Vec<String> {
            let mut list = Vec::new();
            for y in 0..5 {
                for x in 0..5 {
                    list.extend((0..U64_LIMBS).map(|l| format!("{name}[{y}][{x}][{l}]")));
                }
            }
            list
        };
        names.extend(state("preimage"));
        names.extend(state("a"));
        for name in ["c", "c_prime"] {
            for x in 0..5 {
                names.extend((0..64).map(|z| format!("{name}[{x}][{z}]")));
            }
        }
        for y in 0..5 {
            for x in 0..5 {
                names.extend((0..64).map(|z| format!("a_prime[{y}][{x}][{z}]")));
            }
        }
        names.extend(state("a_prime_prime"));
        names.extend((0..64).map(|z| format!("a_prime_prime_0_0_bits[{z}]")));
        names.extend((0..U64_LIMBS).map(|l| format!("a_prime_prime_prime_0_0_limbs[{l}]")));
        names
    }

    fn constraints(&self, layout: &FrameLayout) -> ConstraintSystem {
        let offset = layout.width();
        let b = ConstraintBuilder::new(offset + NUM_KECCAK_COLS);
        let air = KeccakAir {};
        let symbolic = get_symbolic_constraints::<Val, _>(&air, AirLayout::from_air::<Val>(&air));
        // The AIR's own constraints: 24 rounds of Keccak-f, one per row.
        for expr in import_all(&b, &symbolic, offset).expect("KeccakAir reads only its main columns") {
            b.assert_zero(Scope::EveryRow, expr);
        }
        let map = column_map();
        let last_round = b.local(offset + map.step_flags[NUM_ROUNDS - 1]);
        let one = b.constant(1);
        for lane in 0..25 {
            let (x, y) = (lane % 5, lane / 5);
            for limb in 0..U64_LIMBS {
                let (word, byte) = (2 * lane + limb / 2, 2 * (limb % 2));
                let input = b.local(layout.input(word, byte)) + b.local(layout.input(word, byte + 1)) * 256;
                // (K1) The preimage limb is the two input bytes.
                b.assert_zero(Scope::EveryRow, b.local(offset + map.preimage[y][x][limb]) - input);
                let output =
                    b.local(layout.output(word, byte)) + b.local(layout.output(word, byte + 1)) * 256;
                let final_limb = b.local(offset + map.a_prime_prime_prime(y, x, limb));
                // (K2) On the last round's row, the output limb is the final state's.
                b.assert_zero(Scope::EveryRow, last_round * (output - final_limb));
            }
        }
        for word in 0..STATE_WORDS {
            for byte in 0..4 {
                let column = layout.output(word, byte);
                // (K3) The output bytes stay the same within a block.
                let change = b.next(column) - b.local(column);
                b.assert_zero(Scope::Transition, (one - last_round) * change);
            }
        }
        b.build()
    }

    fn compute_trace(&self, inputs: &[Vec<u32>], height: usize) -> Result<Vec<Val>, String> {
        // Whole blocks for the calls and the padding after them, cut to `height` rows.
        let blocks = height.div_ceil(NUM_ROUNDS).max(inputs.len());
        let mut states: Vec<[u64; 25]> = inputs.iter().map(|input| lanes(input)).collect();
        states.resize(blocks, [0; 25]);
        let mut trace = generate_trace_rows::<Val>(states, 0).values;
        trace.truncate(height * NUM_KECCAK_COLS);
        Ok(trace)
    }

    fn rows_per_call(&self) -> usize {
        NUM_ROUNDS
    }

    fn block_flags(&self) -> Option<(usize, usize)> {
        let map = column_map();
        Some((map.step_flags[0], map.step_flags[NUM_ROUNDS - 1]))
    }
}

const ECALLS: [EcallSpec; 1] = [EcallSpec {
    name: "keccak_f",
    default_number: DEFAULT_ECALL,
    configurable: true,
    summary: "permute the 25-lane Keccak state (50 words) at a0 in place",
}];

/// The Keccak plugin: one call, `keccak_f`.
pub static KECCAK_PLUGIN: PrecompilePlugin = PrecompilePlugin {
    name: "keccak",
    version: env!("CARGO_PKG_VERSION"),
    summary: "the Keccak-f[1600] permutation (Plonky3's KeccakAir, 24 rows per call)",
    ecalls: &ECALLS,
    chip_summaries: &["one 24-row block per call: the host's frame and Plonky3's Keccak-f rounds"],
    precompile: |_| Arc::new(KeccakF),
};

inventory::submit! { StaticPlugin(&KECCAK_PLUGIN) }
