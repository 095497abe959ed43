//! A third-party zkvm plugin: `add256`, a precompile that adds two 256-bit numbers in place.
//!
//! The guest puts `a` (8 words, little-endian) and `b` (8 words) at a word-aligned address,
//! sets `t0` to the call number (default 0x200) and `a0` to the address, and executes `ecall`;
//! afterwards the first 8 words hold `a + b mod 2^256` and `b` is unchanged.
//!
//! A plugin library exports the four functions of `zkvm_plugin_api::abi`. Its precompile's
//! chip is the host's frame (the 16 words before and after, their memory accesses) plus 32
//! compute columns, one carry per byte, with these constraints (the plugin contract: the output
//! is a function of the input):
//! - (T1) each carry is a bit;
//! - (T2) byte k of the sum: `a_k + b_k + carry_{k-1} = out_k + 256 carry_k` (the host
//!   range-checks `out_k` as a byte, so the carries and the output are unique);
//! - (T3) the words of `b` are unchanged.

use zkvm_plugin_api::abi::{EcallDescription, PluginDescription, PrecompileDescription};
use zkvm_plugin_api::{ConstraintBuilder, ConstraintSystem, FrameLayout, Scope};

/// Default call number.
pub const DEFAULT_ECALL: u32 = 0x200;
/// Words per call: `a` then `b`.
const WORDS: usize = 16;
/// Compute columns: one carry per byte of the sum.
const CARRIES: usize = 32;

/// `a + b mod 2^256` followed by `b`.
pub fn add256(input: &[u32]) -> Vec<u32> {
    let mut output = Vec::with_capacity(WORDS);
    let mut carry = 0u64;
    for i in 0..8 {
        let sum = u64::from(input[i]) + u64::from(input[8 + i]) + carry;
        output.push(sum as u32);
        carry = sum >> 32;
    }
    output.extend_from_slice(&input[8..]);
    output
}

/// The carry out of each byte of `a + b`.
fn carries(input: &[u32]) -> [u32; CARRIES] {
    let mut carries = [0u32; CARRIES];
    let mut carry = 0u32;
    for (k, slot) in carries.iter_mut().enumerate() {
        let (a, b) = (input[k / 4].to_le_bytes()[k % 4], input[8 + k / 4].to_le_bytes()[k % 4]);
        carry = (u32::from(a) + u32::from(b) + carry) >> 8;
        *slot = carry;
    }
    carries
}

/// The constraints over `[frame | carries]`.
fn constraints() -> ConstraintSystem {
    let layout = FrameLayout { words: WORDS };
    let b = ConstraintBuilder::new(layout.width() + CARRIES);
    let mut carry_in = b.constant(0);
    for k in 0..CARRIES {
        let carry = b.local(layout.width() + k);
        // (T1) Each carry is a bit.
        b.assert_bool(carry);
        let (word, byte) = (k / 4, k % 4);
        let sum = b.local(layout.input(word, byte)) + b.local(layout.input(8 + word, byte)) + carry_in;
        // (T2) Byte k of the sum, with the carry out.
        b.assert_zero(Scope::EveryRow, sum - b.local(layout.output(word, byte)) - carry * 256);
        carry_in = carry;
    }
    for word in 8..WORDS {
        for byte in 0..4 {
            // (T3) The addend is left as it was.
            b.assert_zero(
                Scope::EveryRow,
                b.local(layout.input(word, byte)) - b.local(layout.output(word, byte)),
            );
        }
    }
    b.build()
}

/// What the library declares.
pub fn description() -> PluginDescription {
    PluginDescription {
        name: "add256".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        summary: "256-bit addition in place (a template for third-party plugins)".into(),
        ecalls: vec![EcallDescription {
            name: "add256".into(),
            default_number: DEFAULT_ECALL,
            summary: "words[0..8] += words[8..16] modulo 2^256".into(),
        }],
        precompiles: vec![PrecompileDescription {
            call: "add256".into(),
            name: "add256".into(),
            words: WORDS,
            compute_width: CARRIES,
            column_names: (0..CARRIES).map(|k| format!("carry[{k}]")).collect(),
            rows_per_call: 1,
            block_flags: None,
            constraints: constraints(),
        }],
    }
}

/// The plugin ABI version this library was built against.
#[cfg(not(feature = "no-entry"))]
#[unsafe(no_mangle)]
pub extern "C" fn zkvm_plugin_abi_version() -> u32 {
    let version = zkvm_plugin_api::abi::ABI_VERSION;
    if cfg!(feature = "wrong-abi") { version + 1 } else { version }
}

/// Writes the description as JSON into `buffer` when it fits in `capacity`; returns its length.
///
/// # Safety
/// `buffer` must be valid for writes of `capacity` bytes (or null with `capacity` 0).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn zkvm_plugin_describe(buffer: *mut u8, capacity: usize) -> usize {
    let json = description().to_json();
    if json.len() <= capacity && !buffer.is_null() {
        // SAFETY: the caller gives `capacity` writable bytes, and the JSON fits.
        unsafe { std::ptr::copy_nonoverlapping(json.as_ptr(), buffer, json.len()) };
    }
    json.len()
}

/// Runs precompile `index` (only 0) on the `words` words at `input`, writing them to `output`.
///
/// # Safety
/// `input` and `output` must be valid for `words` words.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn zkvm_plugin_compute(
    index: u32,
    input: *const u32,
    words: usize,
    output: *mut u32,
) -> i32 {
    if index != 0 || words != WORDS {
        return 1;
    }
    // SAFETY: the caller gives `words` readable and `words` writable words.
    let (input, output) =
        unsafe { (std::slice::from_raw_parts(input, words), std::slice::from_raw_parts_mut(output, words)) };
    output.copy_from_slice(&add256(input));
    0
}

/// Writes the carry columns of `height` rows: one row per call, then rows of the zero input.
///
/// # Safety
/// `inputs` must be valid for `calls * 16` words and `output` for `height * 32` words.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn zkvm_plugin_compute_trace(
    index: u32,
    inputs: *const u32,
    calls: usize,
    height: usize,
    output: *mut u32,
) -> i32 {
    if index != 0 {
        return 1;
    }
    // SAFETY: the caller gives the buffers the interface describes.
    let (inputs, output) = unsafe {
        (
            std::slice::from_raw_parts(inputs, calls * WORDS),
            std::slice::from_raw_parts_mut(output, height * CARRIES),
        )
    };
    let zero = [0u32; WORDS];
    for (row, values) in output.chunks_exact_mut(CARRIES).enumerate() {
        let input = inputs.chunks_exact(WORDS).nth(row).unwrap_or(&zero);
        values.copy_from_slice(&carries(input));
        if cfg!(feature = "bad-trace") && row == 0 {
            values[3] ^= 1;
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add256_adds_with_carries_across_words() {
        let mut input = [0u32; WORDS];
        input[..8].fill(u32::MAX);
        input[8] = 1;
        let output = add256(&input);
        assert_eq!(&output[..8], &[0; 8], "2^256 - 1 + 1 wraps to 0");
        assert_eq!(&output[8..], &input[8..]);
        assert_eq!(carries(&input), [1; CARRIES]);
        assert_eq!(constraints().check(3), Ok(()));
    }
}
