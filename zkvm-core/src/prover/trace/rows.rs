//! The rows of the family chips: for one executed instruction, the chip's columns and the value
//! written to rd, with the lookups the row makes recorded.

use p3_field::{Field, PrimeCharacteristicRing};
use zkvm_bus::ByteOperation;
use zkvm_memory::{INPUT_POSITION, OUTPUT_POSITION, RAM_SPACE, REGISTER_SPACE, slot, timestamp};

use super::{Lookups, TraceError, Val, bytes};
use crate::abi;
use crate::chips::alu::{ALU_OPCODES, AluColumns};
use crate::chips::branch::{BRANCH_OPCODES, BranchColumns};
use crate::chips::byte_table::ByteCounts;
use crate::chips::divrem::{DIVREM_OPCODES, DivRemColumns};
use crate::chips::ecall::{ECALLS, EcallColumns};
use crate::chips::jump::JumpColumns;
use crate::chips::load_store::{LOAD_STORE_OPCODES, LoadStoreColumns};
use crate::chips::mul::MulColumns;
use crate::chips::range16::Range16Counts;
use crate::chips::shift::{SHIFT_OPCODES, ShiftColumns};
use crate::executor::WordAccess;
use crate::isa::Opcode;

/// A family chip's selectors for `op`: 1 at its position in the chip's `opcodes`, else 0.
fn one_hot<const N: usize>(opcodes: &[Opcode; N], op: Opcode) -> [Val; N] {
    assert!(opcodes.contains(&op), "{op:?} is not one of this chip's opcodes");
    opcodes.map(|o| if o == op { Val::ONE } else { Val::ZERO })
}

/// The ALU chip's row for `op`, and the value written to rd; records its byte queries.
pub(super) fn alu_row(
    clk: u32,
    pc: u32,
    op: Opcode,
    rs1_value: u32,
    rs2_value: u32,
    imm: u32,
    queries: &mut ByteCounts,
) -> (AluColumns<Val>, u32) {
    let is_imm = matches!(op, Opcode::Addi | Opcode::Xori | Opcode::Ori | Opcode::Andi);
    let operand = if is_imm { imm } else { rs2_value };
    let mut columns = AluColumns::<Val> {
        clk: Val::from_u32(clk),
        pc: Val::from_u32(pc),
        rs1: bytes(rs1_value),
        rs2: bytes(rs2_value),
        imm: bytes(imm),
        ..Default::default()
    };
    columns.selector = one_hot(&ALU_OPCODES, op);
    let result = match op {
        Opcode::Add | Opcode::Addi | Opcode::Fence => rs1_value.wrapping_add(operand),
        Opcode::Sub => rs1_value.wrapping_sub(operand),
        Opcode::Xor | Opcode::Xori => rs1_value ^ operand,
        Opcode::Or | Opcode::Ori => rs1_value | operand,
        _ => rs1_value & operand,
    };
    // Carries of rs1 + operand (add) or of rd + rs2 (sub).
    let (x, y) = match op {
        Opcode::Sub => (result, operand),
        _ => (rs1_value, operand),
    };
    if matches!(op, Opcode::Add | Opcode::Addi | Opcode::Fence | Opcode::Sub) {
        columns.carry = carries(x, y, 0).map(Val::from_u32);
    }
    if let Some(byte_op) = match op {
        Opcode::Xor | Opcode::Xori => Some(ByteOperation::Xor),
        Opcode::Or | Opcode::Ori => Some(ByteOperation::Or),
        Opcode::And | Opcode::Andi => Some(ByteOperation::And),
        _ => None,
    } {
        for i in 0..4 {
            queries.add(byte_op, (rs1_value >> (8 * i)) as u8, (operand >> (8 * i)) as u8);
        }
    }
    columns.rd = bytes(result);
    (columns, result)
}

