//! Constraints of the ALU chip.

use p3_air::{Air, BaseAir, WindowAccess};
use p3_field::{Field, PrimeCharacteristicRing};
use p3_lookup::InteractionBuilder;
use zkvm_bus::columns::{Columns, borrow};
use zkvm_bus::{ByteMessage, ByteOperation, ExecuteMessage, receive, send};

use super::AluColumns;
use crate::chips::selected_opcode;
use crate::isa::Opcode;

/// The operations of the chip, in selector order.
///
/// `fence` is a no-op on this single-hart machine; it decodes with `rd = rs1 = rs2 = x0` and is
/// proven as an addition `x0 + x0` into x0.
pub const ALU_OPCODES: [Opcode; 10] = [
    Opcode::Add,
    Opcode::Sub,
    Opcode::Xor,
    Opcode::Or,
    Opcode::And,
    Opcode::Addi,
    Opcode::Xori,
    Opcode::Ori,
    Opcode::Andi,
    Opcode::Fence,
];

/// The ALU chip.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AluChip;

impl<F: Field> BaseAir<F> for AluChip {
    fn width(&self) -> usize {
        AluColumns::<F>::WIDTH
    }

    /// Each row checks one instruction: no constraint or message reads the next
    /// row, so a proof opens the chip at the out-of-domain point only.
    fn main_next_row_columns(&self) -> Vec<usize> {
        Vec::new()
    }
}

/// The byte-table operation of a bitwise opcode.
fn byte_operation(opcode: Opcode) -> Option<ByteOperation> {
    match opcode {
        Opcode::Xor | Opcode::Xori => Some(ByteOperation::Xor),
        Opcode::Or | Opcode::Ori => Some(ByteOperation::Or),
        Opcode::And | Opcode::Andi => Some(ByteOperation::And),
        _ => None,
    }
}

impl<AB: InteractionBuilder> Air<AB> for AluChip
where
    AB::F: Field,
{
    fn eval(&self, builder: &mut AB) {
        let main = builder.main();
        let local: &AluColumns<AB::Var> = borrow(main.current_slice());
        let selected = |ops: &[Opcode]| -> AB::Expr {
            ALU_OPCODES
                .iter()
                .zip(local.selector)
                .filter(|(op, _)| ops.contains(op))
                .map(|(_, s)| s.into())
                .sum()
        };

        // (C1) Each selector is boolean and (C2) at most one is set: is_real is their sum.
        for s in local.selector {
            builder.assert_bool(s);
        }
        let is_real = selected(&ALU_OPCODES);
        builder.assert_bool(is_real.clone());
        // (C3) Carries are boolean.
        for c in local.carry {
            builder.assert_bool(c);
        }

        // The second operand: the immediate for the immediate forms, else rs2.
        let is_imm = selected(&[Opcode::Addi, Opcode::Xori, Opcode::Ori, Opcode::Andi]);
        let operand: [AB::Expr; 4] = std::array::from_fn(|i| {
            local.rs2[i].into() + is_imm.clone() * (local.imm[i].into() - local.rs2[i].into())
        });

        // (C4) add, addi, fence: rs1 + operand = rd + 2^32 carry_out, byte by byte with carries.
        // (C5) sub: rd + rs2 = rs1 + 2^32 carry_out (so rd = rs1 - rs2 mod 2^32).
        let adds = selected(&[Opcode::Add, Opcode::Addi, Opcode::Fence]);
        let subs = selected(&[Opcode::Sub]);
        let base = AB::Expr::from_u32(256);
        for i in 0..4 {
            let carry_in: AB::Expr = if i == 0 { AB::Expr::ZERO } else { local.carry[i - 1].into() };
            let carry_out = local.carry[i].into() * base.clone();
            let add = local.rs1[i].into() + operand[i].clone() + carry_in.clone()
                - local.rd[i].into()
                - carry_out.clone();
            builder.assert_zero(adds.clone() * add);
            let sub = local.rd[i].into() + operand[i].clone() + carry_in - local.rs1[i].into() - carry_out;
            builder.assert_zero(subs.clone() * sub);
        }

        // (I1) Bitwise operations: each result byte is the byte table's answer for the operand
        // bytes. The operation code is selected by the row's opcode.
        let bitwise: Vec<Opcode> =
            ALU_OPCODES.iter().copied().filter(|op| byte_operation(*op).is_some()).collect();
        let is_bitwise = selected(&bitwise);
        let code: AB::Expr = ALU_OPCODES
            .iter()
            .zip(local.selector)
            .filter_map(|(op, s)| byte_operation(*op).map(|b| s.into() * AB::Expr::from_u8(b as u8)))
            .sum();
        for i in 0..4 {
            let message = ByteMessage {
                operation: code.clone(),
                a: local.rs1[i].into(),
                b: operand[i].clone(),
                result: local.rd[i].into(),
            };
            send(builder, message, is_bitwise.clone());
        }

        // (I2) Receive the instruction from the CPU: its opcode is the selected one and the next
        // pc is pc + 4.
        let opcode = selected_opcode::<AB::Expr>(&ALU_OPCODES, local.selector.map(Into::into));
        let message = ExecuteMessage {
            clk: local.clk.into(),
            opcode,
            pc: local.pc.into(),
            next_pc: local.pc.into() + AB::Expr::from_u32(4),
            rs1: local.rs1.map(Into::into),
            rs2: local.rs2.map(Into::into),
            imm: local.imm.map(Into::into),
            rd: local.rd.map(Into::into),
        };
        receive(builder, message, is_real);
    }
}
