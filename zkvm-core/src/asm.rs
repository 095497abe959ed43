//! A tiny assembler for building test and example programs in code, without a cross toolchain.
//!
//! ```
//! use zkvm_core::asm::Assembler;
//! use zkvm_core::isa::{Opcode, reg};
//! use zkvm_core::{Executor, abi};
//!
//! let mut asm = Assembler::new(0x10000);
//! asm.li(reg::A0, 40).i(Opcode::Addi, reg::A0, reg::A0, 2).halt();
//! let mut executor = Executor::new(asm.program().into(), vec![]);
//! assert_eq!(executor.run().unwrap(), 42);
//! ```

use crate::abi;
use crate::elf::{ElfWriter, PF_R, PF_W, Program};
use crate::isa::{Instruction, Opcode, encode, reg};

/// Accumulates instruction words at consecutive addresses, plus optional data segments.
#[derive(Clone, Debug)]
pub struct Assembler {
    base: u32,
    words: Vec<u32>,
    data: Vec<(u32, Vec<u8>)>,
}

impl Assembler {
    /// Starts a program whose code (and entry point) is at `base`.
    pub fn new(base: u32) -> Self {
        Assembler { base, words: Vec::new(), data: Vec::new() }
    }

    /// Address the next instruction will have.
    pub fn pc(&self) -> u32 {
        self.base + 4 * self.words.len() as u32
    }

    /// Number of words emitted so far.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Whether nothing has been emitted.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Appends a raw 32-bit word (which need not be a valid instruction).
    pub fn word(&mut self, word: u32) -> &mut Self {
        self.words.push(word);
        self
    }

    /// Appends an instruction.
    pub fn emit(&mut self, instruction: Instruction) -> &mut Self {
        self.word(encode(&instruction))
    }

    /// Appends a register-register instruction `op rd, rs1, rs2`.
    pub fn r(&mut self, op: Opcode, rd: u8, rs1: u8, rs2: u8) -> &mut Self {
        self.emit(Instruction::new(op, rd, rs1, rs2, 0))
    }

    /// Appends an instruction with a register and an immediate: `op rd, rs1, imm` (ALU, shifts,
    /// `jalr`) or `op rd, imm(rs1)` (loads).
    pub fn i(&mut self, op: Opcode, rd: u8, rs1: u8, imm: i32) -> &mut Self {
        self.emit(Instruction::new(op, rd, rs1, 0, imm as u32))
    }

    /// Appends a store `op rs2, imm(rs1)`.
    pub fn s(&mut self, op: Opcode, rs2: u8, rs1: u8, imm: i32) -> &mut Self {
        self.emit(Instruction::new(op, 0, rs1, rs2, imm as u32))
    }

    /// Appends a branch `op rs1, rs2, offset` (offset in bytes from this instruction).
    pub fn b(&mut self, op: Opcode, rs1: u8, rs2: u8, offset: i32) -> &mut Self {
        self.emit(Instruction::new(op, 0, rs1, rs2, offset as u32))
    }

    /// Appends `jal rd, offset`.
    pub fn jal(&mut self, rd: u8, offset: i32) -> &mut Self {
        self.emit(Instruction::new(Opcode::Jal, rd, 0, 0, offset as u32))
    }

    /// Appends `lui` or `auipc` with the upper 20 bits `upper` (the value is `upper << 12`).
    pub fn u(&mut self, op: Opcode, rd: u8, upper: u32) -> &mut Self {
        self.emit(Instruction::new(op, rd, 0, 0, upper << 12))
    }

    /// Loads a 32-bit constant into `rd` (one or two instructions).
    pub fn li(&mut self, rd: u8, value: u32) -> &mut Self {
        let low = ((value << 20) as i32) >> 20;
        let high = value.wrapping_sub(low as u32);
        if high == 0 {
            return self.i(Opcode::Addi, rd, 0, low);
        }
        self.emit(Instruction::new(Opcode::Lui, rd, 0, 0, high));
        if low != 0 {
            self.i(Opcode::Addi, rd, rd, low);
        }
        self
    }

    /// Appends an `ecall` with call number `call` in `t0` (the arguments are the caller's).
    pub fn ecall(&mut self, call: u32) -> &mut Self {
        self.li(reg::T0, call).emit(Instruction::new(Opcode::Ecall, 0, 0, 0, 0))
    }

    /// Appends `HALT` with the exit code already in `a0`.
    pub fn halt(&mut self) -> &mut Self {
        self.ecall(abi::HALT)
    }

    /// Adds a readable and writable data segment holding `bytes` at `addr`.
    pub fn data(&mut self, addr: u32, bytes: Vec<u8>) -> &mut Self {
        self.data.push((addr, bytes));
        self
    }

    /// The program as an ELF file.
    pub fn elf(&self) -> Vec<u8> {
        let mut writer = ElfWriter::new(self.base).code(self.base, &self.words);
        for (addr, bytes) in &self.data {
            let size = bytes.len() as u32;
            writer = writer.segment(*addr, bytes.clone(), size, PF_R | PF_W);
        }
        writer.build()
    }

    /// The program, loaded. Panics if the program is not loadable (overlapping segments, or
    /// nothing emitted), which is a bug in the code that built it.
    pub fn program(&self) -> Program {
        Program::from_elf(&self.elf()).expect("assembled programs are well-formed")
    }
}
