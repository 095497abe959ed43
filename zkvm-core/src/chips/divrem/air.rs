//! Constraints of the division chip.

use p3_air::{Air, AirBuilder, BaseAir, WindowAccess};
use p3_field::{Field, PrimeCharacteristicRing};
use p3_lookup::InteractionBuilder;
use zkvm_bus::columns::{Columns, borrow};
use zkvm_bus::{ByteMessage, ByteOperation, ExecuteMessage, Range16Message, receive, send};

use super::DivRemColumns;
use crate::chips::selected_opcode;
use crate::isa::Opcode;

/// The operations of the chip, in selector order.
pub const DIVREM_OPCODES: [Opcode; 4] = [Opcode::Div, Opcode::Divu, Opcode::Rem, Opcode::Remu];

/// The division chip.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DivRemChip;

impl<F: Field> BaseAir<F> for DivRemChip {
    fn width(&self) -> usize {
        DivRemColumns::<F>::WIDTH
    }

    /// Each row checks one instruction: no constraint or message reads the next
    /// row, so a proof opens the chip at the out-of-domain point only.
    fn main_next_row_columns(&self) -> Vec<usize> {
        Vec::new()
    }
}

/// Constrains `x + x_abs = 2^32` byte by byte (so `x_abs = -x mod 2^32`, with `x` nonzero) when
/// `negative` is 1, and `x_abs = x` with zero carries when it is 0. The carries are boolean.
fn assert_absolute<AB: AirBuilder>(
    builder: &mut AB,
    x: &[AB::Var; 4],
    x_abs: &[AB::Var; 4],
    carry: &[AB::Var; 4],
    negative: AB::Expr,
) {
    for k in 0..4 {
        builder.assert_bool(carry[k]);
        let carry_in: AB::Expr = if k == 0 { AB::Expr::ZERO } else { carry[k - 1].into() };
        let sum = x[k].into() + x_abs[k].into() + carry_in - carry[k].into() * AB::Expr::from_u32(256);
        builder.assert_zero(negative.clone() * sum);
        builder.assert_zero((AB::Expr::ONE - negative.clone()) * (x_abs[k].into() - x[k].into()));
        builder.assert_zero((AB::Expr::ONE - negative.clone()) * carry[k].into());
    }
    builder.assert_zero(negative * (carry[3].into() - AB::Expr::ONE));
}

