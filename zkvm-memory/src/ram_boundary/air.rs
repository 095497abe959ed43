//! Constraints of the RAM boundary.

use p3_air::{Air, BaseAir, WindowAccess};
use p3_field::{Field, PrimeCharacteristicRing};
use p3_lookup::InteractionBuilder;
use zkvm_bus::columns::{Columns, borrow};
use zkvm_bus::{ByteMessage, MemoryLeafMessage, MemoryMessage, receive, send};

use super::RamBoundaryColumns;
use crate::RAM_SPACE;

/// The RAM boundary chip.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RamBoundaryChip;

impl<F: Field> BaseAir<F> for RamBoundaryChip {
    fn width(&self) -> usize {
        RamBoundaryColumns::<F>::WIDTH
    }

    /// Each row is one word's initial and final state: no constraint or message reads the next
    /// row, so a proof opens the chip at the out-of-domain point only.
    fn main_next_row_columns(&self) -> Vec<usize> {
        Vec::new()
    }
}

impl<AB: InteractionBuilder> Air<AB> for RamBoundaryChip
where
    AB::F: Field,
{
    fn eval(&self, builder: &mut AB) {
        let main = builder.main();
        let local: &RamBoundaryColumns<AB::Var> = borrow(main.current_slice());
        let is_real: AB::Expr = local.is_real.into();

        // (C1) is_real is boolean (it is the multiplicity of every message below).
        builder.assert_bool(local.is_real);

        // (I1, I2) The initial value is four bytes (the final value is, because it was written
        // by a checked access or is the initial value).
        for [a, b] in [[0, 1], [2, 3]] {
            let message = ByteMessage::range(local.initial[a].into(), local.initial[b].into());
            send(builder, message, is_real.clone());
        }

        let space = AB::Expr::from_u32(RAM_SPACE);
        // (I3) Put the cell's initial state on the memory bus at timestamp 0.
        let initial = MemoryMessage {
            space: space.clone(),
            address: local.address.into(),
            value: local.initial.map(Into::into),
            timestamp: AB::Expr::ZERO,
        };
        send(builder, initial, is_real.clone());
        // (I4) Take its final state off the bus.
        let last = MemoryMessage {
            space,
            address: local.address.into(),
            value: local.last.map(Into::into),
            timestamp: local.last_timestamp.into(),
        };
        receive(builder, last, is_real.clone());
        // (I5) Hand both values, as 16-bit halves, to the Merkle chip's row of the cell's leaf.
        let halves = |bytes: [AB::Var; 4]| -> [AB::Expr; 2] {
            let byte = AB::Expr::from_u32(256);
            [bytes[0].into() + bytes[1].into() * byte.clone(), bytes[2].into() + bytes[3].into() * byte]
        };
        let leaf = MemoryLeafMessage {
            address: local.address.into(),
            initial: halves(local.initial),
            last: halves(local.last),
        };
        send(builder, leaf, is_real);
    }
}