/// The load/store chip's row for `op` with operands `(rs1, rs2, imm)` and the executor's word
/// `access`, and the value written to rd (0 for stores); records its lookups and the access.
pub(super) fn load_store_row(
    clk: u32,
    pc: u32,
    op: Opcode,
    (rs1, rs2, imm): (u32, u32, u32),
    access: WordAccess,
    lookups: &mut Lookups,
) -> Result<(LoadStoreColumns<Val>, u32), TraceError> {
    let address = rs1.wrapping_add(imm);
    let offset = address & 3;
    if address & !3 != access.address {
        return Err(TraceError::Inconsistent(format!("{op:?} at {pc:#x} accessed {:#x}", access.address)));
    }
    let prev = access.before;
    let shift = 8 * offset;
    let (result, value) = match op {
        Opcode::Lb => (i32::from((prev >> shift) as u8 as i8) as u32, prev),
        Opcode::Lbu => ((prev >> shift) & 0xff, prev),
        Opcode::Lh => (i32::from((prev >> shift) as u16 as i16) as u32, prev),
        Opcode::Lhu => ((prev >> shift) & 0xffff, prev),
        Opcode::Lw => (prev, prev),
        Opcode::Sb => (0, (prev & !(0xff << shift)) | ((rs2 & 0xff) << shift)),
        Opcode::Sh => (0, (prev & !(0xffff << shift)) | ((rs2 & 0xffff) << shift)),
        _ => (0, rs2),
    };
    if value != access.after {
        return Err(TraceError::Mismatch { pc, computed: value, executed: access.after });
    }
    let mut row = LoadStoreColumns::<Val> {
        clk: Val::from_u32(clk),
        pc: Val::from_u32(pc),
        rs1: bytes(rs1),
        rs2: bytes(rs2),
        imm: bytes(imm),
        rd: bytes(result),
        address: bytes(address),
        address_carry: carries(rs1, imm, 0).map(Val::from_u32),
        offset_bit: [offset & 1, offset >> 1].map(Val::from_u32),
        word_low: Val::from_u32((address & 0xff) >> 2),
        prev: bytes(prev),
        value: bytes(value),
        ..Default::default()
    };
    row.selector = one_hot(&LOAD_STORE_OPCODES, op);
    row.byte_select[offset as usize] = Val::ONE;
    let prev_bytes = prev.to_le_bytes();
    let top = match op {
        Opcode::Lb | Opcode::Lbu => {
            row.loaded[0] = Val::from_u8(prev_bytes[offset as usize]);
            Some(prev_bytes[offset as usize])
        }
        Opcode::Lh | Opcode::Lhu => {
            row.loaded = [prev_bytes[offset as usize], prev_bytes[offset as usize + 1]].map(Val::from_u8);
            Some(prev_bytes[offset as usize + 1])
        }
        _ => None,
    };
    if let (Some(top), true) = (top, matches!(op, Opcode::Lb | Opcode::Lh)) {
        row.sign = Val::from_u32(u32::from(top >> 7));
        lookups.bytes.add(ByteOperation::LessThan, 127, top);
    }
    let a = address.to_le_bytes();
    lookups.bytes.add(ByteOperation::Range, a[0], a[1]);
    lookups.bytes.add(ByteOperation::Range, a[2], a[3]);
    lookups.bytes.add(ByteOperation::Range, a[0] >> 2, (a[0] >> 2) * 4);
    let found = lookups.access(RAM_SPACE, address / 4, value, timestamp(clk, slot::RAM), &mut row.access);
    if found != prev {
        return Err(TraceError::Inconsistent(format!(
            "word {:#x} held {found:#x}, the executor read {prev:#x}",
            address & !3
        )));
    }
    Ok((row, result))
}

/// The ecall chip's row for call `call` with `a0` and the executor's `result`, and the value
/// written to a0; `None` for a call the chip does not know. Records the stream-position access.
pub(super) fn ecall_row(
    clk: u32,
    pc: u32,
    call: u32,
    a0: u32,
    result: u32,
    lookups: &mut Lookups,
) -> Option<(EcallColumns<Val>, u32)> {
    let index = ECALLS.iter().position(|&c| c == call)?;
    let result = if call == abi::HALT { a0 } else { result };
    let mut row = EcallColumns::<Val> {
        clk: Val::from_u32(clk),
        pc: Val::from_u32(pc),
        a0: bytes(a0),
        result: bytes(result),
        ..Default::default()
    };
    row.selector[index] = Val::ONE;
    let cell = match call {
        abi::READ_WORD => Some(INPUT_POSITION),
        abi::COMMIT => Some(OUTPUT_POSITION),
        _ => None,
    };
    if let Some(cell) = cell {
        let position = lookups.tracker.state(REGISTER_SPACE, cell).value;
        row.position = Val::from_u32(position);
        let ts = timestamp(clk, slot::STREAM);
        lookups.access(REGISTER_SPACE, cell, position + 1, ts, &mut row.stream_access);
    }
    Some((row, result))
}

