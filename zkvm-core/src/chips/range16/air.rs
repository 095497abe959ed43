//! Constraints of the 16-bit range table.

use p3_air::{Air, BaseAir, WindowAccess};
use p3_field::Field;
use p3_lookup::InteractionBuilder;
use p3_matrix::dense::RowMajorMatrix;
use zkvm_bus::{Range16Message, provide};

use super::{RANGE16_ROWS, Range16Columns, Range16Preprocessed};
use crate::chips::columns::{Columns, borrow};

/// The 16-bit range table chip.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Range16Chip;

impl<F: Field> BaseAir<F> for Range16Chip {
    fn width(&self) -> usize {
        Range16Columns::<F>::WIDTH
    }

    /// Each row is one entry of the table: no constraint or message reads the next
    /// row, so a proof opens the chip at the out-of-domain point only.
    fn main_next_row_columns(&self) -> Vec<usize> {
        Vec::new()
    }

    /// No preprocessed cell of the next row is read either.
    fn preprocessed_next_row_columns(&self) -> Vec<usize> {
        Vec::new()
    }

    fn preprocessed_width(&self) -> usize {
        Range16Preprocessed::<F>::WIDTH
    }

    fn preprocessed_trace(&self) -> Option<RowMajorMatrix<F>> {
        Some(RowMajorMatrix::new((0..RANGE16_ROWS as u32).map(F::from_u32).collect(), 1))
    }
}

impl<AB: InteractionBuilder> Air<AB> for Range16Chip
where
    AB::F: Field,
{
    fn eval(&self, builder: &mut AB) {
        let fixed: Range16Preprocessed<AB::Var> = *borrow(builder.preprocessed().current_slice());
        let main = builder.main();
        let local: &Range16Columns<AB::Var> = borrow(main.current_slice());

        // (I1) Provide `value` on the range16 bus, `multiplicity` times. The multiplicity is
        // free: LogUp with fewer than p queries in total (checked from the trace heights)
        // forces it to equal the number of queries of that value.
        provide(builder, Range16Message { value: fixed.value.into() }, local.multiplicity);
    }
}
