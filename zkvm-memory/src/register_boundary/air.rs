//! Constraints of the register boundary.

use p3_air::{Air, AirBuilder, BaseAir, WindowAccess};
use p3_field::{Field, PrimeCharacteristicRing};
use p3_lookup::InteractionBuilder;
use zkvm_bus::columns::{Columns, borrow};
use zkvm_bus::{MemoryMessage, receive, send};

use super::{NUM_PUBLIC_VALUES, RegisterBoundaryColumns};
use crate::REGISTER_SPACE;

/// The register boundary chip.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RegisterBoundaryChip;

/// The public values of the chip: start register bytes (x0..x31, least significant byte first),
/// then end register bytes.
pub fn public_values<F: PrimeCharacteristicRing>(start: &[u32; 32], end: &[u32; 32]) -> Vec<F> {
    start.iter().chain(end).flat_map(|v| v.to_le_bytes()).map(F::from_u8).collect()
}

impl<F: Field> BaseAir<F> for RegisterBoundaryChip {
    fn width(&self) -> usize {
        RegisterBoundaryColumns::<F>::WIDTH
    }

    fn num_public_values(&self) -> usize {
        NUM_PUBLIC_VALUES
    }
}

impl<AB: InteractionBuilder> Air<AB> for RegisterBoundaryChip
where
    AB::F: Field,
{
    fn eval(&self, builder: &mut AB) {
        let main = builder.main();
        let local: &RegisterBoundaryColumns<AB::Var> = borrow(main.current_slice());
        let next: &RegisterBoundaryColumns<AB::Var> = borrow(main.next_slice());
        let public: Vec<AB::Expr> = builder.public_values().iter().map(|&v| v.into()).collect();

        // (C1) is_real is boolean; (C2) the first row is real; (C3) the row after it is not:
        // the trace has exactly one real row.
        builder.assert_bool(local.is_real);
        builder.when_first_row().assert_one(local.is_real);
        builder.when_transition().assert_zero(next.is_real);

        for r in 0..32 {
            for b in 0..4 {
                // (C4) Initial values are the public start registers; (C5) last values are the
                // public end registers.
                builder.when_first_row().assert_eq(local.initial[r][b], public[4 * r + b].clone());
                builder.when_first_row().assert_eq(local.last[r][b], public[128 + 4 * r + b].clone());
            }
            let space = AB::Expr::from_u32(REGISTER_SPACE);
            let address = AB::Expr::from_usize(r);
            // (I1) Put register r's initial state on the memory bus at timestamp 0.
            let initial = MemoryMessage {
                space: space.clone(),
                address: address.clone(),
                value: local.initial[r].map(Into::into),
                timestamp: AB::Expr::ZERO,
            };
            send(builder, initial, local.is_real);
            // (I2) Take its final state off the bus.
            let last = MemoryMessage {
                space,
                address,
                value: local.last[r].map(Into::into),
                timestamp: local.last_timestamp[r].into(),
            };
            receive(builder, last, local.is_real);
        }
    }
}
