//! Constraints and trace of the public-input table. The public inputs are the proof's public
//! values, which the verifier knows, so the table sends them on the witness bus as they are:
//! it holds no copy of them in its trace.

use p3_air::{Air, BaseAir, WindowAccess};
use p3_field::{Field, PrimeCharacteristicRing};
use p3_lookup::InteractionBuilder;
use p3_matrix::dense::RowMajorMatrix;
use zkvm_bus::{WitnessMessage, send};
use zkvm_core::prover::Val;

use crate::circuit::{Circuit, Ext};
use crate::tables::ext::DEGREE;

/// Rows of the public-input table: 2^11, so that a proof may stop FRI at a final polynomial of
/// up to 2^10 coefficients (FRI takes no codeword shorter than the final one; the table's real
/// row is its first, the others pad). Its few columns at 2^11 rows cost next to nothing.
pub const PUBLIC_TABLE_HEIGHT: usize = 1 << 11;

/// The public-input table of one circuit.
///
/// Its messages are built from the public values alone (constants of the AIR as far as the
/// trace is concerned), so the lookup argument folds all of them into one fraction column and
/// the table adds two extension columns to a proof whatever the number of public inputs. The
/// main trace is a single column held at zero: the proof system needs a main trace, and this
/// table has no witness.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicChip {
    /// Number of public inputs.
    pub num_publics: usize,
}

impl PublicChip {
    /// The public-input table of `circuit`.
    pub fn new(circuit: &Circuit) -> Self {
        PublicChip { num_publics: circuit.num_publics as usize }
    }

    /// The main trace: its one column, zero on every row (the slots' values are not needed:
    /// the messages carry the public values themselves).
    pub fn trace(&self, _slots: &[Ext]) -> RowMajorMatrix<Val> {
        RowMajorMatrix::new(vec![Val::ZERO; PUBLIC_TABLE_HEIGHT], 1)
    }
}

impl<F: Field> BaseAir<F> for PublicChip {
    fn width(&self) -> usize {
        1
    }

    fn preprocessed_width(&self) -> usize {
        1
    }

    /// One column, `is_real`: 1 on the first row only.
    fn preprocessed_trace(&self) -> Option<RowMajorMatrix<F>> {
        let mut values = vec![F::ZERO; PUBLIC_TABLE_HEIGHT];
        values[0] = F::ONE;
        Some(RowMajorMatrix::new(values, 1))
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
        let is_real: AB::Var = builder.preprocessed().current_slice()[0];
        let filler: AB::Var = builder.main().current_slice()[0];
        let public: Vec<AB::Expr> = builder.public_values().iter().map(|&v| v.into()).collect();

        // (U0) The main trace's one column is zero on every row: the table has no witness.
        builder.assert_zero(filler);
        for k in 0..self.num_publics {
            // (U1) The real row writes public input k, the proof's public values 5k .. 5k + 5
            // as the coefficients of one extension element, to slot k.
            let value: [AB::Expr; DEGREE] = std::array::from_fn(|j| public[k * DEGREE + j].clone());
            let message = WitnessMessage { index: AB::Expr::from_usize(k), value };
            send(builder, message, is_real);
        }
    }
}
