//! Constraints of the jump chip.

use p3_air::{Air, BaseAir, WindowAccess};
use p3_field::{Field, PrimeCharacteristicRing};
use p3_lookup::InteractionBuilder;
use zkvm_bus::columns::{Columns, borrow};
use zkvm_bus::{ByteMessage, ByteOperation, ExecuteMessage, receive, send};

use super::JumpColumns;
use crate::chips::selected_opcode;
use crate::isa::Opcode;

/// The operations of the chip.
pub const JUMP_OPCODES: [Opcode; 4] = [Opcode::Jal, Opcode::Jalr, Opcode::Lui, Opcode::Auipc];

/// Addresses (pcs and jump targets) must have a top byte below this, so that they are below
/// `0x7800_0000 < p` and their bytes and field value agree.
pub const PC_TOP_BYTE_LIMIT: u8 = 0x78;

/// The jump chip.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct JumpChip;

impl<F: Field> BaseAir<F> for JumpChip {
    fn width(&self) -> usize {
        JumpColumns::<F>::WIDTH
    }

    /// Each row checks one instruction: no constraint or message reads the next
    /// row, so a proof opens the chip at the out-of-domain point only.
    fn main_next_row_columns(&self) -> Vec<usize> {
        Vec::new()
    }
}

/// Sends a byte-table query.
fn byte_query<AB: InteractionBuilder>(
    builder: &mut AB,
    op: ByteOperation,
    a: AB::Expr,
    b: AB::Expr,
    result: AB::Expr,
    count: AB::Expr,
) {
    send(builder, ByteMessage { operation: AB::Expr::from_u8(op as u8), a, b, result }, count);
}

/// `bytes[0] + 2^8 bytes[1] + 2^16 bytes[2] + 2^24 bytes[3]`.
fn recompose<AB: InteractionBuilder>(bytes: [AB::Var; 4]) -> AB::Expr {
    bytes.iter().rev().fold(AB::Expr::ZERO, |acc, &b| acc * AB::Expr::from_u32(256) + b.into())
}

