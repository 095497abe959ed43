//! Trace generation for the register boundary.

use p3_field::Field;
use p3_matrix::dense::RowMajorMatrix;
use zkvm_bus::columns::{Columns, borrow_mut};

use super::RegisterBoundaryColumns;
use crate::{MemoryTracker, REGISTER_SPACE};

/// The boundary's trace for a segment that started with registers `start` and whose register
/// accesses were recorded in `tracker` (created with the same start values).
pub fn register_boundary_trace<F: Field>(start: &[u32; 32], tracker: &MemoryTracker) -> RowMajorMatrix<F> {
    let width = RegisterBoundaryColumns::<F>::WIDTH;
    let mut trace = RowMajorMatrix::new(vec![F::ZERO; 2 * width], width);
    let row: &mut RegisterBoundaryColumns<F> = borrow_mut(&mut trace.values[..width]);
    row.is_real = F::ONE;
    for (r, &value) in start.iter().enumerate() {
        let last = tracker.state(REGISTER_SPACE, r as u32);
        row.initial[r] = value.to_le_bytes().map(F::from_u8);
        row.last[r] = last.value.to_le_bytes().map(F::from_u8);
        row.last_timestamp[r] = F::from_u32(last.timestamp);
    }
    trace
}
