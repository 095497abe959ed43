//! Constraints of the branch chip.

use p3_air::{Air, BaseAir, WindowAccess};
use p3_field::{Field, PrimeCharacteristicRing};
use p3_lookup::InteractionBuilder;
use zkvm_bus::columns::{Columns, borrow};
use zkvm_bus::{ByteMessage, ByteOperation, ExecuteMessage, receive, send};

use super::BranchColumns;
use crate::chips::selected_opcode;
use crate::isa::Opcode;

/// The operations of the chip, in selector order.
pub const BRANCH_OPCODES: [Opcode; 10] = [
    Opcode::Slt,
    Opcode::Sltu,
    Opcode::Slti,
    Opcode::Sltiu,
    Opcode::Beq,
    Opcode::Bne,
    Opcode::Blt,
    Opcode::Bge,
    Opcode::Bltu,
    Opcode::Bgeu,
];

/// The branch chip.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BranchChip;

impl<F: Field> BaseAir<F> for BranchChip {
    fn width(&self) -> usize {
        BranchColumns::<F>::WIDTH
    }

    /// Each row checks one instruction: no constraint or message reads the next
    /// row, so a proof opens the chip at the out-of-domain point only.
    fn main_next_row_columns(&self) -> Vec<usize> {
        Vec::new()
    }
}

impl<AB: InteractionBuilder> Air<AB> for BranchChip
where
    AB::F: Field,
{
    fn eval(&self, builder: &mut AB) {
        let main = builder.main();
        let c: &BranchColumns<AB::Var> = borrow(main.current_slice());
        let selected = |ops: &[Opcode]| -> AB::Expr {
            BRANCH_OPCODES
                .iter()
                .zip(c.selector)
                .filter(|(op, _)| ops.contains(op))
                .map(|(_, s)| s.into())
                .sum()
        };
        let is_real = selected(&BRANCH_OPCODES);
        let is_imm = selected(&[Opcode::Slti, Opcode::Sltiu]);
        let base = AB::Expr::from_u32(256);
        let less_unsigned: AB::Expr = c.carry[3].into();

        // (C1) Selectors are boolean and at most one is set.
        for s in c.selector {
            builder.assert_bool(s);
        }
        builder.assert_bool(is_real.clone());
        // (C2) Carries, signs, and the flags are boolean.
        for v in c.carry.into_iter().chain([c.sign1, c.sign2, c.less_signed, c.equal, c.taken]) {
            builder.assert_bool(v);
        }

        // The second operand: the immediate for slti/sltiu, else rs2.
        let operand: [AB::Expr; 4] =
            std::array::from_fn(|i| c.rs2[i].into() + is_imm.clone() * (c.imm[i].into() - c.rs2[i].into()));
        // (C3) operand + diff = rs1 + 2^32 carry[3], byte-wise: diff = rs1 - operand mod 2^32,
        // and carry[3] = 1 exactly when rs1 < operand unsigned (diff's bytes checked in I1, I2).
        for i in 0..4 {
            let carry_in: AB::Expr = if i == 0 { AB::Expr::ZERO } else { c.carry[i - 1].into() };
            let relation = operand[i].clone() + c.diff[i].into() + carry_in
                - c.rs1[i].into()
                - c.carry[i].into() * base.clone();
            builder.assert_zero(is_real.clone() * relation);
        }
        // (C4) Signed less-than: rs1 < operand signed = unsigned result XOR sign1 XOR sign2
        // (signs from I3, I4). Not gated by is_real (degree 3, not 4): padding rows are all
        // zero, which satisfies it.
        let signs_differ = c.sign1.into() + c.sign2.into() - c.sign1.into() * c.sign2.into() * AB::Expr::TWO;
        let expected = less_unsigned.clone() + signs_differ.clone()
            - less_unsigned.clone() * signs_differ * AB::Expr::TWO;
        builder.assert_zero(c.less_signed.into() - expected);
        // (C5) equal = 1 exactly when diff = 0: with s = sum of diff's bytes (< 1024, zero only if
        // every byte is), equal = 1 - s * inverse and s * equal = 0.
        let diff_sum: AB::Expr = c.diff.iter().map(|&d| d.into()).sum();
        builder.assert_zero(
            is_real.clone() * (c.equal.into() - AB::Expr::ONE + diff_sum.clone() * c.diff_sum_inverse.into()),
        );
        builder.assert_zero(diff_sum * c.equal.into());
        // (C6) taken is the branch's condition (0 on comparison rows).
        let condition = selected(&[Opcode::Beq]) * c.equal.into()
            + selected(&[Opcode::Bne]) * (AB::Expr::ONE - c.equal.into())
            + selected(&[Opcode::Blt]) * c.less_signed.into()
            + selected(&[Opcode::Bge]) * (AB::Expr::ONE - c.less_signed.into())
            + selected(&[Opcode::Bltu]) * less_unsigned.clone()
            + selected(&[Opcode::Bgeu]) * (AB::Expr::ONE - less_unsigned.clone());
        builder.assert_zero(c.taken.into() - condition);

        // (I1, I2) diff's bytes are bytes.
        let op = |o: ByteOperation| AB::Expr::from_u8(o as u8);
        for pair in [[0, 1], [2, 3]] {
            let message = ByteMessage {
                operation: op(ByteOperation::Range),
                a: c.diff[pair[0]].into(),
                b: c.diff[pair[1]].into(),
                result: AB::Expr::ZERO,
            };
            send(builder, message, is_real.clone());
        }
        // (I3, I4) sign1 and sign2 are the top bits of rs1 and of the operand: 127 < top byte.
        for (sign, top) in [(c.sign1.into(), c.rs1[3].into()), (c.sign2.into(), operand[3].clone())] {
            let message = ByteMessage {
                operation: op(ByteOperation::LessThan),
                a: AB::Expr::from_u8(127),
                b: top,
                result: sign,
            };
            send(builder, message, is_real.clone());
        }

        // (I5) Receive the instruction. Comparisons write their result and continue at pc + 4;
        // branches write nothing (rd is x0) and continue at pc + offset when taken. The offset is
        // the sign-extended 13-bit immediate, whose top two bytes are 0 or 255 in a valid
        // program: its value is recompose(imm) - 2^32 imm[3] / 255.
        let compares_signed = selected(&[Opcode::Slt, Opcode::Slti]);
        let compares_unsigned = selected(&[Opcode::Sltu, Opcode::Sltiu]);
        let result = compares_signed * c.less_signed.into() + compares_unsigned * less_unsigned;
        let sign_scale: AB::Expr = (AB::F::from_u64(1 << 32) * AB::F::from_u32(255).inverse()).into();
        let offset = c.imm.iter().rev().fold(AB::Expr::ZERO, |acc, &b| acc * base.clone() + b.into())
            - c.imm[3].into() * sign_scale;
        let four = AB::Expr::from_u32(4);
        let next_pc = c.pc.into() + four.clone() + c.taken.into() * (offset - four);
        let opcode = selected_opcode::<AB::Expr>(&BRANCH_OPCODES, c.selector.map(Into::into));
        let zero = || AB::Expr::ZERO;
        let message = ExecuteMessage {
            clk: c.clk.into(),
            opcode,
            pc: c.pc.into(),
            next_pc,
            rs1: c.rs1.map(Into::into),
            rs2: c.rs2.map(Into::into),
            imm: c.imm.map(Into::into),
            rd: [result, zero(), zero(), zero()],
        };
        receive(builder, message, is_real);
    }
}
