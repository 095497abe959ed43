//! Everything that can stop a program other than its own `HALT`.

use thiserror::Error;

/// Why execution stopped abnormally. Every variant carries the program counter of the
/// instruction at fault, so that the message points into the program.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ExecError {
    /// The word at `pc` is not an RV32IM instruction.
    #[error("illegal instruction {word:#010x} at pc {pc:#010x}")]
    IllegalInstruction {
        /// Address of the word.
        pc: u32,
        /// The word.
        word: u32,
    },
    /// The word at `pc` is a CSR instruction; the machine has no control and status registers.
    #[error("CSR instruction {word:#010x} at pc {pc:#010x}: the machine has no CSRs")]
    CsrInstruction {
        /// Address of the word.
        pc: u32,
        /// The word.
        word: u32,
    },
    /// The program executed `unimp`, usually code the compiler considered unreachable.
    #[error("unimp instruction at pc {pc:#010x} (the guest reached code marked unreachable)")]
    Unimp {
        /// Address of the `unimp`.
        pc: u32,
    },
    /// The program executed `ebreak`; there is no debugger to trap to.
    #[error("ebreak at pc {pc:#010x}")]
    Breakpoint {
        /// Address of the `ebreak`.
        pc: u32,
    },
    /// A load address is not a multiple of the access width.
    #[error("misaligned {width}-byte load from {addr:#010x} at pc {pc:#010x}")]
    MisalignedLoad {
        /// Address of the load instruction.
        pc: u32,
        /// The effective address.
        addr: u32,
        /// Access width in bytes (2 or 4).
        width: u32,
    },
    /// A store address is not a multiple of the access width.
    #[error("misaligned {width}-byte store to {addr:#010x} at pc {pc:#010x}")]
    MisalignedStore {
        /// Address of the store instruction.
        pc: u32,
        /// The effective address.
        addr: u32,
        /// Access width in bytes (2 or 4).
        width: u32,
    },
    /// A jump or taken branch targets an address that is not a multiple of 4.
    #[error("jump from pc {pc:#010x} to misaligned target {target:#010x}")]
    MisalignedJump {
        /// Address of the jump or branch.
        pc: u32,
        /// The target it computed.
        target: u32,
    },
    /// Control reached an address outside every executable segment of the program.
    #[error("instruction fetch outside loaded code at pc {pc:#010x}")]
    FetchOutsideCode {
        /// The address fetched.
        pc: u32,
    },
    /// The program ran for the configured number of cycles without halting.
    #[error("cycle limit of {limit} reached without halting (pc {pc:#010x})")]
    CycleLimit {
        /// The limit.
        limit: u64,
        /// The program counter when the limit was reached.
        pc: u32,
    },
    /// `ecall` with a call number in `t0` that the machine does not define.
    #[error("unknown ecall number {number} (in t0) at pc {pc:#010x}")]
    UnknownEcall {
        /// Address of the `ecall`.
        pc: u32,
        /// The value of `t0`.
        number: u32,
    },
    /// `WRITE` to a file descriptor other than 1 or 2.
    #[error("WRITE to unknown file descriptor {fd} at pc {pc:#010x} (1 stdout, 2 stderr)")]
    BadFileDescriptor {
        /// Address of the `ecall`.
        pc: u32,
        /// The descriptor passed in `a0`.
        fd: u32,
    },
    /// `READ_WORD` at or past the end of the input.
    #[error("READ_WORD past the end of the {length}-byte input at pc {pc:#010x}")]
    InputExhausted {
        /// Address of the `ecall`.
        pc: u32,
        /// Length of the input in bytes.
        length: usize,
    },
    /// `COMMIT` with a value in `a0` that is not a byte.
    #[error("COMMIT of {value:#x}, which is not a byte, at pc {pc:#010x}")]
    NotAByte {
        /// Address of the `ecall`.
        pc: u32,
        /// The value of `a0`.
        value: u32,
    },
    /// A `WRITE` longer than [`crate::abi::MAX_WRITE_BYTES`].
    #[error("WRITE of {len} bytes at pc {pc:#010x} is longer than the {max} bytes one call may show", max = crate::abi::MAX_WRITE_BYTES)]
    WriteTooLong {
        /// Address of the `ecall`.
        pc: u32,
        /// The requested length.
        len: u32,
    },
    /// A `WRITE` buffer runs past the end of the 32-bit address space.
    #[error("ecall buffer {ptr:#010x} + {len:#x} runs past the address space at pc {pc:#010x}")]
    BufferOutOfRange {
        /// Address of the `ecall`.
        pc: u32,
        /// The buffer pointer.
        ptr: u32,
        /// The buffer length.
        len: u32,
    },
    /// A precompile's pointer is not word-aligned.
    #[error("precompile {name} (ecall {number}) called with misaligned pointer {ptr:#010x} at pc {pc:#010x}")]
    MisalignedPrecompile {
        /// Address of the `ecall`.
        pc: u32,
        /// The call number.
        number: u32,
        /// The precompile's name.
        name: String,
        /// The pointer in `a0`.
        ptr: u32,
    },
    /// A precompile could not compute its result (a plugin failure).
    #[error("precompile {name} failed at pc {pc:#010x}: {message}")]
    PrecompileFailed {
        /// Address of the `ecall`.
        pc: u32,
        /// The precompile's name.
        name: String,
        /// What the plugin reported.
        message: String,
    },
    /// The host could not deliver the guest's output (for example, a closed pipe).
    #[error("could not write guest output to the host: {0}")]
    HostOutput(String),
}

impl ExecError {
    /// The program counter the error points at (for a cycle limit, where the program stood).
    pub fn pc(&self) -> Option<u32> {
        use ExecError::*;
        match self {
            IllegalInstruction { pc, .. }
            | CsrInstruction { pc, .. }
            | Unimp { pc }
            | Breakpoint { pc }
            | MisalignedLoad { pc, .. }
            | MisalignedStore { pc, .. }
            | MisalignedJump { pc, .. }
            | FetchOutsideCode { pc }
            | CycleLimit { pc, .. }
            | UnknownEcall { pc, .. }
            | BadFileDescriptor { pc, .. }
            | InputExhausted { pc, .. }
            | NotAByte { pc, .. }
            | BufferOutOfRange { pc, .. }
            | WriteTooLong { pc, .. }
            | MisalignedPrecompile { pc, .. }
            | PrecompileFailed { pc, .. } => Some(*pc),
            HostOutput(_) => None,
        }
    }
}