/// The division chip's row for `op` on `b / c`, and the value written to rd; records its lookups.
pub(super) fn divrem_row(
    clk: u32,
    pc: u32,
    op: Opcode,
    b: u32,
    c: u32,
    lookups: &mut Lookups,
) -> (DivRemColumns<Val>, u32) {
    let signed = matches!(op, Opcode::Div | Opcode::Rem);
    let (q, r, q_negative): (u32, u32, bool) = if c == 0 {
        (u32::MAX, b, false)
    } else if signed {
        let (bi, ci) = (i64::from(b as i32), i64::from(c as i32));
        let q = bi / ci; // 2^31 for the overflow case, which wraps to -2^31 below
        (q as u32, (bi - q * ci) as u32, q < 0)
    } else {
        (b / c, b % c, false)
    };
    let result = if matches!(op, Opcode::Div | Opcode::Divu) { q } else { r };
    let sign = [b, c, r].map(|x| x >> 31);
    let negative = sign.map(|s| s == 1 && signed);
    let abs = |x: u32, negative: bool| if negative { x.wrapping_neg() } else { x };
    let (c_abs, r_abs) = (abs(c, negative[1]), abs(r, negative[2]));
    let c_sum: u32 = c.to_le_bytes().iter().map(|&x| u32::from(x)).sum();
    let extend = |x: u32, negative: bool| -> [u32; 8] {
        let high = if negative { 0xff } else { 0 };
        std::array::from_fn(|i| if i < 4 { x >> (8 * i) & 0xff } else { high })
    };
    let (q_ext, c_ext, r_ext) = (extend(q, q_negative), extend(c, negative[1]), extend(r, negative[2]));
    let (product, carry) = schoolbook::<8>(&q_ext, &c_ext, &r_ext);
    debug_assert_eq!(product, extend(b, negative[0]), "q c + r = b");
    let slack = if c == 0 { 0 } else { c_abs.wrapping_sub(r_abs).wrapping_sub(1) };
    let mut row = DivRemColumns::<Val> {
        clk: Val::from_u32(clk),
        pc: Val::from_u32(pc),
        b: bytes(b),
        c: bytes(c),
        q: bytes(q),
        r: bytes(r),
        sign: sign.map(Val::from_u32),
        negative: negative.map(Val::from_bool),
        quotient_negative: Val::from_bool(q_negative),
        c_zero: Val::from_bool(c == 0),
        c_sum_inverse: if c_sum == 0 { Val::ZERO } else { Val::from_u32(c_sum).inverse() },
        carry: carry.map(Val::from_u32),
        c_abs: bytes(c_abs),
        c_abs_carry: if negative[1] { carries(c, c_abs, 0).map(Val::from_u32) } else { [Val::ZERO; 4] },
        r_abs: bytes(r_abs),
        r_abs_carry: if negative[2] { carries(r, r_abs, 0).map(Val::from_u32) } else { [Val::ZERO; 4] },
        slack: bytes(slack),
        slack_carry: if c == 0 { [Val::ZERO; 4] } else { carries(r_abs, slack, 1).map(Val::from_u32) },
        ..Default::default()
    };
    row.selector = one_hot(&DIVREM_OPCODES, op);
    for value in [q, r, c_abs, r_abs, slack] {
        let v = value.to_le_bytes();
        lookups.bytes.add(ByteOperation::Range, v[0], v[1]);
        lookups.bytes.add(ByteOperation::Range, v[2], v[3]);
    }
    for &k in &carry {
        lookups.ranges.add(k);
    }
    for x in [b, c, r] {
        lookups.bytes.add(ByteOperation::LessThan, 127, (x >> 24) as u8);
    }
    (row, result)
}

