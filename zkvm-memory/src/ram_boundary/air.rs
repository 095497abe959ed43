//! Constraints of the RAM boundary.

use p3_air::{Air, AirBuilder, BaseAir, WindowAccess};
use p3_field::{Field, PrimeCharacteristicRing};
use p3_lookup::InteractionBuilder;
use zkvm_bus::columns::{Columns, borrow};
use zkvm_bus::{MemoryImageMessage, MemoryMessage, Range16Message, receive, send};

use super::RamBoundaryColumns;
use crate::RAM_SPACE;

/// The RAM boundary chip.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RamBoundaryChip;

impl<F: Field> BaseAir<F> for RamBoundaryChip {
    fn width(&self) -> usize {
        RamBoundaryColumns::<F>::WIDTH
    }
}

impl<AB: InteractionBuilder> Air<AB> for RamBoundaryChip
where
    AB::F: Field,
{
    fn eval(&self, builder: &mut AB) {
        let main = builder.main();
        let local: &RamBoundaryColumns<AB::Var> = borrow(main.current_slice());
        let next: &RamBoundaryColumns<AB::Var> = borrow(main.next_slice());
        let is_real: AB::Expr = local.is_real.into();
        let two16 = AB::Expr::from_u32(1 << 16);

        // (C1) is_real is boolean; (C2) no cell row follows a padding row.
        builder.assert_bool(local.is_real);
        builder.when_transition().assert_zero(next.is_real * (AB::Expr::ONE - is_real.clone()));
        // (C3) from_image is boolean and (C4) only set on cell rows.
        builder.assert_bool(local.from_image);
        builder.assert_zero(local.from_image * (AB::Expr::ONE - is_real.clone()));
        // (C5) The address is its two limbs: address_low + 2^16 address_high (< 2^30 with I1-I3).
        builder
            .assert_eq(local.address, local.address_low.into() + local.address_high.into() * two16.clone());
        // (C6) A cell not in the image starts at zero.
        for byte in local.initial {
            builder.assert_zero((AB::Expr::ONE - local.from_image.into()) * byte.into());
        }
        // (C7) Addresses strictly increase: the next row's address is this one's plus one plus
        // its gap limbs (< 2^29 with I4-I6).
        let gap = next.gap_low.into() + next.gap_high.into() * two16;
        builder
            .when_transition()
            .assert_zero(next.is_real * (next.address.into() - local.address.into() - AB::Expr::ONE - gap));

        // (C8) The first row has no predecessor: its gap limbs are 0.
        builder.when_first_row().assert_zero(local.gap_low);
        builder.when_first_row().assert_zero(local.gap_high);

        // (I1) address_low < 2^16, (I2) address_high < 2^16 and (I3) 4 address_high < 2^16.
        let range = |value: AB::Expr| Range16Message { value };
        send(builder, range(local.address_low.into()), is_real.clone());
        send(builder, range(local.address_high.into()), is_real.clone());
        send(builder, range(local.address_high.into() * AB::Expr::from_u32(4)), is_real.clone());
        // (I4) gap_low < 2^16, (I5) gap_high < 2^16 and (I6) 8 gap_high < 2^16.
        send(builder, range(local.gap_low.into()), is_real.clone());
        send(builder, range(local.gap_high.into()), is_real.clone());
        send(builder, range(local.gap_high.into() * AB::Expr::from_u32(8)), is_real.clone());

        let space = AB::Expr::from_u32(RAM_SPACE);
        // (I7) Put the cell's initial state on the memory bus at timestamp 0.
        let initial = MemoryMessage {
            space: space.clone(),
            address: local.address.into(),
            value: local.initial.map(Into::into),
            timestamp: AB::Expr::ZERO,
        };
        send(builder, initial, is_real.clone());
        // (I8) Take its final state off the bus.
        let last = MemoryMessage {
            space,
            address: local.address.into(),
            value: local.last.map(Into::into),
            timestamp: local.last_timestamp.into(),
        };
        receive(builder, last, is_real);
        // (I9) Receive the image's word for this address when the cell starts from the image.
        let image =
            MemoryImageMessage { address: local.address.into(), value: local.initial.map(Into::into) };
        receive(builder, image, local.from_image);
    }
}
