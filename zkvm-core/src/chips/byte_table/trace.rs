//! Trace generation for the byte table.

use p3_field::Field;
use p3_matrix::dense::RowMajorMatrix;
use zkvm_bus::ByteOperation;

use super::{BYTE_TABLE_ROWS, ByteTableColumns};
use crate::chips::columns::{Columns, borrow_mut};

/// How often each byte operation was queried for each byte pair in a segment; filled by the
/// chips that query.
#[derive(Clone, Debug)]
pub struct ByteCounts {
    counts: Vec<[u32; ByteOperation::ALL.len()]>,
}

impl Default for ByteCounts {
    fn default() -> Self {
        ByteCounts { counts: vec![[0; ByteOperation::ALL.len()]; BYTE_TABLE_ROWS] }
    }
}

impl ByteCounts {
    /// Records one query of `op` on `(a, b)` and returns its result.
    pub fn add(&mut self, op: ByteOperation, a: u8, b: u8) -> u8 {
        self.counts[(usize::from(a) << 8) | usize::from(b)][op as usize] += 1;
        op.apply(a, b)
    }

    /// The number of queries of `op` on `(a, b)`.
    pub fn get(&self, op: ByteOperation, a: u8, b: u8) -> u32 {
        self.counts[(usize::from(a) << 8) | usize::from(b)][op as usize]
    }

    /// The table's main trace.
    pub fn trace<F: Field>(&self) -> RowMajorMatrix<F> {
        let width = ByteTableColumns::<F>::WIDTH;
        let mut trace = RowMajorMatrix::new(vec![F::ZERO; BYTE_TABLE_ROWS * width], width);
        for (row, counts) in trace.values.chunks_exact_mut(width).zip(&self.counts) {
            let columns: &mut ByteTableColumns<F> = borrow_mut(row);
            for (cell, &count) in columns.multiplicity.iter_mut().zip(counts) {
                *cell = F::from_u32(count);
            }
        }
        trace
    }
}
