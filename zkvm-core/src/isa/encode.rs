//! Encoding instructions back into 32-bit words: the inverse of [`decode`](super::decode).
//!
//! Used to assemble test programs without a cross toolchain (the differential tests, the chip tests
//! of the prover) and by embedders that generate code.

use super::{Instruction, Opcode};

fn r_type(opcode: u32, f3: u32, f7: u32, rd: u8, rs1: u8, rs2: u8) -> u32 {
    (f7 << 25)
        | (u32::from(rs2 & 31) << 20)
        | (u32::from(rs1 & 31) << 15)
        | (f3 << 12)
        | (u32::from(rd & 31) << 7)
        | opcode
}

fn i_type(opcode: u32, f3: u32, rd: u8, rs1: u8, imm: u32) -> u32 {
    ((imm & 0xfff) << 20) | (u32::from(rs1 & 31) << 15) | (f3 << 12) | (u32::from(rd & 31) << 7) | opcode
}

fn s_type(opcode: u32, f3: u32, rs1: u8, rs2: u8, imm: u32) -> u32 {
    ((imm >> 5 & 0x7f) << 25)
        | (u32::from(rs2 & 31) << 20)
        | (u32::from(rs1 & 31) << 15)
        | (f3 << 12)
        | ((imm & 0x1f) << 7)
        | opcode
}

fn b_type(f3: u32, rs1: u8, rs2: u8, imm: u32) -> u32 {
    ((imm >> 12 & 1) << 31)
        | ((imm >> 5 & 0x3f) << 25)
        | (u32::from(rs2 & 31) << 20)
        | (u32::from(rs1 & 31) << 15)
        | (f3 << 12)
        | ((imm >> 1 & 0xf) << 8)
        | ((imm >> 11 & 1) << 7)
        | 0b110_0011
}

fn j_type(rd: u8, imm: u32) -> u32 {
    ((imm >> 20 & 1) << 31)
        | ((imm >> 1 & 0x3ff) << 21)
        | ((imm >> 11 & 1) << 20)
        | ((imm >> 12 & 0xff) << 12)
        | (u32::from(rd & 31) << 7)
        | 0b110_1111
}

/// Encodes `instruction` as a 32-bit word.
///
/// Immediates are truncated to the bits their format holds, so an out-of-range immediate encodes a
/// different instruction; `decode(encode(i)) == i` holds for every instruction `decode` can return.
/// [`Opcode::Invalid`] encodes as `unimp`.
pub fn encode(instruction: &Instruction) -> u32 {
    use Opcode::*;
    let Instruction { opcode, rd, rs1, rs2, imm } = *instruction;
    let op = |f3, f7| r_type(0b011_0011, f3, f7, rd, rs1, rs2);
    let op_imm = |f3| i_type(0b001_0011, f3, rd, rs1, imm);
    let shift_imm = |f3, f7| r_type(0b001_0011, f3, f7, rd, rs1, (imm & 31) as u8);
    let load = |f3| i_type(0b000_0011, f3, rd, rs1, imm);
    let store = |f3| s_type(0b010_0011, f3, rs1, rs2, imm);
    match opcode {
        Add => op(0, 0),
        Sub => op(0, 0x20),
        Sll => op(1, 0),
        Slt => op(2, 0),
        Sltu => op(3, 0),
        Xor => op(4, 0),
        Srl => op(5, 0),
        Sra => op(5, 0x20),
        Or => op(6, 0),
        And => op(7, 0),
        Mul => op(0, 1),
        Mulh => op(1, 1),
        Mulhsu => op(2, 1),
        Mulhu => op(3, 1),
        Div => op(4, 1),
        Divu => op(5, 1),
        Rem => op(6, 1),
        Remu => op(7, 1),
        Addi => op_imm(0),
        Slti => op_imm(2),
        Sltiu => op_imm(3),
        Xori => op_imm(4),
        Ori => op_imm(6),
        Andi => op_imm(7),
        Slli => shift_imm(1, 0),
        Srli => shift_imm(5, 0),
        Srai => shift_imm(5, 0x20),
        Lb => load(0),
        Lh => load(1),
        Lw => load(2),
        Lbu => load(4),
        Lhu => load(5),
        Sb => store(0),
        Sh => store(1),
        Sw => store(2),
        Beq => b_type(0, rs1, rs2, imm),
        Bne => b_type(1, rs1, rs2, imm),
        Blt => b_type(4, rs1, rs2, imm),
        Bge => b_type(5, rs1, rs2, imm),
        Bltu => b_type(6, rs1, rs2, imm),
        Bgeu => b_type(7, rs1, rs2, imm),
        Jal => j_type(rd, imm),
        Jalr => i_type(0b110_0111, 0, rd, rs1, imm),
        Lui => (imm & 0xffff_f000) | (u32::from(rd & 31) << 7) | 0b011_0111,
        Auipc => (imm & 0xffff_f000) | (u32::from(rd & 31) << 7) | 0b001_0111,
        Fence => 0x0ff0_000f,
        Ecall => 0x0000_0073,
        Ebreak => 0x0010_0073,
        Invalid => super::UNIMP_WORD,
    }
}
