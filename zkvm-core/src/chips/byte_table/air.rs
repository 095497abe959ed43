//! Constraints of the byte table.

use p3_air::{Air, BaseAir, WindowAccess};
use p3_field::{Field, PrimeCharacteristicRing};
use p3_lookup::InteractionBuilder;
use p3_matrix::dense::RowMajorMatrix;
use zkvm_bus::{ByteMessage, ByteOperation, provide};

use super::{BYTE_TABLE_ROWS, ByteTableColumns, ByteTablePreprocessed};
use crate::chips::columns::{Columns, borrow, borrow_mut};

/// The byte table chip.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ByteTableChip;

impl<F: Field> BaseAir<F> for ByteTableChip {
    fn width(&self) -> usize {
        ByteTableColumns::<F>::WIDTH
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
        ByteTablePreprocessed::<F>::WIDTH
    }

    fn preprocessed_trace(&self) -> Option<RowMajorMatrix<F>> {
        let width = ByteTablePreprocessed::<F>::WIDTH;
        let mut trace = RowMajorMatrix::new(vec![F::ZERO; BYTE_TABLE_ROWS * width], width);
        for (index, row) in trace.values.chunks_exact_mut(width).enumerate() {
            let (a, b) = ((index >> 8) as u8, index as u8);
            let fixed: &mut ByteTablePreprocessed<F> = borrow_mut(row);
            fixed.a = F::from_u8(a);
            fixed.b = F::from_u8(b);
            for op in ByteOperation::ALL {
                fixed.result[op as usize] = F::from_u8(op.apply(a, b));
            }
        }
        Some(trace)
    }
}

impl<AB: InteractionBuilder> Air<AB> for ByteTableChip
where
    AB::F: Field,
{
    fn eval(&self, builder: &mut AB) {
        let fixed: ByteTablePreprocessed<AB::Var> = *borrow(builder.preprocessed().current_slice());
        let main = builder.main();
        let local: &ByteTableColumns<AB::Var> = borrow(main.current_slice());

        // (I1..I5) For each operation, provide (op, a, b, op(a, b)) on the byte bus,
        // multiplicity[op] times. Multiplicities are free: LogUp with fewer than p queries in
        // total (checked from the trace heights) forces each to equal its number of queries.
        for op in ByteOperation::ALL {
            let message = ByteMessage {
                operation: AB::Expr::from_u8(op as u8),
                a: fixed.a.into(),
                b: fixed.b.into(),
                result: fixed.result[op as usize].into(),
            };
            provide(builder, message, local.multiplicity[op as usize]);
        }
    }
}