/// The jump chip's row for `op` at `pc`, and the value written to rd; records its byte queries.
pub(super) fn jump_row(
    clk: u32,
    pc: u32,
    op: Opcode,
    rs1: u32,
    imm: u32,
    queries: &mut ByteCounts,
) -> (JumpColumns<Val>, u32) {
    let base = if op == Opcode::Jalr { rs1 } else { pc };
    let sum = base.wrapping_add(imm);
    let link = pc.wrapping_add(4);
    let result = match op {
        Opcode::Jal | Opcode::Jalr => link,
        Opcode::Lui => imm,
        _ => sum,
    };
    let mut row = JumpColumns::<Val> {
        clk: Val::from_u32(clk),
        pc: Val::from_u32(pc),
        pc_bytes: bytes(pc),
        rs1: bytes(rs1),
        imm: bytes(imm),
        rd: bytes(result),
        ..Default::default()
    };
    match op {
        Opcode::Jal => row.is_jal = Val::ONE,
        Opcode::Jalr => row.is_jalr = Val::ONE,
        Opcode::Lui => row.is_lui = Val::ONE,
        _ => row.is_auipc = Val::ONE,
    }
    let (p, s) = (pc.to_le_bytes(), sum.to_le_bytes());
    queries.add(ByteOperation::Range, p[0], p[1]);
    queries.add(ByteOperation::Range, p[2], p[3]);
    queries.add(ByteOperation::LessThan, p[3], crate::chips::jump::PC_TOP_BYTE_LIMIT);
    if op != Opcode::Lui {
        row.sum = bytes(sum);
        row.sum_carry = carries(base, imm, 0).map(Val::from_u32);
        queries.add(ByteOperation::Range, s[0], s[1]);
        queries.add(ByteOperation::Range, s[2], s[3]);
    }
    if matches!(op, Opcode::Jal | Opcode::Jalr) {
        row.link_carry = carries(pc, 4, 0).map(Val::from_u32);
        queries.add(ByteOperation::LessThan, s[3], crate::chips::jump::PC_TOP_BYTE_LIMIT);
    }
    if op == Opcode::Jalr {
        row.sum_bit0 = Val::from_u32(sum & 1);
        row.sum_half0 = Val::from_u32((sum & 0xff) >> 1);
        queries.add(ByteOperation::Range, ((sum & 0xff) >> 1) as u8, 0);
    }
    (row, result)
}

/// The carries out of each byte of the 32-bit sum `x + y + carry_in`.
fn carries(x: u32, y: u32, carry_in: u32) -> [u32; 4] {
    let mut carry = carry_in;
    std::array::from_fn(|i| {
        let sum = (x >> (8 * i) & 0xff) + (y >> (8 * i) & 0xff) + carry;
        carry = sum >> 8;
        carry
    })
}

