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

/// Writes the call's frame columns that live on its block's first row.
fn fill_call_start(call: &PrecompileCall, layout: &FrameLayout, row: &mut [Val]) {
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

/// Writes the input and output bytes (on every row of a block).
fn fill_words(input: &[u32], output: &[u32], layout: &FrameLayout, row: &mut [Val]) {
    for word in 0..layout.words {
        for (b, (i, o)) in input[word].to_le_bytes().into_iter().zip(output[word].to_le_bytes()).enumerate() {
            row[layout.input(word, b)] = Val::from_u8(i);
            row[layout.output(word, b)] = Val::from_u8(o);
        }
    }
}

/// The chip's trace: call `k`'s block of rows from row `k * rows_per_call`, then blocks of the
/// all-zero input's computation (`in_call = 0`), up to a power of two (at least 4 and at least
/// `min_height`) rows; `Err` when the plugin fails or returns values of the wrong size.
pub fn precompile_trace(
    chip: &PrecompileChip,
    calls: &[PrecompileCall],
    min_height: usize,
) -> Result<RowMajorMatrix<Val>, String> {
    let layout = &chip.layout;
    let (frame, compute) = (layout.width(), chip.precompile.compute_width());
    let width = frame + compute;
    let block = chip.precompile.rows_per_call();
    let height = (calls.len() * block).next_power_of_two().max(4).max(min_height.next_power_of_two());
    let inputs: Vec<Vec<u32>> = calls.iter().map(|call| call.input.clone()).collect();
    let compute_values = chip.precompile.compute_trace(&inputs, height)?;
    if compute_values.len() != height * compute {
        return Err(format!(
            "{} compute values for {height} rows of {compute} columns",
            compute_values.len()
        ));
    }
    let zero_input = vec![0u32; layout.words];
    let zero_output = chip.precompile.compute(&zero_input)?;
    if zero_output.len() != layout.words {
        return Err(format!("{} output words, expected {}", zero_output.len(), layout.words));
    }

    let mut values = vec![Val::ZERO; width * height];
    for (index, row) in values.chunks_exact_mut(width).enumerate() {
        match calls.get(index / block) {
            Some(call) => {
                if index % block == 0 {
                    fill_call_start(call, layout, row);
                }
                row[FrameLayout::IN_CALL] = Val::ONE;
                fill_words(&call.input, &call.output, layout, row);
            }
            None => fill_words(&zero_input, &zero_output, layout, row),
        }
        row[frame..].copy_from_slice(&compute_values[index * compute..(index + 1) * compute]);
    }
    Ok(RowMajorMatrix::new(values, width))
}
