//! Typed messages: one struct per bus, whose fields follow the bus's layout.
//!
//! Chips build these structs instead of raw tuples, so a message can only be sent on its own bus
//! and always has the right width and field order.

use crate::registry::{
    BYTE, BusSpec, EXECUTE, IO, MEMORY, MEMORY_LEAF, MERKLE_NODE, PROGRAM, RANGE16, WITNESS,
};

/// A message of one bus, with fields of expression type `E`.
pub trait Message<E> {
    /// The bus the message travels on.
    const BUS: &'static BusSpec;

    /// The fields, in the order of the bus's layout.
    fn into_fields(self) -> Vec<E>;
}

/// An instruction-fetch message on [`PROGRAM`].
#[derive(Clone, Debug)]
pub struct ProgramMessage<E> {
    /// Address of the instruction.
    pub pc: E,
    /// Index of the operation.
    pub opcode: E,
    /// Destination register.
    pub rd: E,
    /// First source register.
    pub rs1: E,
    /// Second source register.
    pub rs2: E,
    /// The sign-extended immediate, least significant byte first.
    pub imm: [E; 4],
    /// 1 if `rd` is not x0.
    pub rd_nonzero: E,
}

impl<E> Message<E> for ProgramMessage<E> {
    const BUS: &'static BusSpec = &PROGRAM;

    fn into_fields(self) -> Vec<E> {
        let [i0, i1, i2, i3] = self.imm;
        vec![self.pc, self.opcode, self.rd, self.rs1, self.rs2, i0, i1, i2, i3, self.rd_nonzero]
    }
}

/// An executed instruction on [`EXECUTE`]: what the CPU read and wrote, for the family chip to
/// check.
#[derive(Clone, Debug)]
pub struct ExecuteMessage<E> {
    /// Cycle index within the segment.
    pub clk: E,
    /// Index of the operation.
    pub opcode: E,
    /// Address of the instruction.
    pub pc: E,
    /// Address of the next instruction.
    pub next_pc: E,
    /// Value of `rs1`, least significant byte first.
    pub rs1: [E; 4],
    /// Value of `rs2`.
    pub rs2: [E; 4],
    /// The immediate.
    pub imm: [E; 4],
    /// The result written to `rd`.
    pub rd: [E; 4],
}

impl<E> Message<E> for ExecuteMessage<E> {
    const BUS: &'static BusSpec = &EXECUTE;

    fn into_fields(self) -> Vec<E> {
        let mut fields = vec![self.clk, self.opcode, self.pc, self.next_pc];
        fields.extend(self.rs1);
        fields.extend(self.rs2);
        fields.extend(self.imm);
        fields.extend(self.rd);
        fields
    }
}

/// A memory-cell state on [`MEMORY`]: which cell, its value as four bytes, and when it was
/// written.
#[derive(Clone, Debug)]
pub struct MemoryMessage<E> {
    /// Address space (0 registers, 1 RAM).
    pub space: E,
    /// Register number or word address.
    pub address: E,
    /// The value, least significant byte first.
    pub value: [E; 4],
    /// Timestamp of the access that produced this state.
    pub timestamp: E,
}

impl<E> Message<E> for MemoryMessage<E> {
    const BUS: &'static BusSpec = &MEMORY;

    fn into_fields(self) -> Vec<E> {
        let [b0, b1, b2, b3] = self.value;
        vec![self.space, self.address, b0, b1, b2, b3, self.timestamp]
    }
}

/// The operations the byte table answers, and their codes in [`ByteMessage::operation`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ByteOperation {
    /// `a` and `b` are both bytes; `result` is 0.
    Range = 0,
    /// `result = a & b`.
    And = 1,
    /// `result = a | b`.
    Or = 2,
    /// `result = a ^ b`.
    Xor = 3,
    /// `result = 1` if `a < b`, else 0.
    LessThan = 4,
}

impl ByteOperation {
    /// All operations, by code.
    pub const ALL: [ByteOperation; 5] = [Self::Range, Self::And, Self::Or, Self::Xor, Self::LessThan];

    /// A short lower-case name, used in column names and reports.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Range => "range",
            Self::And => "and",
            Self::Or => "or",
            Self::Xor => "xor",
            Self::LessThan => "less_than",
        }
    }

    /// The result the table holds for bytes `a` and `b`.
    pub const fn apply(self, a: u8, b: u8) -> u8 {
        match self {
            Self::Range => 0,
            Self::And => a & b,
            Self::Or => a | b,
            Self::Xor => a ^ b,
            Self::LessThan => (a < b) as u8,
        }
    }
}

