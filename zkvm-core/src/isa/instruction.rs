//! The decoded form of an RV32IM instruction.

use std::fmt;

/// Every RV32IM operation the machine executes, plus [`Opcode::Invalid`] for words that do not decode.
///
/// The order groups operations by the instruction class reported in statistics; the numeric value
/// of each variant is stable within a release and is what [`Opcode::index`] returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
#[allow(missing_docs)] // the variant names are the RISC-V mnemonics
pub enum Opcode {
    // Register-register arithmetic and logic.
    Add,
    Sub,
    Xor,
    Or,
    And,
    Slt,
    Sltu,
    Sll,
    Srl,
    Sra,
    // Register-immediate arithmetic and logic.
    Addi,
    Xori,
    Ori,
    Andi,
    Slti,
    Sltiu,
    Slli,
    Srli,
    Srai,
    // Conditional branches.
    Beq,
    Bne,
    Blt,
    Bge,
    Bltu,
    Bgeu,
    // Jumps and upper immediates.
    Jal,
    Jalr,
    Lui,
    Auipc,
    // Loads and stores.
    Lb,
    Lh,
    Lw,
    Lbu,
    Lhu,
    Sb,
    Sh,
    Sw,
    // The M extension.
    Mul,
    Mulh,
    Mulhsu,
    Mulhu,
    Div,
    Divu,
    Rem,
    Remu,
    // System.
    Fence,
    Ecall,
    Ebreak,
    /// A word that is not a supported RV32IM instruction. Decoding it again gives the reason;
    /// executing it halts the machine with that error.
    Invalid,
}

impl Opcode {
    /// Number of variants, including [`Opcode::Invalid`].
    pub const COUNT: usize = Opcode::Invalid as usize + 1;

    /// All opcodes in index order.
    pub const ALL: [Opcode; Opcode::COUNT] = {
        use Opcode::*;
        [
            Add, Sub, Xor, Or, And, Slt, Sltu, Sll, Srl, Sra, Addi, Xori, Ori, Andi, Slti, Sltiu, Slli, Srli,
            Srai, Beq, Bne, Blt, Bge, Bltu, Bgeu, Jal, Jalr, Lui, Auipc, Lb, Lh, Lw, Lbu, Lhu, Sb, Sh, Sw,
            Mul, Mulh, Mulhsu, Mulhu, Div, Divu, Rem, Remu, Fence, Ecall, Ebreak, Invalid,
        ]
    };

    /// Dense index of this opcode, `0..COUNT`.
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The lower-case RISC-V mnemonic.
    pub const fn mnemonic(self) -> &'static str {
        use Opcode::*;
        match self {
            Add => "add",
            Sub => "sub",
            Xor => "xor",
            Or => "or",
            And => "and",
            Slt => "slt",
            Sltu => "sltu",
            Sll => "sll",
            Srl => "srl",
            Sra => "sra",
            Addi => "addi",
            Xori => "xori",
            Ori => "ori",
            Andi => "andi",
            Slti => "slti",
            Sltiu => "sltiu",
            Slli => "slli",
            Srli => "srli",
            Srai => "srai",
            Beq => "beq",
            Bne => "bne",
            Blt => "blt",
            Bge => "bge",
            Bltu => "bltu",
            Bgeu => "bgeu",
            Jal => "jal",
            Jalr => "jalr",
            Lui => "lui",
            Auipc => "auipc",
            Lb => "lb",
            Lh => "lh",
            Lw => "lw",
            Lbu => "lbu",
            Lhu => "lhu",
            Sb => "sb",
            Sh => "sh",
            Sw => "sw",
            Mul => "mul",
            Mulh => "mulh",
            Mulhsu => "mulhsu",
            Mulhu => "mulhu",
            Div => "div",
            Divu => "divu",
            Rem => "rem",
            Remu => "remu",
            Fence => "fence",
            Ecall => "ecall",
            Ebreak => "ebreak",
            Invalid => "invalid",
        }
    }

    /// The instruction class this opcode is counted under in execution statistics.
    pub const fn class(self) -> InstructionClass {
        use InstructionClass as C;
        use Opcode::*;
        match self {
            Add | Sub | Xor | Or | And | Addi | Xori | Ori | Andi => C::Arithmetic,
            Slt | Sltu | Slti | Sltiu => C::Comparison,
            Sll | Srl | Sra | Slli | Srli | Srai => C::Shift,
            Beq | Bne | Blt | Bge | Bltu | Bgeu => C::Branch,
            Jal | Jalr => C::Jump,
            Lui | Auipc => C::UpperImmediate,
            Lb | Lh | Lw | Lbu | Lhu => C::Load,
            Sb | Sh | Sw => C::Store,
            Mul | Mulh | Mulhsu | Mulhu => C::Multiply,
            Div | Divu | Rem | Remu => C::Divide,
            Fence | Ecall | Ebreak | Invalid => C::System,
        }
    }
}

