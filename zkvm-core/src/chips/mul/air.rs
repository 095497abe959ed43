//! Constraints of the multiply chip.

use p3_air::{Air, BaseAir, WindowAccess};
use p3_field::{Field, PrimeCharacteristicRing};
use p3_lookup::InteractionBuilder;
use zkvm_bus::columns::{Columns, borrow};
use zkvm_bus::{ByteMessage, ByteOperation, ExecuteMessage, Range16Message, receive, send};

use super::MulColumns;
use crate::chips::selected_opcode;
use crate::isa::Opcode;

/// The operations of the chip.
pub const MUL_OPCODES: [Opcode; 4] = [Opcode::Mul, Opcode::Mulh, Opcode::Mulhsu, Opcode::Mulhu];

/// The multiply chip.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MulChip;

impl<F: Field> BaseAir<F> for MulChip {
    fn width(&self) -> usize {
        MulColumns::<F>::WIDTH
    }

    /// Each row checks one instruction: no constraint or message reads the next
    /// row, so a proof opens the chip at the out-of-domain point only.
    fn main_next_row_columns(&self) -> Vec<usize> {
        Vec::new()
    }
}

impl<AB: InteractionBuilder> Air<AB> for MulChip
where
    AB::F: Field,
{
    fn eval(&self, builder: &mut AB) {
        let main = builder.main();
        let c: &MulColumns<AB::Var> = borrow(main.current_slice());
        let (mul, mulh, mulhsu, mulhu): (AB::Expr, AB::Expr, AB::Expr, AB::Expr) =
            (c.is_mul.into(), c.is_mulh.into(), c.is_mulhsu.into(), c.is_mulhu.into());
        let is_real = mul.clone() + mulh.clone() + mulhsu.clone() + mulhu.clone();
        let byte_max = AB::Expr::from_u32(255);

        // (C1) Selectors are boolean and at most one is set; (C2) signs are boolean.
        for s in [c.is_mul, c.is_mulh, c.is_mulhsu, c.is_mulhu, c.sign_b, c.sign_c] {
            builder.assert_bool(s);
        }
        builder.assert_bool(is_real.clone());
        // (C3) The operands' extensions to 64 bits: b is signed for mulh and mulhsu, c for mulh.
        builder.assert_zero(
            c.b_high.into() - byte_max.clone() * c.sign_b.into() * (mulh.clone() + mulhsu.clone()),
        );
        builder.assert_zero(c.c_high.into() - byte_max * c.sign_c.into() * mulh.clone());

        // (C4) Schoolbook: for each output byte k, sum_{i+j=k} b_ext[i] c_ext[j] + carry[k-1]
        // = product[k] + 256 carry[k], over the 8-byte extensions (bytes 4..8 are b_high, c_high).
        let b_ext = |i: usize| -> AB::Expr { if i < 4 { c.b[i].into() } else { c.b_high.into() } };
        let c_ext = |j: usize| -> AB::Expr { if j < 4 { c.c[j].into() } else { c.c_high.into() } };
        for k in 0..8 {
            let products: AB::Expr = (0..=k).map(|i| b_ext(i) * c_ext(k - i)).sum();
            let carry_in: AB::Expr = if k == 0 { AB::Expr::ZERO } else { c.carry[k - 1].into() };
            let relation =
                products + carry_in - c.product[k].into() - c.carry[k].into() * AB::Expr::from_u32(256);
            builder.assert_zero(is_real.clone() * relation);
        }

        // (I1..I4) Product bytes are bytes; (I5..I12) carries are below 2^16 (so no relation of
        // C4 wraps around the field: every side stays below 2^26).
        let op = |o: ByteOperation| AB::Expr::from_u8(o as u8);
        for pair in [[0, 1], [2, 3], [4, 5], [6, 7]] {
            let message = ByteMessage {
                operation: op(ByteOperation::Range),
                a: c.product[pair[0]].into(),
                b: c.product[pair[1]].into(),
                result: AB::Expr::ZERO,
            };
            send(builder, message, is_real.clone());
        }
        for k in 0..8 {
            send(builder, Range16Message { value: c.carry[k].into() }, is_real.clone());
        }
        // (I13, I14) The signs are the operands' top bits: 127 < top byte.
        for (sign, top) in [(c.sign_b, c.b[3]), (c.sign_c, c.c[3])] {
            let message = ByteMessage {
                operation: op(ByteOperation::LessThan),
                a: AB::Expr::from_u8(127),
                b: top.into(),
                result: sign.into(),
            };
            send(builder, message, is_real.clone());
        }

        // (I15) Receive the instruction: mul writes the low word, the others the high word.
        let high = mulh.clone() + mulhsu.clone() + mulhu.clone();
        let rd: [AB::Expr; 4] = std::array::from_fn(|i| {
            mul.clone() * c.product[i].into() + high.clone() * c.product[i + 4].into()
        });
        let opcode = selected_opcode(&MUL_OPCODES, [mul, mulh, mulhsu, mulhu]);
        let zero = || AB::Expr::ZERO;
        let message = ExecuteMessage {
            clk: c.clk.into(),
            opcode,
            pc: c.pc.into(),
            next_pc: c.pc.into() + AB::Expr::from_u32(4),
            rs1: c.b.map(Into::into),
            rs2: c.c.map(Into::into),
            imm: [zero(), zero(), zero(), zero()],
            rd,
        };
        receive(builder, message, is_real);
    }
}
