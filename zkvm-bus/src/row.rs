//! One row of a trace as concrete values: an AIR builder that evaluates expressions and
//! constraints there. The debug balancer resolves interactions with it; chip tests evaluate a
//! table's own constraints on a tampered row with [`constraints_violated_on_row`], and check
//! which next-row cells an AIR reads with [`next_row_reads`].

use p3_air::{Air, AirBuilder, BaseAir, RowWindow};
use p3_field::Field;
use p3_lookup::{Count, InteractionBuilder};
use p3_matrix::Matrix;
use p3_matrix::dense::RowMajorMatrix;

/// Row `row` of a `height`-row trace (its main and preprocessed cells and those of the next
/// row), on which expressions evaluate to field elements. Every asserted constraint that does
/// not vanish is counted in [`RowEvaluator::violated`]; every asserted value and every
/// message's fields and multiplicity are appended to [`RowEvaluator::outputs`].
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
    /// What the AIR produced on the row, in emission order: each asserted constraint's value,
    /// each message's fields followed by its multiplicity.
    pub outputs: Vec<F>,
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
        let value = x.into();
        if !value.is_zero() {
            self.violated += 1;
        }
        self.outputs.push(value);
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
        count: impl Into<Count<F>>,
    ) {
        self.outputs.extend(fields.into_iter().map(Into::into));
        self.outputs.push(count.into().into_parts().0);
    }

    fn push_local_interaction(&mut self, tuples: impl IntoIterator<Item = (Vec<F>, Count<F>)>) {
        for (fields, count) in tuples {
            self.outputs.extend(fields);
            self.outputs.push(count.into_parts().0);
        }
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
        outputs: Vec::new(),
    };
    air.eval(&mut evaluator);
    evaluator.violated
}

/// The columns whose next-row cells an AIR's constraints or messages read, as
/// [`next_row_reads`] finds them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NextRowReads {
    /// Main columns whose next-row cell changes what the AIR produces.
    pub main: Vec<usize>,
    /// Preprocessed columns whose next-row cell changes what the AIR produces.
    pub preprocessed: Vec<usize>,
}

/// Finds the main and preprocessed columns whose next-row cell `air` reads: it evaluates the
/// AIR on pseudo-random cells and public values at a first, a middle and a last row (so that
/// a read under any of the row selectors shows), then again with each next-row cell increased
/// by one alone, and lists the columns whose change changes any asserted value, message field or
/// multiplicity. A read a change cannot show would need the AIR's output to be the same at two
/// random points of a non-constant polynomial, which a fixed seed makes reproducible and
/// unlikely. A proof system that opens no next row for a table relies on this list being
/// empty ([`BaseAir::main_next_row_columns`] must cover it).
pub fn next_row_reads<F, A>(air: &A) -> NextRowReads
where
    F: Field,
    A: BaseAir<F> + for<'a> Air<RowEvaluator<'a, F>>,
{
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut random = move || {
        // xorshift64*: a fixed, well-spread sequence (any non-degenerate one would do).
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        F::from_u64(state.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33)
    };
    let (width, fixed_width) = (air.width(), air.preprocessed_width());
    let mut cells = |n: usize| (0..n).map(|_| random()).collect::<Vec<F>>();
    let (main, main_next, fixed, fixed_next) =
        (cells(width), cells(width), cells(fixed_width), cells(fixed_width));
    let public_values = cells(air.num_public_values());
    const HEIGHT: usize = 4;
    let outputs = |main_next: &[F], fixed_next: &[F]| -> Vec<Vec<F>> {
        [0, 1, HEIGHT - 1]
            .into_iter()
            .map(|row| {
                let mut evaluator = RowEvaluator {
                    main: RowWindow::from_two_rows(&main, main_next),
                    preprocessed: RowWindow::from_two_rows(&fixed, fixed_next),
                    public_values: &public_values,
                    row,
                    height: HEIGHT,
                    violated: 0,
                    outputs: Vec::new(),
                };
                air.eval(&mut evaluator);
                evaluator.outputs
            })
            .collect()
    };
    let honest = outputs(&main_next, &fixed_next);
    // The columns of one side (main, or preprocessed) whose next-row cell, increased alone,
    // changes what the AIR produces.
    let changed_columns = |main_side: bool| -> Vec<usize> {
        let side_width = if main_side { width } else { fixed_width };
        (0..side_width)
            .filter(|&column| {
                let (mut main_changed, mut fixed_changed) = (main_next.clone(), fixed_next.clone());
                let side = if main_side { &mut main_changed } else { &mut fixed_changed };
                side[column] += F::ONE;
                outputs(&main_changed, &fixed_changed) != honest
            })
            .collect()
    };
    NextRowReads { main: changed_columns(true), preprocessed: changed_columns(false) }
}

/// Whether a proof opens `air`'s traces at the next row's point: its main or preprocessed
/// next-row list ([`BaseAir::main_next_row_columns`], [`BaseAir::preprocessed_next_row_columns`])
/// is not empty, the rule the prover and verifiers follow.
pub fn opens_next_row<F, A: BaseAir<F>>(air: &A) -> bool {
    !air.main_next_row_columns().is_empty() || !air.preprocessed_next_row_columns().is_empty()
}

/// Checks `air`'s next-row lists against what it reads ([`next_row_reads`]): every main and
/// preprocessed column whose next-row cell it reads is listed (else its proofs would check it
/// against zeros), and each list is non-empty only if the AIR reads some column of that side
/// (else its proofs open a point for nothing). Returns [`opens_next_row`], or what is wrong.
pub fn check_next_row_lists<F, A>(air: &A) -> Result<bool, String>
where
    F: Field,
    A: BaseAir<F> + for<'a> Air<RowEvaluator<'a, F>>,
{
    let reads = next_row_reads(air);
    let sides = [
        ("main", reads.main, air.main_next_row_columns()),
        ("preprocessed", reads.preprocessed, air.preprocessed_next_row_columns()),
    ];
    for (side, read, listed) in sides {
        if let Some(column) = read.iter().find(|c| !listed.contains(c)) {
            return Err(format!("reads {side} column {column} of the next row, which it does not list"));
        }
        if read.is_empty() != listed.is_empty() {
            return Err(format!("lists {} {side} columns but reads {read:?}", listed.len()));
        }
    }
    Ok(opens_next_row(air))
}
