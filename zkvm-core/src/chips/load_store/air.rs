//! Constraints of the load/store chip.

use p3_air::{Air, BaseAir, WindowAccess};
use p3_field::{Field, PrimeCharacteristicRing};
use p3_lookup::InteractionBuilder;
use zkvm_bus::columns::{Columns, borrow};
use zkvm_bus::{ByteMessage, ByteOperation, ExecuteMessage, receive, send};
use zkvm_memory::{RAM_SPACE, eval_access, slot};

use super::LoadStoreColumns;
use crate::chips::selected_opcode;
use crate::isa::Opcode;

/// The operations of the chip, in selector order.
pub const LOAD_STORE_OPCODES: [Opcode; 8] =
    [Opcode::Lb, Opcode::Lh, Opcode::Lw, Opcode::Lbu, Opcode::Lhu, Opcode::Sb, Opcode::Sh, Opcode::Sw];

/// The load/store chip.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LoadStoreChip;

impl<F: Field> BaseAir<F> for LoadStoreChip {
    fn width(&self) -> usize {
        LoadStoreColumns::<F>::WIDTH
    }

    /// Each row checks one access: no constraint or message reads the next
    /// row, so a proof opens the chip at the out-of-domain point only.
    fn main_next_row_columns(&self) -> Vec<usize> {
        Vec::new()
    }
}

