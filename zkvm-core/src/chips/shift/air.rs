//! Constraints of the shift chip.

use p3_air::{Air, BaseAir, WindowAccess};
use p3_field::{Field, PrimeCharacteristicRing};
use p3_lookup::InteractionBuilder;
use zkvm_bus::columns::{Columns, borrow};
use zkvm_bus::{ByteMessage, ByteOperation, ExecuteMessage, Range16Message, receive, send};

use super::ShiftColumns;
use crate::chips::selected_opcode;
use crate::isa::Opcode;

/// The operations of the chip, in selector order.
pub const SHIFT_OPCODES: [Opcode; 6] =
    [Opcode::Sll, Opcode::Srl, Opcode::Sra, Opcode::Slli, Opcode::Srli, Opcode::Srai];

/// The shift chip.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ShiftChip;

impl<F: Field> BaseAir<F> for ShiftChip {
    fn width(&self) -> usize {
        ShiftColumns::<F>::WIDTH
    }

    /// Each row checks one instruction: no constraint or message reads the next
    /// row, so a proof opens the chip at the out-of-domain point only.
    fn main_next_row_columns(&self) -> Vec<usize> {
        Vec::new()
    }
}

impl<AB: InteractionBuilder> Air<AB> for ShiftChip
where
    AB::F: Field,
{
    fn eval(&self, builder: &mut AB) {
        let main = builder.main();
        let c: &ShiftColumns<AB::Var> = borrow(main.current_slice());
        let selected = |ops: &[Opcode]| -> AB::Expr {
            SHIFT_OPCODES
                .iter()
                .zip(c.selector)
                .filter(|(op, _)| ops.contains(op))
                .map(|(_, s)| s.into())
                .sum()
        };
        let is_real = selected(&SHIFT_OPCODES);
        let left = selected(&[Opcode::Sll, Opcode::Slli]);
        let right = selected(&[Opcode::Srl, Opcode::Sra, Opcode::Srli, Opcode::Srai]);
        let arithmetic = selected(&[Opcode::Sra, Opcode::Srai]);
        let is_imm = selected(&[Opcode::Slli, Opcode::Srli, Opcode::Srai]);
        let one = AB::Expr::ONE;
        let base = AB::Expr::from_u32(256);

        // (C1) Selectors are boolean and at most one is set; (C2) the amount bits, msb and
        // negate are boolean; (C3) carries of `r + slack + 1` are boolean.
        for v in c.selector.into_iter().chain(c.amount_bit).chain([c.msb, c.negate]).chain(c.slack_carry) {
            builder.assert_bool(v);
        }
        builder.assert_bool(is_real.clone());

        // (C4) The amount is the low 5 bits of the operand's low byte (rs2, or the immediate):
        // byte0 = sum bit_i 2^i + 32 amount_rest, with amount_rest a byte (I1).
        let byte0 = c.rs2[0].into() + is_imm.clone() * (c.imm[0].into() - c.rs2[0].into());
        let bits: AB::Expr = (0..5).map(|i| c.amount_bit[i].into() * AB::Expr::from_u32(1 << i)).sum();
        builder.assert_zero(is_real.clone() * (byte0 - bits - c.amount_rest.into() * AB::Expr::from_u32(32)));
        // (C5) pow_low = 2^(bit0 + 2 bit1 + 4 bit2), through pow_low_partial = 2^(bit0 + 2 bit1).
        let [b0, b1, b2, b3, b4] = c.amount_bit.map(Into::<AB::Expr>::into);
        let partial =
            c.pow_low_partial.into() - (one.clone() + b0) * (one.clone() + b1 * AB::Expr::from_u32(3));
        builder.assert_zero(is_real.clone() * partial);
        let low = c.pow_low.into() - c.pow_low_partial.into() * (one.clone() + b2 * AB::Expr::from_u32(15));
        builder.assert_zero(is_real.clone() * low);
        // (C6) pow = 2^amount as bytes: byte (bit3 + 2 bit4) is pow_low, the others 0. Not gated
        // (it is already of degree 3); it holds on all-zero padding rows, where pow_low is 0.
        let byte_selector = [
            (one.clone() - b3.clone()) * (one.clone() - b4.clone()),
            b3.clone() * (one.clone() - b4.clone()),
            (one.clone() - b3.clone()) * b4.clone(),
            b3 * b4,
        ];
        for k in 0..4 {
            builder.assert_zero(c.pow[k].into() - byte_selector[k].clone() * c.pow_low.into());
        }

        // (C7) Left shifts: rd = rs1 * 2^amount mod 2^32 (schoolbook, low word).
        for k in 0..4 {
            let products: AB::Expr = (0..=k).map(|i| c.rs1[i].into() * c.pow[k - i].into()).sum();
            let carry_in: AB::Expr = if k == 0 { AB::Expr::ZERO } else { c.product_carry[k - 1].into() };
            let relation = products + carry_in - c.rd[k].into() - c.product_carry[k].into() * base.clone();
            builder.assert_zero(left.clone() * relation);
        }

        // (C8) negate = msb on arithmetic shifts, else 0 (msb from I2).
        builder.assert_zero(c.negate.into() - arithmetic * c.msb.into());
        // Right shifts work on b' = rs1, complemented when negate (then rd is complemented back:
        // an arithmetic shift of a negative value is the complement of a logical shift of its
        // complement).
        let complement = |v: AB::Expr| -> AB::Expr {
            v.clone() + c.negate.into() * (AB::Expr::from_u32(255) - v * AB::Expr::TWO)
        };
        // (C9) Right shifts: q * 2^amount + r = b' as integers (8 output bytes, the top 4 zero).
        for k in 0..8 {
            let products: AB::Expr = (0..=k)
                .filter(|&i| i < 4 && k - i < 4)
                .map(|i| c.quotient[i].into() * c.pow[k - i].into())
                .sum();
            let remainder: AB::Expr = if k < 4 { c.remainder[k].into() } else { AB::Expr::ZERO };
            let target = if k < 4 { complement(c.rs1[k].into()) } else { AB::Expr::ZERO };
            let carry_in: AB::Expr = if k == 0 { AB::Expr::ZERO } else { c.product_carry[k - 1].into() };
            let relation =
                products + remainder + carry_in - target - c.product_carry[k].into() * base.clone();
            builder.assert_zero(right.clone() * relation);
        }
        // (C10) Right shifts: r + slack + 1 = 2^amount with no carry out, so r < 2^amount.
        for k in 0..4 {
            let one_in = if k == 0 { one.clone() } else { AB::Expr::ZERO };
            let carry_in: AB::Expr = if k == 0 { AB::Expr::ZERO } else { c.slack_carry[k - 1].into() };
            let relation = c.remainder[k].into() + c.slack[k].into() + one_in + carry_in
                - c.pow[k].into()
                - c.slack_carry[k].into() * base.clone();
            builder.assert_zero(right.clone() * relation);
        }
        builder.assert_zero(right.clone() * c.slack_carry[3]);
        // (C11) Right shifts: rd is q, complemented back when negate.
        for k in 0..4 {
            builder.assert_zero(right.clone() * (c.rd[k].into() - complement(c.quotient[k].into())));
        }

        // (I1) amount_rest is a byte; (I2) msb is rs1's top bit.
        let op = |o: ByteOperation| AB::Expr::from_u8(o as u8);
        let zero = || AB::Expr::ZERO;
        send(
            builder,
            ByteMessage {
                operation: op(ByteOperation::Range),
                a: c.amount_rest.into(),
                b: zero(),
                result: zero(),
            },
            is_real.clone(),
        );
        send(
            builder,
            ByteMessage {
                operation: op(ByteOperation::LessThan),
                a: AB::Expr::from_u8(127),
                b: c.rs1[3].into(),
                result: c.msb.into(),
            },
            is_real.clone(),
        );
        // (I3..I8) quotient, remainder and slack bytes are bytes (right shifts).
        for bytes in [c.quotient, c.remainder, c.slack] {
            for pair in [[0, 1], [2, 3]] {
                let message = ByteMessage {
                    operation: op(ByteOperation::Range),
                    a: bytes[pair[0]].into(),
                    b: bytes[pair[1]].into(),
                    result: zero(),
                };
                send(builder, message, right.clone());
            }
        }
        // (I9..I16) Product carries are below 2^16, so no relation of C7/C9 wraps the field.
        for k in 0..8 {
            send(builder, Range16Message { value: c.product_carry[k].into() }, is_real.clone());
        }

        // (I17) Receive the instruction.
        let opcode = selected_opcode::<AB::Expr>(&SHIFT_OPCODES, c.selector.map(Into::into));
        let message = ExecuteMessage {
            clk: c.clk.into(),
            opcode,
            pc: c.pc.into(),
            next_pc: c.pc.into() + AB::Expr::from_u32(4),
            rs1: c.rs1.map(Into::into),
            rs2: c.rs2.map(Into::into),
            imm: c.imm.map(Into::into),
            rd: c.rd.map(Into::into),
        };
        receive(builder, message, is_real);
    }
}
