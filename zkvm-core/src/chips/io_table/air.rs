//! Constraints of the io table.

use std::sync::Arc;

use p3_air::{Air, BaseAir, WindowAccess};
use p3_field::Field;
use p3_lookup::InteractionBuilder;
use p3_matrix::dense::RowMajorMatrix;
use zkvm_bus::columns::{Columns, borrow, borrow_mut};
use zkvm_bus::{IoMessage, IoStream, provide};

use super::{IoTableColumns, IoTablePreprocessed};

/// The `stream` value of padding rows: no query names it (queries carry 0 or 1), so padding
/// rows can answer nothing.
pub const PADDING_STREAM: u32 = 2;

/// The io table of one statement.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IoTableChip {
    /// `(stream, index, value)` of every row, input words first.
    rows: Arc<Vec<(IoStream, u32, u32)>>,
    /// Length of the input in bytes.
    input_length: usize,
}

impl IoTableChip {
    /// The table of `input` (as little-endian words, the last one zero-padded) and `output`.
    pub fn new(input: &[u8], output: &[u8]) -> Self {
        let words = input.chunks(4).map(|chunk| {
            let mut word = [0u8; 4];
            word[..chunk.len()].copy_from_slice(chunk);
            u32::from_le_bytes(word)
        });
        let mut rows: Vec<(IoStream, u32, u32)> =
            words.enumerate().map(|(i, word)| (IoStream::Input, i as u32, word)).collect();
        rows.extend(
            output.iter().enumerate().map(|(i, &byte)| (IoStream::Output, i as u32, u32::from(byte))),
        );
        IoTableChip { rows: Arc::new(rows), input_length: input.len() }
    }

    /// Length of the input in bytes.
    pub fn input_length(&self) -> usize {
        self.input_length
    }

    /// Height of the table: the number of rows rounded up to a power of two (at least 4).
    pub fn height(&self) -> usize {
        self.rows.len().next_power_of_two().max(4)
    }

    /// The main trace for `input_reads[i]` reads of input word i and `output_commits[i]`
    /// commits of output byte i (in the segment).
    pub fn trace<F: Field>(&self, input_reads: &[u32], output_commits: &[u32]) -> RowMajorMatrix<F> {
        let mut values = vec![F::ZERO; self.height()];
        for (cell, &(stream, index, _)) in values.iter_mut().zip(self.rows.iter()) {
            let counts = match stream {
                IoStream::Input => input_reads,
                IoStream::Output => output_commits,
            };
            *cell = F::from_u32(counts.get(index as usize).copied().unwrap_or(0));
        }
        RowMajorMatrix::new(values, IoTableColumns::<F>::WIDTH)
    }
}

impl<F: Field> BaseAir<F> for IoTableChip {
    fn width(&self) -> usize {
        IoTableColumns::<F>::WIDTH
    }

    /// Each row is one word of the input or output: no constraint or message reads the next
    /// row, so a proof opens the chip at the out-of-domain point only.
    fn main_next_row_columns(&self) -> Vec<usize> {
        Vec::new()
    }

    /// No preprocessed cell of the next row is read either.
    fn preprocessed_next_row_columns(&self) -> Vec<usize> {
        Vec::new()
    }

    fn preprocessed_width(&self) -> usize {
        IoTablePreprocessed::<F>::WIDTH
    }

    fn preprocessed_trace(&self) -> Option<RowMajorMatrix<F>> {
        let width = IoTablePreprocessed::<F>::WIDTH;
        let mut trace = RowMajorMatrix::new(vec![F::ZERO; self.height() * width], width);
        for (i, cells) in trace.values.chunks_exact_mut(width).enumerate() {
            let row: &mut IoTablePreprocessed<F> = borrow_mut(cells);
            match self.rows.get(i) {
                Some(&(stream, index, value)) => {
                    row.stream = F::from_u8(stream as u8);
                    row.index = F::from_u32(index);
                    row.value = value.to_le_bytes().map(F::from_u8);
                }
                None => row.stream = F::from_u32(PADDING_STREAM),
            }
        }
        Some(trace)
    }
}

impl<AB: InteractionBuilder> Air<AB> for IoTableChip
where
    AB::F: Field,
{
    fn eval(&self, builder: &mut AB) {
        let fixed: IoTablePreprocessed<AB::Var> = *borrow(builder.preprocessed().current_slice());
        let main = builder.main();
        let local: &IoTableColumns<AB::Var> = borrow(main.current_slice());
        // No constraint: the multiplicity is the lookup's free count (each output position is
        // committed once because the output position advances by one per COMMIT and segments
        // chain it; see the README).
        // (I1) Answer `multiplicity` queries for the row.
        let message = IoMessage {
            stream: fixed.stream.into(),
            index: fixed.index.into(),
            value: fixed.value.map(Into::into),
        };
        provide(builder, message, local.multiplicity);
    }
}
