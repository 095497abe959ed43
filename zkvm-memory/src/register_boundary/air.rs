//! Constraints of the register boundary.

use p3_air::{Air, AirBuilder, BaseAir, WindowAccess};
use p3_field::{Field, PrimeCharacteristicRing};
use p3_lookup::InteractionBuilder;
use zkvm_bus::columns::{Columns, borrow};
use zkvm_bus::{MemoryMessage, receive, send};

use super::{NUM_PUBLIC_VALUES, RegisterBoundaryColumns, STREAM_PUBLIC_OFFSET};
use crate::{INPUT_POSITION, OUTPUT_POSITION, REGISTER_SPACE};

/// The register boundary chip.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RegisterBoundaryChip;

/// The machine state a boundary holds: the registers and the stream positions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BoundaryState {
    /// x0..x31.
    pub registers: [u32; 32],
    /// Input words read so far.
    pub input_position: u32,
    /// Output bytes committed so far.
    pub output_position: u32,
}

/// The public values of the chip: start register bytes (x0..x31, least significant byte first),
/// end register bytes, then the start input and output positions and the end ones.
pub fn public_values<F: PrimeCharacteristicRing>(start: &BoundaryState, end: &BoundaryState) -> Vec<F> {
    let mut values: Vec<F> =
        start.registers.iter().chain(&end.registers).flat_map(|v| v.to_le_bytes()).map(F::from_u8).collect();
    for state in [start, end] {
        values.push(F::from_u32(state.input_position));
        values.push(F::from_u32(state.output_position));
    }
    values
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

        for (i, cell) in [INPUT_POSITION, OUTPUT_POSITION].into_iter().enumerate() {
            // (C6) The stream positions start at the public start positions and (C7) end at the
            // public end positions.
            let (start, end) = (STREAM_PUBLIC_OFFSET + i, STREAM_PUBLIC_OFFSET + 2 + i);
            builder.when_first_row().assert_eq(local.stream_initial[i], public[start].clone());
            builder.when_first_row().assert_eq(local.stream_last[i], public[end].clone());
            let zero = || AB::Expr::ZERO;
            // (I65, I67) Put the position cell's initial state on the memory bus (the value is
            // the position itself, as a field element, then three zeros).
            let initial = MemoryMessage {
                space: AB::Expr::from_u32(REGISTER_SPACE),
                address: AB::Expr::from_u32(cell),
                value: [local.stream_initial[i].into(), zero(), zero(), zero()],
                timestamp: zero(),
            };
            send(builder, initial, local.is_real);
            // (I66, I68) Take its final state off the bus.
            let last = MemoryMessage {
                space: AB::Expr::from_u32(REGISTER_SPACE),
                address: AB::Expr::from_u32(cell),
                value: [local.stream_last[i].into(), zero(), zero(), zero()],
                timestamp: local.stream_last_timestamp[i].into(),
            };
            receive(builder, last, local.is_real);
        }
    }
}
