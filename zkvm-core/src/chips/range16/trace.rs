//! Trace generation for the 16-bit range table.

use p3_field::Field;
use p3_matrix::dense::RowMajorMatrix;

use super::{RANGE16_ROWS, Range16Columns};
use crate::chips::columns::{Columns, borrow_mut};

/// How often each 16-bit value was range-checked in a segment; filled by the chips that query.
#[derive(Clone, Debug)]
pub struct Range16Counts {
    counts: Vec<u32>,
}

impl Default for Range16Counts {
    fn default() -> Self {
        Range16Counts { counts: vec![0; RANGE16_ROWS] }
    }
}

impl Range16Counts {
    /// Records one query of `value`, which must be below 2^16 (a larger value is a bug in the
    /// querying chip's trace generation: its query could not be answered).
    pub fn add(&mut self, value: u32) {
        assert!(value < RANGE16_ROWS as u32, "range16 query of {value} is out of range");
        self.counts[value as usize] += 1;
    }

    /// The number of queries of `value`.
    pub fn get(&self, value: u32) -> u32 {
        self.counts[value as usize]
    }

    /// The table's main trace.
    pub fn trace<F: Field>(&self) -> RowMajorMatrix<F> {
        let width = Range16Columns::<F>::WIDTH;
        let mut trace = RowMajorMatrix::new(vec![F::ZERO; RANGE16_ROWS * width], width);
        for (row, &count) in trace.values.chunks_exact_mut(width).zip(&self.counts) {
            let columns: &mut Range16Columns<F> = borrow_mut(row);
            columns.multiplicity = F::from_u32(count);
        }
        trace
    }
}
