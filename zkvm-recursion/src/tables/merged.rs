//! The witness, arith, poseidon2 and public tables side by side in one table (the final
//! circuit's layout, [`TableLayout::Merged`](super::TableLayout)).
//!
//! A proof commits, for every table, its quotient chunks and its LogUp running-sum columns, and
//! opens every one of them at every query. Four tables cost four sets; one table holding the
//! four rows side by side costs one: the quotient chunks of its highest degree (the poseidon2
//! constraints') and one running sum over all its messages, packed up to that degree. The
//! constraints and messages are each part's own, on its own columns: a merged row is a witness
//! row, an arith row, a poseidon2 row and a public row, and nothing relates the parts but the
//! witness bus, as between separate tables. The public part has no main column (the public
//! table's zero column exists only because a table needs a main trace): its messages are built
//! from the proof's public values and its preprocessed columns, which hold the constants over
//! the merged table's rows instead of the public table's fixed 2^11.

use p3_air::BaseAir;
use p3_field::Field;
use p3_lookup::InteractionBuilder;
use p3_matrix::Matrix;
use p3_matrix::dense::RowMajorMatrix;
use zkvm_bus::columns::borrow;
use zkvm_core::prover::Val;

use super::arith::ArithChip;
use super::poseidon2::Poseidon2Chip;
use super::public::{PublicChip, PublicPreprocessed};
use super::witness::WitnessChip;
use crate::circuit::{Circuit, Ext};

/// The witness, arith, poseidon2 and public tables of one circuit, all of one height, in one
/// row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MergedChip {
    /// The witness part (the first columns).
    pub witness: WitnessChip,
    /// The arith part (after the witness columns).
    pub arith: ArithChip,
    /// The poseidon2 part (after the arith columns).
    pub poseidon2: Poseidon2Chip,
    /// The public part: the public inputs and the constants (preprocessed columns only, the
    /// last ones).
    pub public: PublicChip,
}

impl MergedChip {
    /// The merged table of `circuit`, whose witness, arith and poseidon2 tables must have one
    /// height (the final layout pads them to it, at least the number of constants); `ids` are
    /// its slots' witness ids ([`Circuit::witness_ids`]).
    pub fn new(circuit: &Circuit, ids: &[u32]) -> Self {
        let chip = MergedChip {
            witness: WitnessChip::new(circuit, ids),
            arith: ArithChip::new(circuit, ids),
            poseidon2: Poseidon2Chip::new(circuit, ids),
            public: PublicChip::new(circuit, ids),
        };
        debug_assert!(
            chip.witness.height == chip.arith.height && chip.arith.height == chip.poseidon2.height,
            "the merged parts have one height"
        );
        chip
    }

    /// Rows (a power of two).
    pub fn height(&self) -> usize {
        self.witness.height
    }

    /// The main trace: each part's rows side by side (the public part has no main column).
    pub fn trace(&self, slots: &[Ext]) -> RowMajorMatrix<Val> {
        side_by_side(&[self.witness.trace(slots), self.arith.trace(slots), self.poseidon2.trace(slots)])
    }

    /// Where each part's main and preprocessed columns start and end in a merged row: the
    /// witness, arith, poseidon2 and public parts, in that order.
    fn column_ranges<F: Field>(&self) -> [(std::ops::Range<usize>, std::ops::Range<usize>); 4] {
        let widths = [
            (BaseAir::<F>::width(&self.witness), BaseAir::<F>::preprocessed_width(&self.witness)),
            (BaseAir::<F>::width(&self.arith), BaseAir::<F>::preprocessed_width(&self.arith)),
            (BaseAir::<F>::width(&self.poseidon2), BaseAir::<F>::preprocessed_width(&self.poseidon2)),
            (0, BaseAir::<F>::preprocessed_width(&self.public)),
        ];
        let (mut main, mut fixed) = (0, 0);
        widths.map(|(main_width, fixed_width)| {
            let ranges = (main..main + main_width, fixed..fixed + fixed_width);
            (main, fixed) = (main + main_width, fixed + fixed_width);
            ranges
        })
    }
}

/// The rows of `parts` (all of one height) side by side.
fn side_by_side<F: Clone + Send + Sync>(parts: &[RowMajorMatrix<F>]) -> RowMajorMatrix<F> {
    let height = parts[0].height();
    let width = parts.iter().map(|part| part.width).sum();
    let mut values = Vec::with_capacity(height * width);
    for row in 0..height {
        for part in parts {
            values.extend_from_slice(&part.values[row * part.width..(row + 1) * part.width]);
        }
    }
    RowMajorMatrix::new(values, width)
}

impl<F: Field> BaseAir<F> for MergedChip {
    fn width(&self) -> usize {
        self.column_ranges::<F>()[3].0.end
    }

    fn preprocessed_width(&self) -> usize {
        self.column_ranges::<F>()[3].1.end
    }

    fn num_public_values(&self) -> usize {
        BaseAir::<F>::num_public_values(&self.public)
    }

    /// The poseidon2 part's columns if its layout reads the next row (the two-row layout);
    /// none otherwise: the other parts read one row.
    fn main_next_row_columns(&self) -> Vec<usize> {
        if self.poseidon2.reads_next_row() {
            self.column_ranges::<F>()[2].0.clone().collect()
        } else {
            Vec::new()
        }
    }

    /// No part reads the next row's preprocessed cells.
    fn preprocessed_next_row_columns(&self) -> Vec<usize> {
        Vec::new()
    }

    fn preprocessed_trace(&self) -> Option<RowMajorMatrix<F>> {
        let parts = [
            BaseAir::<F>::preprocessed_trace(&self.witness),
            BaseAir::<F>::preprocessed_trace(&self.arith),
            BaseAir::<F>::preprocessed_trace(&self.poseidon2),
            Some(self.public.preprocessed_rows(self.height())),
        ];
        let parts: Option<Vec<RowMajorMatrix<F>>> = parts.into_iter().collect();
        parts.map(|parts| side_by_side(&parts))
    }
}

impl MergedChip {
    /// The constraints and messages of one merged row whose main cells are `main`, the next
    /// row's `next` (empty unless the poseidon2 part reads it) and preprocessed cells `fixed`:
    /// each part's on its own columns.
    pub fn eval_row<AB: InteractionBuilder>(
        &self,
        builder: &mut AB,
        main: &[AB::Var],
        next: &[AB::Var],
        fixed: &[AB::Var],
    ) where
        AB::F: Field,
    {
        let [witness, arith, poseidon2, public] = self.column_ranges::<AB::F>();
        // (M1) The witness part's messages (W2) on its own columns.
        self.witness.eval_row(builder, &main[witness.0], &fixed[witness.1]);
        // (M2) The arith part's constraints and messages (A1..A5) on its own columns.
        self.arith.eval_row(builder, &main[arith.0], &fixed[arith.1]);
        // (M3) The poseidon2 part's constraints and messages (P1..P7, or Q1..Q5 in the two-row
        // layout, which reads the next row's part too) on its own columns.
        let poseidon2_next = if next.is_empty() { &[] } else { &next[poseidon2.0.clone()] };
        self.poseidon2.eval_row(builder, &main[poseidon2.0], poseidon2_next, &fixed[poseidon2.1]);
        // (M4) The public part's messages (U1..U3) on its own preprocessed columns.
        let public_fixed: PublicPreprocessed<AB::Var> = *borrow(&fixed[public.1]);
        self.public.eval_messages(builder, &public_fixed);
    }
}
