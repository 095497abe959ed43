//! Constraints and trace of the public table. The public inputs are the proof's public
//! values, which the verifier knows, so the table sends them on the witness bus as they are:
//! it holds no copy of them in its trace. The circuit's constants are preprocessed columns,
//! one per row, which the verifying key fixes.

use p3_air::{Air, BaseAir, WindowAccess};
use p3_field::{Field, PrimeCharacteristicRing, PrimeField32};
use p3_lookup::InteractionBuilder;
use p3_matrix::dense::RowMajorMatrix;
use zkvm_bus::columns::{Columns, borrow, borrow_mut};
use zkvm_bus::{WitnessMessage, send};
use zkvm_core::prover::Val;

use super::columns::PublicPreprocessed;
use crate::circuit::{Circuit, Ext};
use crate::tables::ext::{DEGREE, coefficients};

/// Rows of the public table: 2^11, so that a proof may stop FRI at a final polynomial of up
/// to 2^10 coefficients (FRI takes no codeword shorter than the final one), and room for
/// [`MAX_CONSTANTS`] constants. A fixed height keeps every node proof of one shape whatever
/// its constants, and bounds the table's reads for the soundness computation.
pub const PUBLIC_TABLE_HEIGHT: usize = 1 << 11;

/// The most constants a recursion circuit may have: one per row of the public table. The node
/// circuits have about 320 to 540 (the leaves over segments with both precompiles, the
/// internal circuits); the prover and the key builder refuse a circuit with more.
pub const MAX_CONSTANTS: usize = PUBLIC_TABLE_HEIGHT;

/// The public table of one circuit.
///
/// Its public-input messages are built from the public values alone (constants of the AIR as
/// far as the trace is concerned), so the lookup argument folds all of them into one fraction
/// column whatever the number of public inputs. Its constants sit in preprocessed columns, one
/// per row, instead of six preprocessed columns per witness lane. The main trace is a single
/// column held at zero: the proof system needs a main trace, and this table has no witness.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicChip {
    /// Number of public inputs.
    pub num_publics: usize,
    /// Each public input's witness id ([`Circuit::witness_ids`] of slot `k` for input `k`).
    pub public_ids: Vec<u32>,
    /// The constant slots' witness ids and their values, in the circuit's order (at most
    /// [`MAX_CONSTANTS`] are written; the prover refuses more).
    pub constants: Vec<(u32, Ext)>,
}

impl PublicChip {
    /// The public table of `circuit`, whose slots have witness ids `ids`
    /// ([`Circuit::witness_ids`]).
    pub fn new(circuit: &Circuit, ids: &[u32]) -> Self {
        let constants =
            circuit.constants.iter().map(|&(slot, value)| (ids[slot.0 as usize], value)).collect();
        let public_ids = ids[..circuit.num_publics as usize].to_vec();
        PublicChip { num_publics: circuit.num_publics as usize, public_ids, constants }
    }

    /// The main trace: its one column, zero on every row (the slots' values are not needed:
    /// the messages carry the public values themselves).
    pub fn trace(&self, _slots: &[Ext]) -> RowMajorMatrix<Val> {
        RowMajorMatrix::new(vec![Val::ZERO; PUBLIC_TABLE_HEIGHT], 1)
    }

    /// The preprocessed columns over `height` rows: `is_public_row` on the first row, constant
    /// `r` on row `r` (the merged table holds them over its own height, at least the number of
    /// constants).
    ///
    /// # Panics
    /// If `height` is below the number of constants (the prover and the key builder refuse a
    /// circuit with more than [`MAX_CONSTANTS`], and no table holding them is shorter).
    pub fn preprocessed_rows<F: Field>(&self, height: usize) -> RowMajorMatrix<F> {
        assert!(self.constants.len() <= height, "{} constants in {height} rows", self.constants.len());
        let width = PublicPreprocessed::<F>::WIDTH;
        let mut values = vec![F::ZERO; height * width];
        for (row, cells) in values.chunks_exact_mut(width).enumerate() {
            let fixed: &mut PublicPreprocessed<F> = borrow_mut(cells);
            fixed.is_public_row = F::from_bool(row == 0);
            if let Some(&(slot, value)) = self.constants.get(row) {
                fixed.is_constant = F::ONE;
                fixed.constant_slot = F::from_u32(slot);
                fixed.constant = coefficients(value).map(|c| F::from_u32(c.as_canonical_u32()));
            }
        }
        RowMajorMatrix::new(values, width)
    }

    /// The messages of one row whose preprocessed cells are `fixed` (U1..U3): the public inputs
    /// on the first row, the row's constant on a constant row. The public table sends them on
    /// its own rows, the merged table on its rows beside the other parts'.
    pub fn eval_messages<AB: InteractionBuilder>(&self, builder: &mut AB, fixed: &PublicPreprocessed<AB::Var>)
    where
        AB::F: Field,
    {
        let public: Vec<AB::Expr> = builder.public_values().iter().map(|&v| v.into()).collect();
        for k in 0..self.num_publics {
            // (U1) The first row writes public input k, the proof's public values 5k .. 5k + 5
            // as the coefficients of one extension element, to slot k (by its witness id, which
            // the circuit fixes).
            let value: [AB::Expr; DEGREE] = std::array::from_fn(|j| public[k * DEGREE + j].clone());
            let index = AB::Expr::from_u32(self.public_ids[k]);
            let message = WitnessMessage { index, value };
            send(builder, message, fixed.is_public_row);
        }
        // (U2) `is_public_row` and `is_constant` are bits (preprocessed: this rejects a key
        // that does not hold bits). The proof system's first-row selector cannot stand in for
        // `is_public_row`: Plonky3's Lagrange selectors are not normalized (the first-row one
        // is n, not 1, on the first row of an n-row table), so they may only multiply a
        // constraint that must vanish, never count a message.
        builder.assert_bool(fixed.is_public_row);
        builder.assert_bool(fixed.is_constant);
        // (U3) A constant row writes its constant to its slot: every reader of the slot, and the
        // witness table that provides it, see the value the verifying key fixes.
        let value = fixed.constant.map(Into::into);
        let message = WitnessMessage { index: fixed.constant_slot.into(), value };
        send(builder, message, fixed.is_constant);
    }
}

impl<F: Field> BaseAir<F> for PublicChip {
    fn width(&self) -> usize {
        1
    }

    fn preprocessed_width(&self) -> usize {
        PublicPreprocessed::<F>::WIDTH
    }

    /// Each row sends its own messages: no constraint or message reads the next row, so a
    /// proof opens the table at the out-of-domain point only.
    fn main_next_row_columns(&self) -> Vec<usize> {
        Vec::new()
    }

    /// No preprocessed cell of the next row is read either.
    fn preprocessed_next_row_columns(&self) -> Vec<usize> {
        Vec::new()
    }

    /// `is_public_row` on the first row; constant `r` on row `r`.
    fn preprocessed_trace(&self) -> Option<RowMajorMatrix<F>> {
        Some(self.preprocessed_rows(PUBLIC_TABLE_HEIGHT))
    }

    fn num_public_values(&self) -> usize {
        self.num_publics * DEGREE
    }
}

impl<AB: InteractionBuilder> Air<AB> for PublicChip
where
    AB::F: Field,
{
    fn eval(&self, builder: &mut AB) {
        let fixed: PublicPreprocessed<AB::Var> = *borrow(builder.preprocessed().current_slice());
        let filler: AB::Var = builder.main().current_slice()[0];
        // (U0) The main trace's one column is zero on every row: the table has no witness.
        builder.assert_zero(filler);
        self.eval_messages(builder, &fixed);
    }
}