impl<AB: InteractionBuilder> Air<AB> for LoadStoreChip
where
    AB::F: Field,
{
    fn eval(&self, builder: &mut AB) {
        let main = builder.main();
        let local: &LoadStoreColumns<AB::Var> = borrow(main.current_slice());
        let [lb, lh, lw, lbu, lhu, sb, sh, sw] = local.selector.map(Into::<AB::Expr>::into);
        let one = AB::Expr::ONE;

        // (C1) Each selector is boolean and (C2) at most one is set: is_real is their sum.
        for s in local.selector {
            builder.assert_bool(s);
        }
        let is_real: AB::Expr = local.selector.iter().map(|&s| s.into()).sum();
        builder.assert_bool(is_real.clone());
        let byte_load = lb.clone() + lbu.clone();
        let half_load = lh.clone() + lhu.clone();
        let load = byte_load.clone() + half_load.clone() + lw.clone();
        let signed = lb.clone() + lh.clone();

        // (C3) The address is rs1 + imm mod 2^32, byte by byte with boolean carries.
        for i in 0..4 {
            builder.assert_bool(local.address_carry[i]);
            let carry_in: AB::Expr = if i == 0 { AB::Expr::ZERO } else { local.address_carry[i - 1].into() };
            let sum = local.rs1[i].into() + local.imm[i].into() + carry_in
                - local.address[i].into()
                - local.address_carry[i].into() * AB::Expr::from_u32(256);
            builder.assert_zero(is_real.clone() * sum);
        }
        // (C4) The offset bits are boolean and the low address byte is bit0 + 2 bit1 + 4 word_low.
        let [bit0, bit1] = local.offset_bit.map(Into::<AB::Expr>::into);
        builder.assert_bool(bit0.clone());
        builder.assert_bool(bit1.clone());
        builder.assert_eq(
            local.address[0],
            bit0.clone() + bit1.clone() * AB::Expr::TWO + local.word_low.into() * AB::Expr::from_u32(4),
        );
        // (C5) Alignment: words at offset 0, half-words at offset 0 or 2.
        builder.assert_zero((lw.clone() + sw.clone()) * (bit0.clone() + bit1.clone()));
        builder.assert_zero((half_load.clone() + sh.clone()) * bit0.clone());
        // (C6) On real rows, byte_select is the one-hot encoding of the offset.
        let select = [
            (one.clone() - bit0.clone()) * (one.clone() - bit1.clone()),
            bit0.clone() * (one.clone() - bit1.clone()),
            (one.clone() - bit0.clone()) * bit1.clone(),
            bit0 * bit1,
        ];
        for (column, expected) in local.byte_select.iter().zip(select) {
            builder.assert_zero(is_real.clone() * (Into::<AB::Expr>::into(*column) - expected));
        }
        let sel = local.byte_select.map(Into::<AB::Expr>::into);
        let prev = local.prev.map(Into::<AB::Expr>::into);
        let rd = local.rd.map(Into::<AB::Expr>::into);
        let rs2 = local.rs2.map(Into::<AB::Expr>::into);
        let value = local.value.map(Into::<AB::Expr>::into);
        let [loaded_lo, loaded_hi] = local.loaded.map(Into::<AB::Expr>::into);

        // (C7) Byte loads pick the selected byte of the word; (C8) half-word loads the selected
        // half (offset 0 or 2).
        let picked: AB::Expr = (0..4).map(|k| sel[k].clone() * prev[k].clone()).sum();
        builder.assert_zero(byte_load.clone() * (loaded_lo.clone() - picked));
        let half_lo = sel[0].clone() * prev[0].clone() + sel[2].clone() * prev[2].clone();
        let half_hi = sel[0].clone() * prev[1].clone() + sel[2].clone() * prev[3].clone();
        builder.assert_zero(half_load.clone() * (loaded_lo.clone() - half_lo));
        builder.assert_zero(half_load.clone() * (loaded_hi.clone() - half_hi));
        // (C9a) Rows that load no sub-word leave `loaded` at 0, byte loads leave `loaded[1]` at 0.
        let sub_word = byte_load.clone() + half_load.clone();
        builder.assert_zero((one.clone() - sub_word) * loaded_lo.clone());
        builder.assert_zero((one.clone() - half_load.clone()) * loaded_hi.clone());
        // (C9) The sign bit is 0 unless the load is signed (I1 fixes it for signed loads).
        builder.assert_bool(local.sign);
        builder.assert_zero((one.clone() - signed.clone()) * local.sign.into());
        // (C10) rd: lw gives the word; sub-word loads give the loaded bytes, extended with
        // 0xff * sign; stores write nothing (rd = 0).
        let extension = local.sign.into() * AB::Expr::from_u32(0xff);
        for k in 0..4 {
            builder.assert_zero(lw.clone() * (rd[k].clone() - prev[k].clone()));
            let byte_result = if k == 0 { loaded_lo.clone() } else { extension.clone() };
            builder.assert_zero(byte_load.clone() * (rd[k].clone() - byte_result));
            let half_result = match k {
                0 => loaded_lo.clone(),
                1 => loaded_hi.clone(),
                _ => extension.clone(),
            };
            builder.assert_zero(half_load.clone() * (rd[k].clone() - half_result));
            builder.assert_zero((sb.clone() + sh.clone() + sw.clone()) * rd[k].clone());
        }
        // (C11) The word after the access: unchanged by loads; sw writes rs2; sb writes rs2's low
        // byte at the offset; sh writes rs2's low half at offset 0 or 2.
        for k in 0..4 {
            builder.assert_zero(load.clone() * (value[k].clone() - prev[k].clone()));
            builder.assert_zero(sw.clone() * (value[k].clone() - rs2[k].clone()));
            let stored_byte = prev[k].clone() + sel[k].clone() * (rs2[0].clone() - prev[k].clone());
            builder.assert_zero(sb.clone() * (value[k].clone() - stored_byte));
            let (half_select, source) = if k < 2 { (sel[0].clone(), k) } else { (sel[2].clone(), k - 2) };
            let stored_half = prev[k].clone() + half_select * (rs2[source].clone() - prev[k].clone());
            builder.assert_zero(sh.clone() * (value[k].clone() - stored_half));
        }

        // (I1) The sign bit of a signed load is the top bit of its top loaded byte: 127 < byte.
        let top = lb.clone() * loaded_lo + lh.clone() * loaded_hi;
        let less_than = AB::Expr::from_u8(ByteOperation::LessThan as u8);
        let sign_message = ByteMessage {
            operation: less_than,
            a: AB::Expr::from_u32(127),
            b: top,
            result: local.sign.into(),
        };
        send(builder, sign_message, signed);
        // (I2, I3) The address bytes are bytes; (I4) word_low < 64 (both it and 4 word_low are bytes).
        let pairs = [
            (local.address[0].into(), local.address[1].into()),
            (local.address[2].into(), local.address[3].into()),
            (local.word_low.into(), local.word_low.into() * AB::Expr::from_u32(4)),
        ];
        for (a, b) in pairs {
            send(builder, ByteMessage::range(a, b), is_real.clone());
        }
        // (I5-I8) The RAM access to word address word_low + 2^6 address[1] + 2^14 address[2] +
        // 2^22 address[3] at timestamp 8 clk + RAM, finding prev and leaving value.
        let word_address = local.word_low.into()
            + local.address[1].into() * AB::Expr::from_u32(1 << 6)
            + local.address[2].into() * AB::Expr::from_u32(1 << 14)
            + local.address[3].into() * AB::Expr::from_u32(1 << 22);
        let timestamp = local.clk.into() * AB::Expr::from_u32(8) + AB::Expr::from_u32(slot::RAM);
        eval_access(
            builder,
            AB::Expr::from_u32(RAM_SPACE),
            word_address,
            prev,
            value,
            timestamp,
            &local.access,
            is_real.clone(),
        );
        // (I9) Receive the instruction from the CPU: its opcode is the selected one and the
        // next pc is pc + 4.
        let opcode = selected_opcode::<AB::Expr>(&LOAD_STORE_OPCODES, local.selector.map(Into::into));
        let message = ExecuteMessage {
            clk: local.clk.into(),
            opcode,
            pc: local.pc.into(),
            next_pc: local.pc.into() + AB::Expr::from_u32(4),
            rs1: local.rs1.map(Into::into),
            rs2: rs2.clone(),
            imm: local.imm.map(Into::into),
            rd,
        };
        receive(builder, message, is_real);
    }
}
