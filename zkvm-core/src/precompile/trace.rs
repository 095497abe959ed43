//! Rows of a precompile chip.

use p3_field::PrimeCharacteristicRing;
use p3_matrix::dense::RowMajorMatrix;
use zkvm_memory::AccessColumns;

use super::{FrameLayout, PrecompileChip};
use crate::prover::Val;

/// One call of a precompile, as the trace generator saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrecompileCall {
    /// Cycle of the `ecall` in the segment.
    pub clk: u32,
    /// Its address.
    pub pc: u32,
    /// `a0`: the byte address of the words.
    pub pointer: u32,
    /// The words before the call.
    pub input: Vec<u32>,
    /// The words after it.
    pub output: Vec<u32>,
    /// The memory-argument columns of each word's access.
    pub accesses: Vec<AccessColumns<Val>>,
}

/// Writes the frame of `call` (or of padding when `call` is `None`) and the compute columns
/// into `row`.
fn fill_row(chip: &PrecompileChip, call: Option<&PrecompileCall>, row: &mut [Val]) {
    let layout = &chip.layout;
    let zero_input = vec![0u32; layout.words];
    let (input, output) = match call {
        Some(call) => (call.input.clone(), call.output.clone()),
        None => {
            let output = chip.precompile.compute(&zero_input);
            (zero_input, output)
        }
    };
    if let Some(call) = call {
        row[FrameLayout::IS_REAL] = Val::ONE;
        row[FrameLayout::CLK] = Val::from_u32(call.clk);
        row[FrameLayout::PC] = Val::from_u32(call.pc);
        for (b, byte) in call.pointer.to_le_bytes().into_iter().enumerate() {
            row[FrameLayout::POINTER + b] = Val::from_u8(byte);
        }
        row[FrameLayout::POINTER_QUARTER] = Val::from_u32((call.pointer & 0xff) / 4);
        for (word, access) in call.accesses.iter().enumerate() {
            let at = layout.access(word);
            row[at] = access.prev_timestamp;
            row[at + 1] = access.diff_lo;
            row[at + 2] = access.diff_hi;
        }
    }
    for word in 0..layout.words {
        for (b, (i, o)) in input[word].to_le_bytes().into_iter().zip(output[word].to_le_bytes()).enumerate() {
            row[layout.input(word, b)] = Val::from_u8(i);
            row[layout.output(word, b)] = Val::from_u8(o);
        }
    }
    chip.precompile.fill_compute(&input, &mut row[layout.width()..]);
}

/// The chip's trace: one row per call, then padding rows (the computation on an all-zero
/// input, `is_real = 0`) up to a power of two (at least 4).
pub fn precompile_trace(chip: &PrecompileChip, calls: &[PrecompileCall]) -> RowMajorMatrix<Val> {
    let width = chip.layout.width() + chip.precompile.compute_width();
    let height = calls.len().next_power_of_two().max(4);
    let mut values = vec![Val::ZERO; width * height];
    let mut padding: Option<Vec<Val>> = None;
    for (index, row) in values.chunks_exact_mut(width).enumerate() {
        match calls.get(index) {
            Some(call) => fill_row(chip, Some(call), row),
            None => {
                let template = padding.get_or_insert_with(|| {
                    let mut template = vec![Val::ZERO; width];
                    fill_row(chip, None, &mut template);
                    template
                });
                row.copy_from_slice(template);
            }
        }
    }
    RowMajorMatrix::new(values, width)
}
