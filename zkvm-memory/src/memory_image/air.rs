//! Constraints of the memory image table.

use std::sync::Arc;

use p3_air::{Air, BaseAir, WindowAccess};
use p3_field::Field;
use p3_lookup::InteractionBuilder;
use p3_matrix::dense::RowMajorMatrix;
use zkvm_bus::columns::{Columns, borrow, borrow_mut};
use zkvm_bus::{MemoryImageMessage, send};

use super::{MemoryImageColumns, MemoryImagePreprocessed};

/// The memory image table of one program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemoryImageChip {
    /// `(word address, value)` of every nonzero loaded word, by address.
    words: Arc<Vec<(u32, u32)>>,
}

impl MemoryImageChip {
    /// The table of `words`: `(word address, value)` pairs. Zero words are dropped (a RAM cell
    /// the image does not name starts at zero anyway); the rest are sorted by address.
    ///
    /// # Panics
    /// If an address appears twice or is not a word address (`>= 2^30`).
    pub fn new(words: impl IntoIterator<Item = (u32, u32)>) -> Self {
        let mut words: Vec<(u32, u32)> = words.into_iter().filter(|&(_, value)| value != 0).collect();
        words.sort_unstable();
        assert!(words.windows(2).all(|w| w[0].0 < w[1].0), "image addresses must be distinct");
        assert!(words.iter().all(|&(address, _)| address < 1 << 30), "image addresses are word addresses");
        MemoryImageChip { words: Arc::new(words) }
    }

    /// The image's nonzero words, by address.
    pub fn words(&self) -> &[(u32, u32)] {
        &self.words
    }

    /// Height of the table: the number of words rounded up to a power of two (at least 4).
    pub fn height(&self) -> usize {
        self.words.len().next_power_of_two().max(4)
    }

    /// The main trace: multiplicity 1 on every word row.
    pub fn trace<F: Field>(&self) -> RowMajorMatrix<F> {
        let mut values = vec![F::ZERO; self.height()];
        values[..self.words.len()].fill(F::ONE);
        RowMajorMatrix::new(values, MemoryImageColumns::<F>::WIDTH)
    }
}

impl<F: Field> BaseAir<F> for MemoryImageChip {
    fn width(&self) -> usize {
        MemoryImageColumns::<F>::WIDTH
    }

    fn preprocessed_width(&self) -> usize {
        MemoryImagePreprocessed::<F>::WIDTH
    }

    fn preprocessed_trace(&self) -> Option<RowMajorMatrix<F>> {
        let width = MemoryImagePreprocessed::<F>::WIDTH;
        let mut trace = RowMajorMatrix::new(vec![F::ZERO; self.height() * width], width);
        for (cells, &(address, value)) in trace.values.chunks_exact_mut(width).zip(self.words.iter()) {
            let row: &mut MemoryImagePreprocessed<F> = borrow_mut(cells);
            row.address = F::from_u32(address);
            row.value = value.to_le_bytes().map(F::from_u8);
            row.is_word = F::ONE;
        }
        Some(trace)
    }
}

impl<AB: InteractionBuilder> Air<AB> for MemoryImageChip
where
    AB::F: Field,
{
    fn eval(&self, builder: &mut AB) {
        let fixed: MemoryImagePreprocessed<AB::Var> = *borrow(builder.preprocessed().current_slice());
        let main = builder.main();
        let local: &MemoryImageColumns<AB::Var> = borrow(main.current_slice());
        // (C1) Every word row sends its word exactly once, padding rows never: the multiplicity
        // is the preprocessed word flag (so it is boolean too).
        builder.assert_eq(local.multiplicity, fixed.is_word);
        // (I1) Send the word to the RAM boundary.
        let message =
            MemoryImageMessage { address: fixed.address.into(), value: fixed.value.map(Into::into) };
        send(builder, message, local.multiplicity);
    }
}
