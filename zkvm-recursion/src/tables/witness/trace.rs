//! Traces of the witness table.

use p3_field::{Field, PrimeCharacteristicRing};
use p3_matrix::dense::RowMajorMatrix;
use zkvm_bus::columns::{Columns, borrow_mut};
use zkvm_core::prover::Val;

use super::air::WitnessChip;
use super::columns::{WitnessBaseLane, WitnessFixedLane, WitnessLane, WitnessPreprocessed};
use crate::circuit::Ext;
use crate::tables::ext::coefficients;

impl WitnessChip {
    /// The preprocessed trace: row numbers, and each lane's multiplicity (the reads of the id
    /// it provides; zero where no slot has that id), base lanes first.
    pub(super) fn preprocessed<F: Field>(&self) -> RowMajorMatrix<F> {
        let lane_width = WitnessFixedLane::<F>::WIDTH;
        let row_width = WitnessPreprocessed::<F>::WIDTH;
        let width = row_width + (self.lanes.base + self.lanes.ext) * lane_width;
        let mut values = vec![F::ZERO; self.height * width];
        for (row, cells) in values.chunks_exact_mut(width).enumerate() {
            let (row_cells, lane_cells) = cells.split_at_mut(row_width);
            let fixed: &mut WitnessPreprocessed<F> = borrow_mut(row_cells);
            fixed.row = F::from_usize(row);
            let base_ids = (0..self.lanes.base).map(|k| self.base_id(row, k));
            let ext_ids = (0..self.lanes.ext).map(|k| self.ext_id(row, k));
            for (cells, id) in lane_cells.chunks_exact_mut(lane_width).zip(base_ids.chain(ext_ids)) {
                let lane: &mut WitnessFixedLane<F> = borrow_mut(cells);
                lane.multiplicity = F::from_u32(self.reads.get(id).copied().unwrap_or(0));
            }
        }
        RowMajorMatrix::new(values, width)
    }

    /// The main trace, given every slot's value by witness id ([`Circuit::in_witness_order`](crate::Circuit::in_witness_order)):
    /// the base slots' values in the base lanes, every other slot's five coefficients in the
    /// extension lanes.
    pub fn trace(&self, slots: &[Ext]) -> RowMajorMatrix<Val> {
        let base_width = self.lanes.base * WitnessBaseLane::<Val>::WIDTH;
        let width = base_width + self.lanes.ext * WitnessLane::<Val>::WIDTH;
        let mut values = vec![Val::ZERO; self.height * width];
        let (base_values, ext_values) = slots.split_at(self.first_ext_id().min(slots.len()));
        let mut base_rows = base_values.chunks(self.lanes.base);
        let mut ext_rows = ext_values.chunks(self.lanes.ext);
        for cells in values.chunks_exact_mut(width) {
            let (base_cells, ext_cells) = cells.split_at_mut(base_width);
            let base_lanes = base_cells.chunks_exact_mut(WitnessBaseLane::<Val>::WIDTH);
            for (cells, &value) in base_lanes.zip(base_rows.next().unwrap_or_default()) {
                let lane: &mut WitnessBaseLane<Val> = borrow_mut(cells);
                // Filling makes a base slot's value a base-field element (`fill`'s last check).
                lane.value = coefficients(value)[0];
            }
            let ext_lanes = ext_cells.chunks_exact_mut(WitnessLane::<Val>::WIDTH);
            for (cells, &value) in ext_lanes.zip(ext_rows.next().unwrap_or_default()) {
                let lane: &mut WitnessLane<Val> = borrow_mut(cells);
                lane.value = coefficients(value);
            }
        }
        RowMajorMatrix::new(values, width)
    }
}
