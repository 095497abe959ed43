//! Constraints of the witness table.

use p3_air::BaseAir;
use p3_field::{Field, PrimeCharacteristicRing};
use p3_lookup::InteractionBuilder;
use p3_matrix::dense::RowMajorMatrix;
use zkvm_bus::columns::{Columns, borrow};
use zkvm_bus::{WitnessMessage, provide};

use super::columns::{WitnessBaseLane, WitnessFixedLane, WitnessLane, WitnessPreprocessed};
use crate::circuit::Circuit;
use crate::tables::{Lanes, growing_table_heights};

/// The witness table of one circuit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WitnessChip {
    /// Rows (a power of two, enough for the base slots over the base lanes and for the others
    /// over the extension lanes).
    pub height: usize,
    /// Base and extension lanes per row (the circuit's [`Lanes`]; `arith` is not this table's).
    pub lanes: Lanes,
    /// How many times the other tables read each slot, by witness id
    /// ([`Circuit::witness_ids`]; zero at the ids no slot has): each lane's multiplicity, in
    /// the preprocessed trace.
    pub reads: Vec<u32>,
}

impl<F: Field> BaseAir<F> for WitnessChip {
    fn width(&self) -> usize {
        self.lanes.base * WitnessBaseLane::<F>::WIDTH + self.lanes.ext * WitnessLane::<F>::WIDTH
    }

    fn preprocessed_width(&self) -> usize {
        WitnessPreprocessed::<F>::WIDTH + (self.lanes.base + self.lanes.ext) * WitnessFixedLane::<F>::WIDTH
    }

    /// One row per lane: no constraint or message reads the next row, so a proof opens the
    /// table at the out-of-domain point only.
    fn main_next_row_columns(&self) -> Vec<usize> {
        Vec::new()
    }

    /// No preprocessed cell of the next row is read either.
    fn preprocessed_next_row_columns(&self) -> Vec<usize> {
        Vec::new()
    }

    fn preprocessed_trace(&self) -> Option<RowMajorMatrix<F>> {
        Some(self.preprocessed())
    }
}

impl WitnessChip {
    /// The witness table of `circuit`, whose slots have witness ids `ids`
    /// ([`Circuit::witness_ids`]).
    pub fn new(circuit: &Circuit, ids: &[u32]) -> Self {
        let mut reads = vec![0u32; ids.iter().max().map_or(0, |&id| id as usize + 1)];
        let mut read = |slot: u32| reads[ids[slot as usize] as usize] += 1;
        (0..circuit.num_publics).for_each(&mut read);
        circuit.constants.iter().for_each(|(slot, _)| read(slot.0));
        for op in &circuit.arith {
            [op.a, op.b, op.out].into_iter().chain(op.addend()).for_each(|s| read(s.0));
        }
        for op in &circuit.poseidon2 {
            let outputs = op.output_slots().map(|(_, slot)| slot);
            op.input.into_iter().chain(outputs).chain([op.swap]).for_each(|s| read(s.0));
        }
        WitnessChip { height: growing_table_heights(circuit)[0], lanes: circuit.lanes, reads }
    }

    /// The first extension id: the base lanes' capacity, `L_b H`.
    pub fn first_ext_id(&self) -> usize {
        self.lanes.base * self.height
    }

    /// The witness id base lane `lane` of row `row` provides.
    pub(crate) fn base_id(&self, row: usize, lane: usize) -> usize {
        self.lanes.base * row + lane
    }

    /// The witness id extension lane `lane` of row `row` provides.
    pub(crate) fn ext_id(&self, row: usize, lane: usize) -> usize {
        self.first_ext_id() + self.lanes.ext * row + lane
    }

    /// Where the slot of witness id `id` lies in the main trace: its row, its lane's first
    /// column, and whether that is a base lane (one column) or an extension lane (five).
    pub fn cell_of(&self, id: usize) -> (usize, usize, bool) {
        if id < self.first_ext_id() {
            (id / self.lanes.base, (id % self.lanes.base) * WitnessBaseLane::<u8>::WIDTH, true)
        } else {
            let (row, lane) =
                ((id - self.first_ext_id()) / self.lanes.ext, (id - self.first_ext_id()) % self.lanes.ext);
            let base_width = self.lanes.base * WitnessBaseLane::<u8>::WIDTH;
            (row, base_width + lane * WitnessLane::<u8>::WIDTH, false)
        }
    }

    /// The messages of one row whose main cells are `main` and preprocessed cells `fixed`
    /// (this table's columns, alone or within a merged row).
    pub fn eval_row<AB: InteractionBuilder>(&self, builder: &mut AB, main: &[AB::Var], fixed: &[AB::Var])
    where
        AB::F: Field,
    {
        let (row, fixed_lanes) = fixed.split_at(WitnessPreprocessed::<AB::Var>::WIDTH);
        let row: WitnessPreprocessed<AB::Var> = *borrow(row);
        let mut multiplicities = fixed_lanes.chunks_exact(WitnessFixedLane::<AB::Var>::WIDTH).map(|cells| {
            let fixed_lane: WitnessFixedLane<AB::Var> = *borrow(cells);
            fixed_lane.multiplicity
        });
        let (base, ext) = main.split_at(self.lanes.base * WitnessBaseLane::<AB::Var>::WIDTH);
        let base_lanes = base.chunks_exact(WitnessBaseLane::<AB::Var>::WIDTH);
        for (k, (cells, multiplicity)) in base_lanes.zip(&mut multiplicities).enumerate() {
            let lane: WitnessBaseLane<AB::Var> = *borrow(cells);
            // (W1) Base lane k provides (L_b row + k, value) with the value's other four
            // coefficients zero, as many times as the key's multiplicity says the other tables
            // read that witness id (0 where no base slot has it): each slot is provided by one
            // lane of one row, so it has one value for every reader, a base-field one here.
            let id = row.row.into() * AB::Expr::from_usize(self.lanes.base) + AB::Expr::from_usize(k);
            let value = std::array::from_fn(|j| if j == 0 { lane.value.into() } else { AB::Expr::ZERO });
            provide(builder, WitnessMessage { index: id, value }, multiplicity);
        }
        let ext_lanes = ext.chunks_exact(WitnessLane::<AB::Var>::WIDTH);
        for (k, (cells, multiplicity)) in ext_lanes.zip(multiplicities).enumerate() {
            let lane: WitnessLane<AB::Var> = *borrow(cells);
            // (W2) Extension lane k provides (L_b H + L_e row + k, value), all five coefficients
            // from its columns, the same way.
            let id = row.row.into() * AB::Expr::from_usize(self.lanes.ext)
                + AB::Expr::from_usize(self.first_ext_id() + k);
            provide(builder, WitnessMessage { index: id, value: lane.value.map(Into::into) }, multiplicity);
        }
    }
}
