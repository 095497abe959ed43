//! One row of a trace as concrete values: an AIR builder that evaluates expressions and
//! constraints there. The debug balancer resolves interactions with it; chip tests evaluate a
//! table's own constraints on a tampered row with [`constraints_violated_on_row`].

use p3_air::{Air, AirBuilder, RowWindow};
use p3_field::Field;
use p3_lookup::{Count, InteractionBuilder};
use p3_matrix::Matrix;
use p3_matrix::dense::RowMajorMatrix;

/// Row `row` of a `height`-row trace (its main and preprocessed cells and those of the next
/// row), on which expressions evaluate to field elements. Every asserted constraint that does
/// not vanish is counted in [`RowEvaluator::violated`]; messages are dropped.
pub struct RowEvaluator<'a, F> {
    /// The row and the next one of the main trace.
    pub main: RowWindow<'a, F>,
    /// The row and the next one of the preprocessed trace (empty without one).
    pub preprocessed: RowWindow<'a, F>,
    /// The table's public values.
    pub public_values: &'a [F],
    /// The row's index.
    pub row: usize,
    /// The trace's height.
    pub height: usize,
    /// How many asserted constraints did not vanish.
    pub violated: usize,
}

impl<'a, F: Field> AirBuilder for RowEvaluator<'a, F> {
    type F = F;
    type Expr = F;
    type Var = F;
    type PreprocessedWindow = RowWindow<'a, F>;
    type MainWindow = RowWindow<'a, F>;
    type PublicVar = F;
    type PeriodicVar = F;

    fn main(&self) -> Self::MainWindow {
        self.main
    }
    fn preprocessed(&self) -> &Self::PreprocessedWindow {
        &self.preprocessed
    }
    fn is_first_row(&self) -> F {
        F::from_bool(self.row == 0)
    }
    fn is_last_row(&self) -> F {
        F::from_bool(self.row + 1 == self.height)
    }
    fn is_transition(&self) -> F {
        F::from_bool(self.row + 1 < self.height)
    }
    fn assert_zero<I: Into<F>>(&mut self, x: I) {
        if !x.into().is_zero() {
            self.violated += 1;
        }
    }
    fn public_values(&self) -> &[F] {
        self.public_values
    }
}

impl<F: Field> InteractionBuilder for RowEvaluator<'_, F> {
    fn push_interaction<E: Into<F>>(
        &mut self,
        _bus_name: &str,
        fields: impl IntoIterator<Item = E>,
        _count: impl Into<Count<F>>,
    ) {
        fields.into_iter().for_each(drop);
    }

    fn push_local_interaction(&mut self, tuples: impl IntoIterator<Item = (Vec<F>, Count<F>)>) {
        tuples.into_iter().for_each(drop);
    }
}

/// The number of `air`'s own constraints (not its bus sums) that do not vanish on row `row`
/// of the main trace `main` and the preprocessed trace `preprocessed` (the row after it read
/// as its next row, wrapping), with `public_values`. A negative test changes one cell of an
/// honest trace or key and expects a count above zero from the constraint under test.
pub fn constraints_violated_on_row<F, A>(
    air: &A,
    main: &RowMajorMatrix<F>,
    preprocessed: Option<&RowMajorMatrix<F>>,
    public_values: &[F],
    row: usize,
) -> usize
where
    F: Field,
    A: for<'a> Air<RowEvaluator<'a, F>>,
{
    let height = main.height();
    let next = (row + 1) % height;
    let rows = |matrix: &RowMajorMatrix<F>| {
        let cells = |at: usize| matrix.values[at * matrix.width..(at + 1) * matrix.width].to_vec();
        (cells(row), cells(next))
    };
    let (main_current, main_next) = rows(main);
    let (fixed_current, fixed_next) = preprocessed.map(rows).unwrap_or_default();
    let mut evaluator = RowEvaluator {
        main: RowWindow::from_two_rows(&main_current, &main_next),
        preprocessed: RowWindow::from_two_rows(&fixed_current, &fixed_next),
        public_values,
        row,
        height,
        violated: 0,
    };
    air.eval(&mut evaluator);
    evaluator.violated
}
