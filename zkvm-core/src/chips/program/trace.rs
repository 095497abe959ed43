//! Trace generation for the program table.

use p3_field::Field;
use p3_matrix::dense::RowMajorMatrix;

use super::{ProgramChip, ProgramColumns};
use crate::chips::columns::{Columns, borrow_mut};

/// How many times each instruction of the program was fetched in a segment.
#[derive(Clone, Debug)]
pub struct FetchCounts {
    counts: Vec<u32>,
}

impl FetchCounts {
    /// No fetches yet, for `chip`'s program.
    pub fn new(chip: &ProgramChip) -> Self {
        FetchCounts { counts: vec![0; chip.len()] }
    }

    /// Records one fetch at `pc`, which must be an address of the program (an executed pc
    /// always is).
    pub fn add(&mut self, chip: &ProgramChip, pc: u32) {
        let row = chip.row_of_pc(pc).unwrap_or_else(|| panic!("fetch at {pc:#x} outside the program"));
        self.counts[row] += 1;
    }

    /// The table's main trace.
    pub fn trace<F: Field>(&self, chip: &ProgramChip) -> RowMajorMatrix<F> {
        let width = ProgramColumns::<F>::WIDTH;
        let mut trace = RowMajorMatrix::new(vec![F::ZERO; chip.height() * width], width);
        for (cells, &count) in trace.values.chunks_exact_mut(width).zip(&self.counts) {
            let columns: &mut ProgramColumns<F> = borrow_mut(cells);
            columns.multiplicity = F::from_u32(count);
        }
        trace
    }
}
