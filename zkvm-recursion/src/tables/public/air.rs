//! Constraints and trace of the public-input table. Its width depends on the circuit (five
//! columns per public input), so its row is read as a slice rather than a column struct.

use p3_air::{Air, BaseAir, WindowAccess};
use p3_field::{Field, PrimeCharacteristicRing};
use p3_lookup::InteractionBuilder;
use p3_matrix::dense::RowMajorMatrix;
use zkvm_bus::{WitnessMessage, send};
use zkvm_core::prover::Val;

use crate::circuit::{Circuit, Ext};
use crate::tables::MIN_HEIGHT;
use crate::tables::ext::{DEGREE, coefficients};

/// The public-input table of one circuit.
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

    /// The main trace: the public inputs on the first row.
    pub fn trace(&self, slots: &[Ext]) -> RowMajorMatrix<Val> {
        let width = self.num_publics * DEGREE;
        let mut values = vec![Val::ZERO; MIN_HEIGHT * width];
        for (k, &value) in slots[..self.num_publics].iter().enumerate() {
            values[k * DEGREE..(k + 1) * DEGREE].copy_from_slice(&coefficients(value));
        }
        RowMajorMatrix::new(values, width)
    }
}

impl<F: Field> BaseAir<F> for PublicChip {
    fn width(&self) -> usize {
        self.num_publics * DEGREE
    }

    fn preprocessed_width(&self) -> usize {
        1
    }

    /// One column, `is_real`: 1 on the first row only.
    fn preprocessed_trace(&self) -> Option<RowMajorMatrix<F>> {
        let mut values = vec![F::ZERO; MIN_HEIGHT];
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
        let main = builder.main();
        let local: Vec<AB::Var> = main.current_slice().to_vec();
        let public: Vec<AB::Expr> = builder.public_values().iter().map(|&v| v.into()).collect();

        for k in 0..self.num_publics {
            let value: [AB::Var; DEGREE] = std::array::from_fn(|j| local[k * DEGREE + j]);
            // (U1) On the real row, public input k is the proof's public values 5k .. 5k + 5.
            for (j, &cell) in value.iter().enumerate() {
                builder.assert_zero(is_real * (cell.into() - public[k * DEGREE + j].clone()));
            }
            // (U2) The real row writes public input k to slot k.
            let message = WitnessMessage { index: AB::Expr::from_usize(k), value: value.map(Into::into) };
            send(builder, message, is_real);
        }
    }
}