/// A byte-operation query on [`BYTE`].
#[derive(Clone, Debug)]
pub struct ByteMessage<E> {
    /// The [`ByteOperation`] code.
    pub operation: E,
    /// First operand.
    pub a: E,
    /// Second operand.
    pub b: E,
    /// The claimed result.
    pub result: E,
}

impl<E: p3_field::PrimeCharacteristicRing> ByteMessage<E> {
    /// The query that `a` and `b` are both bytes (the range operation, result 0).
    pub fn range(a: E, b: E) -> Self {
        ByteMessage { operation: E::from_u8(ByteOperation::Range as u8), a, b, result: E::ZERO }
    }
}

impl<E> Message<E> for ByteMessage<E> {
    const BUS: &'static BusSpec = &BYTE;

    fn into_fields(self) -> Vec<E> {
        vec![self.operation, self.a, self.b, self.result]
    }
}

/// A 16-bit range-check query on [`RANGE16`].
#[derive(Clone, Debug)]
pub struct Range16Message<E> {
    /// The value claimed to lie in `0..2^16`.
    pub value: E,
}

impl<E> Message<E> for Range16Message<E> {
    const BUS: &'static BusSpec = &RANGE16;

    fn into_fields(self) -> Vec<E> {
        vec![self.value]
    }
}

/// A RAM cell's boundary values on [`MEMORY_LEAF`], as 16-bit halves.
#[derive(Clone, Debug)]
pub struct MemoryLeafMessage<E> {
    /// Word address.
    pub address: E,
    /// The value at the segment's start, low half first.
    pub initial: [E; 2],
    /// The value at the segment's end, low half first.
    pub last: [E; 2],
}

impl<E> Message<E> for MemoryLeafMessage<E> {
    const BUS: &'static BusSpec = &MEMORY_LEAF;

    fn into_fields(self) -> Vec<E> {
        let ([i0, i1], [l0, l1]) = (self.initial, self.last);
        vec![self.address, i0, i1, l0, l1]
    }
}

/// A node of the memory Merkle tree on [`MERKLE_NODE`].
#[derive(Clone, Debug)]
pub struct MerkleNodeMessage<E> {
    /// Height above the leaves.
    pub level: E,
    /// Position within the level.
    pub index: E,
    /// The node's digest at the segment's start.
    pub before: [E; 8],
    /// The node's digest at the segment's end.
    pub after: [E; 8],
}

impl<E> Message<E> for MerkleNodeMessage<E> {
    const BUS: &'static BusSpec = &MERKLE_NODE;

    fn into_fields(self) -> Vec<E> {
        let mut fields = vec![self.level, self.index];
        fields.extend(self.before);
        fields.extend(self.after);
        fields
    }
}

/// The streams of the [`IO`] bus.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum IoStream {
    /// The input, by words.
    Input = 0,
    /// The public output, by bytes.
    Output = 1,
}

/// A word of the input or a byte of the public output on [`IO`].
#[derive(Clone, Debug)]
pub struct IoMessage<E> {
    /// Which stream ([`IoStream`] as a number).
    pub stream: E,
    /// Word index (input) or byte index (output).
    pub index: E,
    /// The word, least significant byte first (for the output: the byte, then zeros).
    pub value: [E; 4],
}

impl<E> Message<E> for IoMessage<E> {
    const BUS: &'static BusSpec = &IO;

    fn into_fields(self) -> Vec<E> {
        let [b0, b1, b2, b3] = self.value;
        vec![self.stream, self.index, b0, b1, b2, b3]
    }
}

/// A slot of a recursion circuit on [`WITNESS`]: its index and its value's five coefficients.
#[derive(Clone, Debug)]
pub struct WitnessMessage<E> {
    /// The slot.
    pub index: E,
    /// Its value in the degree-5 extension, coefficient of `X^k` at `k`.
    pub value: [E; 5],
}

impl<E> Message<E> for WitnessMessage<E> {
    const BUS: &'static BusSpec = &WITNESS;

    fn into_fields(self) -> Vec<E> {
        let mut fields = vec![self.index];
        fields.extend(self.value);
        fields
    }
}
