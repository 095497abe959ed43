//! Decoding 32-bit RV32IM instruction words.

use thiserror::Error;

use super::{Instruction, Opcode};

/// The encoding of `unimp`: `csrrw x0, cycle, x0`, which compilers emit as a trap.
pub const UNIMP_WORD: u32 = 0xc000_1073;

/// Why a 32-bit word is not an instruction this machine executes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum DecodeError {
    /// The word is `unimp` (`0xc0001073`), the canonical trapping instruction.
    #[error("unimp instruction")]
    Unimp,
    /// The word is a Zicsr instruction (`csrr*`); the machine has no control and status registers.
    #[error("CSR instruction {0:#010x} (the machine has no CSRs)")]
    Csr(u32),
    /// The word is not a valid RV32IM encoding (unknown opcode, reserved function bits, a
    /// compressed-instruction prefix, or an extension the machine does not implement).
    #[error("illegal instruction {0:#010x}")]
    Illegal(u32),
}

const OPCODE_LOAD: u32 = 0b000_0011;
const OPCODE_MISC_MEM: u32 = 0b000_1111;
const OPCODE_OP_IMM: u32 = 0b001_0011;
const OPCODE_AUIPC: u32 = 0b001_0111;
const OPCODE_STORE: u32 = 0b010_0011;
const OPCODE_OP: u32 = 0b011_0011;
const OPCODE_LUI: u32 = 0b011_0111;
const OPCODE_BRANCH: u32 = 0b110_0011;
const OPCODE_JALR: u32 = 0b110_0111;
const OPCODE_JAL: u32 = 0b110_1111;
const OPCODE_SYSTEM: u32 = 0b111_0011;

fn rd(word: u32) -> u8 {
    ((word >> 7) & 31) as u8
}
fn rs1(word: u32) -> u8 {
    ((word >> 15) & 31) as u8
}
fn rs2(word: u32) -> u8 {
    ((word >> 20) & 31) as u8
}
fn funct3(word: u32) -> u32 {
    (word >> 12) & 7
}
fn funct7(word: u32) -> u32 {
    word >> 25
}
/// I-type immediate: bits 31..20, sign-extended.
fn imm_i(word: u32) -> u32 {
    ((word as i32) >> 20) as u32
}
/// S-type immediate: bits 31..25 and 11..7, sign-extended.
fn imm_s(word: u32) -> u32 {
    ((((word as i32) >> 25) << 5) as u32) | ((word >> 7) & 0x1f)
}
/// B-type immediate: a multiple of 2 in ±4 KiB, sign-extended.
fn imm_b(word: u32) -> u32 {
    let sign = (((word as i32) >> 31) as u32) << 12;
    sign | ((word << 4) & 0x800) | ((word >> 20) & 0x7e0) | ((word >> 7) & 0x1e)
}
/// U-type immediate: bits 31..12 in place.
fn imm_u(word: u32) -> u32 {
    word & 0xffff_f000
}
/// J-type immediate: a multiple of 2 in ±1 MiB, sign-extended.
fn imm_j(word: u32) -> u32 {
    let sign = (((word as i32) >> 31) as u32) << 20;
    sign | (word & 0xff000) | ((word >> 9) & 0x800) | ((word >> 20) & 0x7fe)
}

/// Decodes one instruction word.
///
/// Decoding is strict: reserved function fields, shift amounts with bit 5 set, `fence.i`, and
/// privileged `SYSTEM` encodings other than `ecall`/`ebreak` are all rejected.
pub fn decode(word: u32) -> Result<Instruction, DecodeError> {
    use Opcode::*;
    let illegal = Err(DecodeError::Illegal(word));
    let (rd, rs1, rs2, f3, f7) = (rd(word), rs1(word), rs2(word), funct3(word), funct7(word));
    let r = |op| Ok(Instruction::new(op, rd, rs1, rs2, 0));
    let i = |op| Ok(Instruction::new(op, rd, rs1, 0, imm_i(word)));
    let instruction = match word & 0x7f {
        OPCODE_LUI => Instruction::new(Lui, rd, 0, 0, imm_u(word)),
        OPCODE_AUIPC => Instruction::new(Auipc, rd, 0, 0, imm_u(word)),
        OPCODE_JAL => Instruction::new(Jal, rd, 0, 0, imm_j(word)),
        OPCODE_JALR if f3 == 0 => return i(Jalr),
        OPCODE_BRANCH => {
            let op = match f3 {
                0 => Beq,
                1 => Bne,
                4 => Blt,
                5 => Bge,
                6 => Bltu,
                7 => Bgeu,
                _ => return illegal,
            };
            Instruction::new(op, 0, rs1, rs2, imm_b(word))
        }
        OPCODE_LOAD => match f3 {
            0 => return i(Lb),
            1 => return i(Lh),
            2 => return i(Lw),
            4 => return i(Lbu),
            5 => return i(Lhu),
            _ => return illegal,
        },
        OPCODE_STORE => {
            let op = match f3 {
                0 => Sb,
                1 => Sh,
                2 => Sw,
                _ => return illegal,
            };
            Instruction::new(op, 0, rs1, rs2, imm_s(word))
        }
        OPCODE_OP_IMM => match (f3, f7) {
            (0, _) => return i(Addi),
            (2, _) => return i(Slti),
            (3, _) => return i(Sltiu),
            (4, _) => return i(Xori),
            (6, _) => return i(Ori),
            (7, _) => return i(Andi),
            (1, 0x00) => Instruction::new(Slli, rd, rs1, 0, u32::from(rs2)),
            (5, 0x00) => Instruction::new(Srli, rd, rs1, 0, u32::from(rs2)),
            (5, 0x20) => Instruction::new(Srai, rd, rs1, 0, u32::from(rs2)),
            _ => return illegal,
        },
        OPCODE_OP => match (f7, f3) {
            (0x00, 0) => return r(Add),
            (0x20, 0) => return r(Sub),
            (0x00, 1) => return r(Sll),
            (0x00, 2) => return r(Slt),
            (0x00, 3) => return r(Sltu),
            (0x00, 4) => return r(Xor),
            (0x00, 5) => return r(Srl),
            (0x20, 5) => return r(Sra),
            (0x00, 6) => return r(Or),
            (0x00, 7) => return r(And),
            (0x01, 0) => return r(Mul),
            (0x01, 1) => return r(Mulh),
            (0x01, 2) => return r(Mulhsu),
            (0x01, 3) => return r(Mulhu),
            (0x01, 4) => return r(Div),
            (0x01, 5) => return r(Divu),
            (0x01, 6) => return r(Rem),
            (0x01, 7) => return r(Remu),
            _ => return illegal,
        },
        // Any `fence` is a no-op on a single hart; `fence.i` (Zifencei) is not supported.
        OPCODE_MISC_MEM if f3 == 0 => Instruction::new(Fence, 0, 0, 0, 0),
        OPCODE_SYSTEM => match (word, f3) {
            (0x0000_0073, _) => Instruction::new(Ecall, 0, 0, 0, 0),
            (0x0010_0073, _) => Instruction::new(Ebreak, 0, 0, 0, 0),
            (UNIMP_WORD, _) => return Err(DecodeError::Unimp),
            (_, 1..=3 | 5..=7) => return Err(DecodeError::Csr(word)),
            _ => return illegal,
        },
        _ => return illegal,
    };
    Ok(instruction)
}