/// The branch chip's row for `op`, and the value written to rd (the comparison result; 0 for
/// branches, which write no register); records its byte queries.
pub(super) fn branch_row(
    clk: u32,
    pc: u32,
    op: Opcode,
    rs1: u32,
    rs2: u32,
    imm: u32,
    queries: &mut ByteCounts,
) -> (BranchColumns<Val>, u32) {
    let operand = if matches!(op, Opcode::Slti | Opcode::Sltiu) { imm } else { rs2 };
    let diff = rs1.wrapping_sub(operand);
    let less_unsigned = rs1 < operand;
    let less_signed = (rs1 as i32) < (operand as i32);
    let equal = rs1 == operand;
    let taken = match op {
        Opcode::Beq => equal,
        Opcode::Bne => !equal,
        Opcode::Blt => less_signed,
        Opcode::Bge => !less_signed,
        Opcode::Bltu => less_unsigned,
        Opcode::Bgeu => !less_unsigned,
        _ => false,
    };
    let result = match op {
        Opcode::Slt | Opcode::Slti => u32::from(less_signed),
        Opcode::Sltu | Opcode::Sltiu => u32::from(less_unsigned),
        _ => 0,
    };
    let diff_sum: u32 = diff.to_le_bytes().iter().map(|&b| u32::from(b)).sum();
    let mut row = BranchColumns::<Val> {
        clk: Val::from_u32(clk),
        pc: Val::from_u32(pc),
        rs1: bytes(rs1),
        rs2: bytes(rs2),
        imm: bytes(imm),
        diff: bytes(diff),
        carry: carries(operand, diff, 0).map(Val::from_u32),
        sign1: Val::from_u32(rs1 >> 31),
        sign2: Val::from_u32(operand >> 31),
        less_signed: Val::from_bool(less_signed),
        equal: Val::from_bool(equal),
        diff_sum_inverse: if diff_sum == 0 { Val::ZERO } else { Val::from_u32(diff_sum).inverse() },
        taken: Val::from_bool(taken),
        ..Default::default()
    };
    row.selector = one_hot(&BRANCH_OPCODES, op);
    let d = diff.to_le_bytes();
    queries.add(ByteOperation::Range, d[0], d[1]);
    queries.add(ByteOperation::Range, d[2], d[3]);
    queries.add(ByteOperation::LessThan, 127, (rs1 >> 24) as u8);
    queries.add(ByteOperation::LessThan, 127, (operand >> 24) as u8);
    (row, result)
}

/// The multiply chip's row for `op`, and the value written to rd; records its lookups.
pub(super) fn mul_row(
    clk: u32,
    pc: u32,
    op: Opcode,
    b: u32,
    c: u32,
    queries: &mut ByteCounts,
    ranges: &mut Range16Counts,
) -> (MulColumns<Val>, u32) {
    let signed_b = matches!(op, Opcode::Mulh | Opcode::Mulhsu);
    let signed_c = op == Opcode::Mulh;
    let extend = |v: u32, signed: bool| -> [u32; 8] {
        let high = if signed && v >> 31 == 1 { 0xff } else { 0 };
        std::array::from_fn(|i| if i < 4 { v >> (8 * i) & 0xff } else { high })
    };
    let (b_ext, c_ext) = (extend(b, signed_b), extend(c, signed_c));
    let (product, carry) = schoolbook::<8>(&b_ext, &c_ext, &[]);
    let low = product[..4].iter().rev().fold(0u32, |acc, &p| acc << 8 | p);
    let high = product[4..].iter().rev().fold(0u32, |acc, &p| acc << 8 | p);
    let result = if op == Opcode::Mul { low } else { high };
    let mut row = MulColumns::<Val> {
        clk: Val::from_u32(clk),
        pc: Val::from_u32(pc),
        b: bytes(b),
        c: bytes(c),
        sign_b: Val::from_u32(b >> 31),
        sign_c: Val::from_u32(c >> 31),
        b_high: Val::from_u32(b_ext[4]),
        c_high: Val::from_u32(c_ext[4]),
        product: product.map(Val::from_u32),
        carry: carry.map(Val::from_u32),
        ..Default::default()
    };
    match op {
        Opcode::Mul => row.is_mul = Val::ONE,
        Opcode::Mulh => row.is_mulh = Val::ONE,
        Opcode::Mulhsu => row.is_mulhsu = Val::ONE,
        _ => row.is_mulhu = Val::ONE,
    }
    for pair in product.chunks(2) {
        queries.add(ByteOperation::Range, pair[0] as u8, pair[1] as u8);
    }
    for &k in &carry {
        ranges.add(k);
    }
    queries.add(ByteOperation::LessThan, 127, (b >> 24) as u8);
    queries.add(ByteOperation::LessThan, 127, (c >> 24) as u8);
    (row, result)
}