/// Coarse groups of instructions, used for statistics (and, later, roughly matching the chips).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum InstructionClass {
    /// Addition, subtraction and bitwise logic, register or immediate operand.
    Arithmetic,
    /// Set-less-than, signed and unsigned.
    Comparison,
    /// Logical and arithmetic shifts.
    Shift,
    /// Conditional branches.
    Branch,
    /// `jal` and `jalr`.
    Jump,
    /// `lui` and `auipc`.
    UpperImmediate,
    /// Loads of bytes, half-words and words.
    Load,
    /// Stores of bytes, half-words and words.
    Store,
    /// `mul`, `mulh`, `mulhsu`, `mulhu`.
    Multiply,
    /// `div`, `divu`, `rem`, `remu`.
    Divide,
    /// `fence`, `ecall`, `ebreak`.
    System,
}

impl InstructionClass {
    /// All classes, in display order.
    pub const ALL: [InstructionClass; 11] = [
        Self::Arithmetic,
        Self::Comparison,
        Self::Shift,
        Self::Branch,
        Self::Jump,
        Self::UpperImmediate,
        Self::Load,
        Self::Store,
        Self::Multiply,
        Self::Divide,
        Self::System,
    ];

    /// A short lower-case name.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Arithmetic => "arithmetic",
            Self::Comparison => "comparison",
            Self::Shift => "shift",
            Self::Branch => "branch",
            Self::Jump => "jump",
            Self::UpperImmediate => "upper-immediate",
            Self::Load => "load",
            Self::Store => "store",
            Self::Multiply => "multiply",
            Self::Divide => "divide",
            Self::System => "system",
        }
    }
}

/// A decoded instruction: the operation, its register operands and its immediate.
///
/// Fields an operation does not use are zero. `imm` holds the sign-extended immediate as a 32-bit
/// pattern (for shifts by an immediate, the shift amount; for `lui`/`auipc`, the value already
/// shifted left by 12).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Instruction {
    /// The operation.
    pub opcode: Opcode,
    /// Destination register, `0..32`.
    pub rd: u8,
    /// First source register, `0..32`.
    pub rs1: u8,
    /// Second source register, `0..32`.
    pub rs2: u8,
    /// Immediate operand (sign-extended where RISC-V sign-extends it).
    pub imm: u32,
}

impl Instruction {
    /// The placeholder stored for a word that does not decode.
    pub const INVALID: Instruction = Instruction { opcode: Opcode::Invalid, rd: 0, rs1: 0, rs2: 0, imm: 0 };

    /// Builds an instruction from its parts.
    pub const fn new(opcode: Opcode, rd: u8, rs1: u8, rs2: u8, imm: u32) -> Self {
        Instruction { opcode, rd, rs1, rs2, imm }
    }
}

impl fmt::Display for Instruction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Opcode::*;
        let m = self.opcode.mnemonic();
        let imm = self.imm as i32;
        match self.opcode {
            Add | Sub | Xor | Or | And | Slt | Sltu | Sll | Srl | Sra | Mul | Mulh | Mulhsu | Mulhu | Div
            | Divu | Rem | Remu => write!(f, "{m} x{}, x{}, x{}", self.rd, self.rs1, self.rs2),
            Addi | Xori | Ori | Andi | Slti | Sltiu | Slli | Srli | Srai | Jalr => {
                write!(f, "{m} x{}, x{}, {imm}", self.rd, self.rs1)
            }
            Lb | Lh | Lw | Lbu | Lhu => write!(f, "{m} x{}, {imm}(x{})", self.rd, self.rs1),
            Sb | Sh | Sw => write!(f, "{m} x{}, {imm}(x{})", self.rs2, self.rs1),
            Beq | Bne | Blt | Bge | Bltu | Bgeu => write!(f, "{m} x{}, x{}, {imm}", self.rs1, self.rs2),
            Jal => write!(f, "{m} x{}, {imm}", self.rd),
            Lui | Auipc => write!(f, "{m} x{}, {:#x}", self.rd, self.imm >> 12),
            Fence | Ecall | Ebreak | Invalid => f.write_str(m),
        }
    }
}
