//! Constraints of the ecall chip.

use p3_air::{Air, BaseAir, WindowAccess};
use p3_field::{Field, PrimeCharacteristicRing};
use p3_lookup::InteractionBuilder;
use zkvm_bus::columns::{Columns, borrow};
use zkvm_bus::{ExecuteMessage, IoMessage, IoStream, receive, send};
use zkvm_memory::{INPUT_POSITION, OUTPUT_POSITION, REGISTER_SPACE, eval_access, slot};

use super::EcallColumns;
use crate::abi;
use crate::isa::Opcode;

/// The calls of the chip, in selector order.
pub const ECALLS: [u32; 5] = [abi::HALT, abi::WRITE, abi::READ_WORD, abi::INPUT_LENGTH, abi::COMMIT];

/// Public values of the chip: the input's length in bytes, as four bytes.
pub const NUM_ECALL_PUBLIC_VALUES: usize = 4;

/// The ecall chip.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EcallChip;

impl<F: Field> BaseAir<F> for EcallChip {
    fn width(&self) -> usize {
        EcallColumns::<F>::WIDTH
    }

    /// Each row checks one machine call: no constraint or message reads the next
    /// row, so a proof opens the chip at the out-of-domain point only.
    fn main_next_row_columns(&self) -> Vec<usize> {
        Vec::new()
    }

    fn num_public_values(&self) -> usize {
        NUM_ECALL_PUBLIC_VALUES
    }
}

impl<AB: InteractionBuilder> Air<AB> for EcallChip
where
    AB::F: Field,
{
    fn eval(&self, builder: &mut AB) {
        let main = builder.main();
        let local: &EcallColumns<AB::Var> = borrow(main.current_slice());
        let input_length: Vec<AB::Expr> = builder.public_values().iter().map(|&v| v.into()).collect();
        let [halt, write, read_word, input_len, commit] = local.selector.map(Into::<AB::Expr>::into);
        let a0 = local.a0.map(Into::<AB::Expr>::into);
        let result = local.result.map(Into::<AB::Expr>::into);

        // (C1) Each selector is boolean and (C2) at most one is set: is_real is their sum.
        for s in local.selector {
            builder.assert_bool(s);
        }
        let is_real: AB::Expr = local.selector.iter().map(|&s| s.into()).sum();
        builder.assert_bool(is_real.clone());
        let uses_stream = read_word.clone() + commit.clone();
        // (C7) Calls that use no stream leave `position` at 0.
        builder.assert_zero((AB::Expr::ONE - uses_stream.clone()) * local.position.into());

        for k in 0..4 {
            // (C3) HALT, WRITE and COMMIT leave a0 as it was.
            let keeps = halt.clone() + write.clone() + commit.clone();
            builder.assert_zero(keeps * (result[k].clone() - a0[k].clone()));
            // (C4) INPUT_LENGTH returns the public input length.
            builder.assert_zero(input_len.clone() * (result[k].clone() - input_length[k].clone()));
        }
        // (C5) WRITE's descriptor is 1 or 2 (so nothing it prints is mistaken for the public
        // output); (C6) COMMIT's a0 is a byte.
        let fd = a0[0].clone();
        builder.assert_zero(write.clone() * (fd.clone() - AB::Expr::ONE) * (fd - AB::Expr::TWO));
        for k in 1..4 {
            builder.assert_zero((write.clone() + commit.clone()) * a0[k].clone());
        }

        // (I1-I4) READ_WORD and COMMIT advance their stream's position cell by one (timestamp
        // 8 clk + STREAM): the cell holds (position, 0, 0, 0).
        let cell = read_word.clone() * AB::Expr::from_u32(INPUT_POSITION)
            + commit.clone() * AB::Expr::from_u32(OUTPUT_POSITION);
        let zero = || AB::Expr::ZERO;
        let position: AB::Expr = local.position.into();
        eval_access(
            builder,
            AB::Expr::from_u32(REGISTER_SPACE),
            cell,
            [position.clone(), zero(), zero(), zero()],
            [position.clone() + AB::Expr::ONE, zero(), zero(), zero()],
            local.clk.into() * AB::Expr::from_u32(8) + AB::Expr::from_u32(slot::STREAM),
            &local.stream_access,
            uses_stream.clone(),
        );
        // (I5) READ_WORD: the result is the input word at the position; COMMIT: a0 (= result)
        // is the output byte at the position. Queries to the io table.
        let stream = commit.clone() * AB::Expr::from_u8(IoStream::Output as u8)
            + read_word * AB::Expr::from_u8(IoStream::Input as u8);
        send(builder, IoMessage { stream, index: position, value: result.clone() }, uses_stream);

        // (I6) Receive the call from the CPU: the call number (rs1 = t0) is the selected one,
        // HALT stays at its pc and the others continue at pc + 4.
        let call: AB::Expr =
            ECALLS.iter().zip(local.selector).map(|(&number, s)| s.into() * AB::Expr::from_u32(number)).sum();
        let message = ExecuteMessage {
            clk: local.clk.into(),
            opcode: AB::Expr::from_usize(Opcode::Ecall.index()),
            pc: local.pc.into(),
            next_pc: local.pc.into() + (is_real.clone() - halt) * AB::Expr::from_u32(4),
            rs1: [call, zero(), zero(), zero()],
            rs2: a0,
            imm: [zero(), zero(), zero(), zero()],
            rd: result,
        };
        receive(builder, message, is_real);
    }
}
