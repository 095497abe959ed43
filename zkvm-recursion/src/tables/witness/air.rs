//! Constraints of the witness table.

use p3_air::BaseAir;
use p3_field::{Field, PrimeCharacteristicRing};
use p3_lookup::InteractionBuilder;
use p3_matrix::dense::RowMajorMatrix;
use zkvm_bus::columns::{Columns, borrow};
use zkvm_bus::{WitnessMessage, provide};

use super::columns::{WitnessFixedLane, WitnessLane, WitnessPreprocessed};
use crate::circuit::Circuit;
use crate::tables::growing_table_heights;

/// The witness table of one circuit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WitnessChip {
    /// Rows (a power of two, at least the number of slots over `lanes`).
    pub height: usize,
    /// Slots per row ([`Lanes::witness`](crate::tables::Lanes) of the circuit).
    pub lanes: usize,
    /// How many times the other tables read each slot: each lane's multiplicity, in the
    /// preprocessed trace.
    pub reads: Vec<u32>,
}

impl<F: Field> BaseAir<F> for WitnessChip {
    fn width(&self) -> usize {
        self.lanes * WitnessLane::<F>::WIDTH
    }

    fn preprocessed_width(&self) -> usize {
        WitnessPreprocessed::<F>::WIDTH + self.lanes * WitnessFixedLane::<F>::WIDTH
    }

    fn preprocessed_trace(&self) -> Option<RowMajorMatrix<F>> {
        Some(self.preprocessed())
    }
}

impl WitnessChip {
    /// The witness table of `circuit`.
    pub fn new(circuit: &Circuit) -> Self {
        let mut reads = vec![0u32; circuit.num_slots as usize];
        let mut read = |slot: u32| reads[slot as usize] += 1;
        (0..circuit.num_publics).for_each(&mut read);
        circuit.constants.iter().for_each(|(slot, _)| read(slot.0));
        for op in &circuit.arith {
            [op.a, op.b, op.out].into_iter().chain(op.addend()).for_each(|s| read(s.0));
        }
        for op in &circuit.poseidon2 {
            let outputs = op.output_slots().map(|(_, slot)| slot);
            op.input.into_iter().chain(outputs).chain([op.swap]).for_each(|s| read(s.0));
        }
        WitnessChip { height: growing_table_heights(circuit)[0], lanes: circuit.lanes.witness, reads }
    }
}

impl WitnessChip {
    /// The messages of one row whose main cells are `main` and preprocessed cells `fixed`
    /// (this table's columns, alone or within a merged row).
    pub fn eval_row<AB: InteractionBuilder>(&self, builder: &mut AB, main: &[AB::Var], fixed: &[AB::Var])
    where
        AB::F: Field,
    {
        let (row, lanes) = fixed.split_at(WitnessPreprocessed::<AB::Var>::WIDTH);
        let row: WitnessPreprocessed<AB::Var> = *borrow(row);
        let multiplicities = lanes.chunks_exact(WitnessFixedLane::<AB::Var>::WIDTH);
        let local = main.chunks_exact(WitnessLane::<AB::Var>::WIDTH);

        for (k, (cells, fixed_cells)) in local.zip(multiplicities).enumerate() {
            let lane: WitnessLane<AB::Var> = *borrow(cells);
            let fixed_lane: WitnessFixedLane<AB::Var> = *borrow(fixed_cells);
            // (W2) Provide (slot, value) as many times as the key's multiplicity says the
            // other tables read it, where the slot is lanes * row + k with `row` the
            // preprocessed row number: each slot is provided by one lane of one row, so it has
            // one value for every reader.
            let slot = row.row.into() * AB::Expr::from_usize(self.lanes) + AB::Expr::from_usize(k);
            let message = WitnessMessage { index: slot, value: lane.value.map(Into::into) };
            provide(builder, message, fixed_lane.multiplicity);
        }
    }
}