impl<AB: InteractionBuilder> Air<AB> for JumpChip
where
    AB::F: Field,
{
    fn eval(&self, builder: &mut AB) {
        let main = builder.main();
        let c: &JumpColumns<AB::Var> = borrow(main.current_slice());
        let (jal, jalr, lui, auipc): (AB::Expr, AB::Expr, AB::Expr, AB::Expr) =
            (c.is_jal.into(), c.is_jalr.into(), c.is_lui.into(), c.is_auipc.into());
        let is_real = jal.clone() + jalr.clone() + lui.clone() + auipc.clone();
        let jumps = jal.clone() + jalr.clone();
        let adds = jumps.clone() + auipc.clone();
        let base = AB::Expr::from_u32(256);

        // (C1) Selectors are boolean and at most one is set.
        for s in [c.is_jal, c.is_jalr, c.is_lui, c.is_auipc] {
            builder.assert_bool(s);
        }
        builder.assert_bool(is_real.clone());
        // (C2) Carries and bit 0 are boolean.
        for carry in c.sum_carry.into_iter().chain(c.link_carry) {
            builder.assert_bool(carry);
        }
        builder.assert_bool(c.sum_bit0);

        // (C3) pc_bytes recompose pc. With (I1, I2) they are bytes and (I3) the top one is below
        // 0x78, so pc_bytes is the unique byte decomposition of pc.
        builder.assert_zero(is_real.clone() * (recompose::<AB>(c.pc_bytes) - c.pc.into()));

        // (C4) sum = base + imm mod 2^32 byte-wise, base = rs1 for jalr and pc otherwise.
        for i in 0..4 {
            let operand = c.pc_bytes[i].into() + jalr.clone() * (c.rs1[i].into() - c.pc_bytes[i].into());
            let carry_in: AB::Expr = if i == 0 { AB::Expr::ZERO } else { c.sum_carry[i - 1].into() };
            let relation =
                operand + c.imm[i].into() + carry_in - c.sum[i].into() - c.sum_carry[i].into() * base.clone();
            builder.assert_zero(adds.clone() * relation);
        }
        // (C5) jal, jalr: rd = pc + 4 byte-wise (the link address).
        for i in 0..4 {
            let four = if i == 0 { AB::Expr::from_u32(4) } else { AB::Expr::ZERO };
            let carry_in: AB::Expr = if i == 0 { AB::Expr::ZERO } else { c.link_carry[i - 1].into() };
            let relation = c.pc_bytes[i].into() + four + carry_in
                - c.rd[i].into()
                - c.link_carry[i].into() * base.clone();
            builder.assert_zero(jumps.clone() * relation);
        }
        // (C6) lui: rd = imm; (C7) auipc: rd = sum.
        for i in 0..4 {
            builder.assert_zero(lui.clone() * (c.rd[i].into() - c.imm[i].into()));
            builder.assert_zero(auipc.clone() * (c.rd[i].into() - c.sum[i].into()));
        }
        // (C8) jalr: sum[0] = 2 sum_half0 + sum_bit0 (bit 0 split off; sum_half0 range-checked in I6).
        builder.assert_zero(
            jalr.clone() * (c.sum[0].into() - c.sum_half0.into() * AB::Expr::TWO - c.sum_bit0.into()),
        );

        // (I1, I2) pc bytes are bytes; (I3) pc's top byte is below the limit.
        let zero = AB::Expr::ZERO;
        let limit = AB::Expr::from_u8(PC_TOP_BYTE_LIMIT);
        byte_query(
            builder,
            ByteOperation::Range,
            c.pc_bytes[0].into(),
            c.pc_bytes[1].into(),
            zero.clone(),
            is_real.clone(),
        );
        byte_query(
            builder,
            ByteOperation::Range,
            c.pc_bytes[2].into(),
            c.pc_bytes[3].into(),
            zero.clone(),
            is_real.clone(),
        );
        byte_query(
            builder,
            ByteOperation::LessThan,
            c.pc_bytes[3].into(),
            limit.clone(),
            AB::Expr::ONE,
            is_real.clone(),
        );
        // (I4, I5) sum bytes are bytes.
        byte_query(
            builder,
            ByteOperation::Range,
            c.sum[0].into(),
            c.sum[1].into(),
            zero.clone(),
            adds.clone(),
        );
        byte_query(builder, ByteOperation::Range, c.sum[2].into(), c.sum[3].into(), zero.clone(), adds);
        // (I6) jalr: sum_half0 is a byte (so sum[0] = 2 half + bit is a true bit split).
        byte_query(
            builder,
            ByteOperation::Range,
            c.sum_half0.into(),
            zero.clone(),
            zero.clone(),
            jalr.clone(),
        );
        // (I7) jal, jalr: the target's top byte is below the limit, so the target is below p and
        // its field value is the 32-bit value.
        byte_query(builder, ByteOperation::LessThan, c.sum[3].into(), limit, AB::Expr::ONE, jumps.clone());

        // (I8) Receive the instruction: next pc = sum (jal), sum with bit 0 cleared (jalr),
        // pc + 4 (lui, auipc); rs2 is x0 for all four.
        let target = recompose::<AB>(c.sum);
        let next_pc = jal.clone() * target.clone()
            + jalr.clone() * (target - c.sum_bit0.into())
            + (lui.clone() + auipc.clone()) * (c.pc.into() + AB::Expr::from_u32(4));
        let opcode = selected_opcode(
            &[Opcode::Jal, Opcode::Jalr, Opcode::Lui, Opcode::Auipc],
            [jal, jalr, lui, auipc],
        );
        let message = ExecuteMessage {
            clk: c.clk.into(),
            opcode,
            pc: c.pc.into(),
            next_pc,
            rs1: c.rs1.map(Into::into),
            rs2: [zero.clone(), zero.clone(), zero.clone(), zero],
            imm: c.imm.map(Into::into),
            rd: c.rd.map(Into::into),
        };
        receive(builder, message, is_real);
    }
}
