//! The RV32IM instruction set: decoded instructions, the decoder and the encoder.
//!
//! The machine implements the base integer ISA (RV32I) and the multiply/divide extension (M),
//! little-endian, without compressed instructions, CSRs or privileged modes.

mod decode;
mod encode;
mod instruction;

pub use decode::{DecodeError, UNIMP_WORD, decode};
pub use encode::encode;
pub use instruction::{Instruction, InstructionClass, Opcode};

/// Register numbers of the ABI names the guest interface uses.
pub mod reg {
    /// `ra`, the return address.
    pub const RA: u8 = 1;
    /// `sp`, the stack pointer.
    pub const SP: u8 = 2;
    /// `t0`, which holds the call number of an `ecall`.
    pub const T0: u8 = 5;
    /// `a0`, the first argument and the result of an `ecall`.
    pub const A0: u8 = 10;
    /// `a1`, the second argument of an `ecall`.
    pub const A1: u8 = 11;
    /// `a2`, the third argument of an `ecall`.
    pub const A2: u8 = 12;
    /// `a7`, Linux's call-number register; ignored by this machine.
    pub const A7: u8 = 17;
}