impl<AB: InteractionBuilder> Air<AB> for DivRemChip
where
    AB::F: Field,
{
    fn eval(&self, builder: &mut AB) {
        let main = builder.main();
        let local: &DivRemColumns<AB::Var> = borrow(main.current_slice());
        let [div, divu, rem, remu] = local.selector.map(Into::<AB::Expr>::into);
        let one = AB::Expr::ONE;
        let base = AB::Expr::from_u32(256);
        let byte_max = AB::Expr::from_u32(255);

        // (C1) Selectors are boolean and at most one is set; signs, negativity flags, c_zero
        // and all carry-like bits of C6-C8 are boolean.
        for s in local.selector {
            builder.assert_bool(s);
        }
        let is_real: AB::Expr = local.selector.iter().map(|&s| s.into()).sum();
        builder.assert_bool(is_real.clone());
        for flag in
            local.sign.into_iter().chain(local.negative).chain([local.quotient_negative, local.c_zero])
        {
            builder.assert_bool(flag);
        }
        let signed = div.clone() + rem.clone();
        // (C2) A value is read as negative exactly on signed rows with its top bit set; the
        // quotient may only be negative on signed rows.
        for (negative, sign) in local.negative.iter().zip(local.sign) {
            builder.assert_eq(*negative, sign.into() * signed.clone());
        }
        builder.assert_zero(local.quotient_negative.into() * (one.clone() - signed.clone()));
        let [neg_b, neg_c, neg_r] = local.negative.map(Into::<AB::Expr>::into);

        // (C3) c_zero is 1 exactly when c = 0 on a real row (never on padding): it forces every
        // byte of c to 0, and otherwise the byte sum has an inverse. `nonzero` is then 1 exactly
        // on real rows with c not 0.
        builder.assert_zero(local.c_zero.into() * (one.clone() - is_real.clone()));
        let nonzero = is_real.clone() - local.c_zero.into();
        let c_sum: AB::Expr = local.c.iter().map(|&x| x.into()).sum();
        for x in local.c {
            builder.assert_zero(local.c_zero.into() * x.into());
        }
        builder.assert_eq(c_sum * local.c_sum_inverse.into(), nonzero.clone());
        // (C4) Division by zero gives q = 2^32 - 1 (and r = b through C5); its quotient is not
        // read as negative and its slack (unused) is 0.
        for x in local.q {
            builder.assert_zero(local.c_zero.into() * (x.into() - byte_max.clone()));
        }
        builder.assert_zero(local.c_zero.into() * local.quotient_negative.into());
        for x in local.slack {
            builder.assert_zero(local.c_zero.into() * x.into());
        }

        // (C5) q c + r = b over the 64-bit extensions (bytes 4..8 are 255 times the value's
        // negativity flag), byte by byte with carries.
        let extend = |x: &[AB::Var; 4], negative: &AB::Expr, i: usize| -> AB::Expr {
            if i < 4 { x[i].into() } else { byte_max.clone() * negative.clone() }
        };
        let q_negative: AB::Expr = local.quotient_negative.into();
        for k in 0..8 {
            let products: AB::Expr =
                (0..=k).map(|i| extend(&local.q, &q_negative, i) * extend(&local.c, &neg_c, k - i)).sum();
            let carry_in: AB::Expr = if k == 0 { AB::Expr::ZERO } else { local.carry[k - 1].into() };
            let relation = products + extend(&local.r, &neg_r, k) + carry_in
                - extend(&local.b, &neg_b, k)
                - local.carry[k].into() * base.clone();
            builder.assert_zero(is_real.clone() * relation);
        }
        // (C6) |c| and (C7) |r| as unsigned values.
        assert_absolute(builder, &local.c, &local.c_abs, &local.c_abs_carry, neg_c);
        assert_absolute(builder, &local.r, &local.r_abs, &local.r_abs_carry, neg_r.clone());
        // (C8) When c is not 0: |r| + slack + 1 = |c| without overflow, so |r| < |c|.
        for k in 0..4 {
            builder.assert_bool(local.slack_carry[k]);
            let carry_in: AB::Expr = if k == 0 { one.clone() } else { local.slack_carry[k - 1].into() };
            let sum = local.r_abs[k].into() + local.slack[k].into() + carry_in
                - local.c_abs[k].into()
                - local.slack_carry[k].into() * base.clone();
            builder.assert_zero(nonzero.clone() * sum);
        }
        builder.assert_zero(nonzero * local.slack_carry[3].into());
        // (C9) The remainder has the dividend's sign: negative only if b is, and 0 if b is
        // negative and r is not.
        builder.assert_zero(neg_r.clone() * (one.clone() - neg_b.clone()));
        for x in local.r {
            builder.assert_zero(neg_b.clone() * (one.clone() - neg_r.clone()) * x.into());
        }

        // (I1-I10) q, r, |c|, |r| and slack are bytes.
        for array in [&local.q, &local.r, &local.c_abs, &local.r_abs, &local.slack] {
            for [a, b] in [[0, 1], [2, 3]] {
                send(builder, ByteMessage::range(array[a].into(), array[b].into()), is_real.clone());
            }
        }
        // (I11-I18) The carries of C5 are below 2^16 (no relation wraps around the field).
        for carry in local.carry {
            send(builder, Range16Message { value: carry.into() }, is_real.clone());
        }
        // (I19-I21) The signs are the top bits of b, c and r: 127 < top byte.
        for (sign, top) in local.sign.into_iter().zip([local.b[3], local.c[3], local.r[3]]) {
            let message = ByteMessage {
                operation: AB::Expr::from_u8(ByteOperation::LessThan as u8),
                a: AB::Expr::from_u8(127),
                b: top.into(),
                result: sign.into(),
            };
            send(builder, message, is_real.clone());
        }

        // (I22) Receive the instruction: div and divu write q, rem and remu write r.
        let quotient = div.clone() + divu.clone();
        let remainder = rem.clone() + remu.clone();
        let rd: [AB::Expr; 4] = std::array::from_fn(|k| {
            quotient.clone() * local.q[k].into() + remainder.clone() * local.r[k].into()
        });
        let opcode = selected_opcode(&DIVREM_OPCODES, [div, divu, rem, remu]);
        let zero = || AB::Expr::ZERO;
        let message = ExecuteMessage {
            clk: local.clk.into(),
            opcode,
            pc: local.pc.into(),
            next_pc: local.pc.into() + AB::Expr::from_u32(4),
            rs1: local.b.map(Into::into),
            rs2: local.c.map(Into::into),
            imm: [zero(), zero(), zero(), zero()],
            rd,
        };
        receive(builder, message, is_real);
    }
}
