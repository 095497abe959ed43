//! Trace generation for the register boundary.

use p3_field::Field;
use p3_matrix::dense::RowMajorMatrix;
use zkvm_bus::columns::{Columns, borrow_mut};

use super::{BoundaryState, RegisterBoundaryColumns};
use crate::{INPUT_POSITION, MemoryTracker, OUTPUT_POSITION, REGISTER_SPACE};

/// The boundary's trace for a segment that started in state `start` and whose register and
/// stream-position accesses were recorded in `tracker` (created with the same start values; a
/// position cell's value is the position itself).
pub fn register_boundary_trace<F: Field>(
    start: &BoundaryState,
    tracker: &MemoryTracker,
) -> RowMajorMatrix<F> {
    let width = RegisterBoundaryColumns::<F>::WIDTH;
    let mut trace = RowMajorMatrix::new(vec![F::ZERO; 2 * width], width);
    let row: &mut RegisterBoundaryColumns<F> = borrow_mut(&mut trace.values[..width]);
    row.is_real = F::ONE;
    for (r, &value) in start.registers.iter().enumerate() {
        let last = tracker.state(REGISTER_SPACE, r as u32);
        row.initial[r] = value.to_le_bytes().map(F::from_u8);
        row.last[r] = last.value.to_le_bytes().map(F::from_u8);
        row.last_timestamp[r] = F::from_u32(last.timestamp);
    }
    let initial = [start.input_position, start.output_position];
    for (i, cell) in [INPUT_POSITION, OUTPUT_POSITION].into_iter().enumerate() {
        let last = tracker.state(REGISTER_SPACE, cell);
        row.stream_initial[i] = F::from_u32(initial[i]);
        row.stream_last[i] = F::from_u32(last.value);
        row.stream_last_timestamp[i] = F::from_u32(last.timestamp);
    }
    trace
}