/// The shift chip's row for `op`, and the value written to rd; records its lookups.
#[allow(clippy::too_many_arguments)]
pub(super) fn shift_row(
    clk: u32,
    pc: u32,
    op: Opcode,
    rs1: u32,
    rs2: u32,
    imm: u32,
    queries: &mut ByteCounts,
    ranges: &mut Range16Counts,
) -> (ShiftColumns<Val>, u32) {
    let operand = if matches!(op, Opcode::Slli | Opcode::Srli | Opcode::Srai) { imm } else { rs2 };
    let amount = operand & 31;
    let pow = 1u32 << amount;
    let left = matches!(op, Opcode::Sll | Opcode::Slli);
    let negate = matches!(op, Opcode::Sra | Opcode::Srai) && rs1 >> 31 == 1;
    let result = match op {
        Opcode::Sll | Opcode::Slli => rs1 << amount,
        Opcode::Srl | Opcode::Srli => rs1 >> amount,
        _ => ((rs1 as i32) >> amount) as u32,
    };
    let mut row = ShiftColumns::<Val> {
        clk: Val::from_u32(clk),
        pc: Val::from_u32(pc),
        rs1: bytes(rs1),
        rs2: bytes(rs2),
        imm: bytes(imm),
        rd: bytes(result),
        amount_bit: std::array::from_fn(|i| Val::from_u32(amount >> i & 1)),
        amount_rest: Val::from_u32((operand & 0xff) >> 5),
        pow_low_partial: Val::from_u32(1 << (amount & 3)),
        pow_low: Val::from_u32(1 << (amount & 7)),
        pow: bytes(pow),
        msb: Val::from_u32(rs1 >> 31),
        negate: Val::from_bool(negate),
        ..Default::default()
    };
    row.selector = one_hot(&SHIFT_OPCODES, op);
    queries.add(ByteOperation::Range, ((operand & 0xff) >> 5) as u8, 0);
    queries.add(ByteOperation::LessThan, 127, (rs1 >> 24) as u8);
    let pow_bytes = pow.to_le_bytes().map(u32::from);
    let mut product_carries = [0u32; 8];
    if left {
        let (_, low_carries) = schoolbook::<4>(&rs1.to_le_bytes().map(u32::from), &pow_bytes, &[]);
        product_carries[..4].copy_from_slice(&low_carries);
    } else {
        let b_prime = if negate { !rs1 } else { rs1 };
        let quotient = b_prime >> amount;
        let remainder = b_prime & (pow - 1);
        let slack = pow - 1 - remainder;
        let (q, r) = (quotient.to_le_bytes().map(u32::from), remainder.to_le_bytes().map(u32::from));
        let (product, right_carries) = schoolbook::<8>(&q, &pow_bytes, &r);
        debug_assert_eq!(product, std::array::from_fn(|k| if k < 4 { b_prime >> (8 * k) & 0xff } else { 0 }));
        product_carries = right_carries;
        row.quotient = bytes(quotient);
        row.remainder = bytes(remainder);
        row.slack = bytes(slack);
        row.slack_carry = carries(remainder, slack, 1).map(Val::from_u32);
        for value in [quotient, remainder, slack] {
            let v = value.to_le_bytes();
            queries.add(ByteOperation::Range, v[0], v[1]);
            queries.add(ByteOperation::Range, v[2], v[3]);
        }
    }
    row.product_carry = product_carries.map(Val::from_u32);
    for &k in &product_carries {
        ranges.add(k);
    }
    (row, result)
}

/// Bytes and carries of the byte-wise product `x * y + addend` truncated to `N` bytes, as the
/// multiply and shift chips constrain it: `sum_{i+j=k} x[i] y[j] + addend[k] + carry[k-1] =
/// byte[k] + 256 carry[k]`.
fn schoolbook<const N: usize>(x: &[u32], y: &[u32], addend: &[u32]) -> ([u32; N], [u32; N]) {
    let (mut bytes, mut carries) = ([0u32; N], [0u32; N]);
    let mut carry = 0;
    for k in 0..N {
        let products: u32 =
            (0..=k).filter(|&i| i < x.len() && k - i < y.len()).map(|i| x[i] * y[k - i]).sum();
        let sum = products + addend.get(k).copied().unwrap_or(0) + carry;
        bytes[k] = sum & 0xff;
        carry = sum >> 8;
        carries[k] = carry;
    }
    (bytes, carries)
}
