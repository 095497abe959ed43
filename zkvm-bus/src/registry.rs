//! The registry: every bus of the machine, in one place.
//!
//! A bus is a named LogUp argument shared by several chips. Each bus has a numeric id (stable,
//! used in the inventory and the whitepaper), a name (the key Plonky3's lookup argument uses to
//! group interactions and draw the bus's own challenges), a kind, and a message layout: the
//! ordered fields every message on the bus carries. No other crate spells a bus id or name.

use serde::Serialize;

/// Numeric identifier of a bus. Ids are unique and never reused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct BusId(pub u16);

/// How the messages on a bus must balance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum BusKind {
    /// Every message sent is received exactly once: the multiset of sends equals the multiset
    /// of receives. Both sides use boolean multiplicities (e.g. the memory argument).
    Permutation,
    /// Queries are answered by a table: each query is sent with multiplicity 1 (or a boolean
    /// selector) and the table provides each of its rows with a multiplicity column that
    /// counts how often the row was queried (e.g. range checks).
    Lookup,
}

/// One field of a bus message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct FieldSpec {
    /// Short name, used in inventories and debug reports.
    pub name: &'static str,
    /// What the field holds and which values it may take.
    pub meaning: &'static str,
}

/// A bus: its identity, kind and message layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct BusSpec {
    /// Stable numeric id.
    pub id: BusId,
    /// Unique name; the key of the bus in the lookup argument.
    pub name: &'static str,
    /// How messages balance.
    pub kind: BusKind,
    /// The message layout, in order.
    pub fields: &'static [FieldSpec],
    /// One sentence on what the bus carries and why it is sound.
    pub summary: &'static str,
}

impl BusSpec {
    /// Number of field elements in every message.
    pub const fn width(&self) -> usize {
        self.fields.len()
    }
}

const fn field(name: &'static str, meaning: &'static str) -> FieldSpec {
    FieldSpec { name, meaning }
}

/// The program: instruction fetch. The program table (a preprocessed trace, fixed by the
/// verifying key) provides one message per instruction word; the CPU queries the word at its pc.
pub const PROGRAM: BusSpec = BusSpec {
    id: BusId(0),
    name: "program",
    kind: BusKind::Lookup,
    fields: &[
        field("pc", "address of the instruction (a multiple of 4, below the field modulus)"),
        field("opcode", "index of the operation (zkvm_core::isa::Opcode)"),
        field("rd", "destination register, 0..32"),
        field("rs1", "first source register, 0..32"),
        field("rs2", "second source register, 0..32"),
        field("imm0", "least significant byte of the sign-extended immediate"),
        field("imm1", "second byte of the immediate"),
        field("imm2", "third byte of the immediate"),
        field("imm3", "most significant byte of the immediate"),
        field("rd_nonzero", "1 if rd is not x0 (the instruction's result is written), else 0"),
    ],
    summary: "Instruction fetch: every executed (pc, instruction) must be a row of the program \
              table, which the verifying key commits to.",
};

/// The memory argument: registers and RAM as timestamped, word-sized cells.
pub const MEMORY: BusSpec = BusSpec {
    id: BusId(1),
    name: "memory",
    kind: BusKind::Permutation,
    fields: &[
        field("space", "address space: 0 registers, 1 RAM"),
        field("address", "register number, or word address (byte address / 4)"),
        field("byte0", "least significant byte of the value, 0..256"),
        field("byte1", "second byte of the value, 0..256"),
        field("byte2", "third byte of the value, 0..256"),
        field("byte3", "most significant byte of the value, 0..256"),
        field("timestamp", "time of the access within the segment (0 = segment start)"),
    ],
    summary: "Offline memory checking: each access receives the cell's previous (value, \
              timestamp) and sends the new one with a strictly larger timestamp; the boundary \
              chip sends every touched cell's initial state and receives its final state.",
};

/// Byte operations, answered by the byte table (all pairs of bytes).
pub const BYTE: BusSpec = BusSpec {
    id: BusId(2),
    name: "byte",
    kind: BusKind::Lookup,
    fields: &[
        field("operation", "which byte operation (range, and, or, xor, less-than)"),
        field("a", "first operand, 0..256"),
        field("b", "second operand, 0..256"),
        field("result", "the operation applied to a and b"),
    ],
    summary: "Byte range checks and bitwise byte operations: every query must be a row of the \
              preprocessed table of all 2^16 byte pairs.",
};

/// 16-bit range checks, answered by the table of 0..2^16.
pub const RANGE16: BusSpec = BusSpec {
    id: BusId(3),
    name: "range16",
    kind: BusKind::Lookup,
    fields: &[field("value", "the value checked to lie in 0..2^16")],
    summary: "16-bit range checks (timestamp differences, immediates): every query must be a \
              row of the preprocessed table 0..2^16.",
};

/// Execution: the CPU hands each instruction, with its operands and result, to the chip of its
/// instruction family.
pub const EXECUTE: BusSpec = BusSpec {
    id: BusId(4),
    name: "execute",
    kind: BusKind::Permutation,
    fields: &[
        field("clk", "cycle index within the segment"),
        field("opcode", "index of the operation (zkvm_core::isa::Opcode)"),
        field("pc", "address of the instruction"),
        field("next_pc", "address of the next instruction"),
        field("rs1_0", "value of rs1, byte 0 (least significant)"),
        field("rs1_1", "value of rs1, byte 1"),
        field("rs1_2", "value of rs1, byte 2"),
        field("rs1_3", "value of rs1, byte 3"),
        field("rs2_0", "value of rs2, byte 0"),
        field("rs2_1", "value of rs2, byte 1"),
        field("rs2_2", "value of rs2, byte 2"),
        field("rs2_3", "value of rs2, byte 3"),
        field("imm0", "immediate, byte 0"),
        field("imm1", "immediate, byte 1"),
        field("imm2", "immediate, byte 2"),
        field("imm3", "immediate, byte 3"),
        field("rd_0", "result written to rd, byte 0"),
        field("rd_1", "result, byte 1"),
        field("rd_2", "result, byte 2"),
        field("rd_3", "result, byte 3"),
    ],
    summary: "Each executed instruction is sent once by the CPU and received once by the chip \
              of its family, which proves that the result and the next pc follow from the \
              operands.",
};

/// The input and the public output: words of the input and bytes of the output, by position.
pub const IO: BusSpec = BusSpec {
    id: BusId(6),
    name: "io",
    kind: BusKind::Lookup,
    fields: &[
        field("stream", "0 input (words), 1 public output (bytes)"),
        field("index", "word index in the input, or byte index in the output"),
        field("byte0", "byte 0 of the word (the output byte itself for the output)"),
        field("byte1", "byte 1 of the word (0 for the output)"),
        field("byte2", "byte 2 of the word (0 for the output)"),
        field("byte3", "byte 3 of the word (0 for the output)"),
    ],
    summary: "The io table (preprocessed from the statement's input and public output, so the \
              verifier rebuilds it) answers READ_WORD queries and receives each COMMIT; output \
              rows must be received exactly once, so the committed bytes are exactly the \
              claimed output.",
};

/// The RAM boundary hands every cell's initial and final value to the Merkle chip's leaf row of
/// its address. (Id 5, the retired `memory_image` bus, is not reused.)
pub const MEMORY_LEAF: BusSpec = BusSpec {
    id: BusId(7),
    name: "memory_leaf",
    kind: BusKind::Permutation,
    fields: &[
        field("address", "word address (byte address / 4)"),
        field("initial_low", "low 16 bits of the value at the segment's start"),
        field("initial_high", "high 16 bits of the value at the segment's start"),
        field("final_low", "low 16 bits of the value at the segment's end"),
        field("final_high", "high 16 bits of the value at the segment's end"),
    ],
    summary: "Each RAM boundary row sends its cell once; the Merkle chip's leaf row of the cell's \
              8-word leaf receives it, so every cell's initial value is opened against the start \
              memory root and its final value is hashed into the end root.",
};

/// Nodes of the memory Merkle tree: a node row sends its (level, index, digest before, digest
/// after); the row of its parent receives it as a child.
pub const MERKLE_NODE: BusSpec = BusSpec {
    id: BusId(8),
    name: "merkle_node",
    kind: BusKind::Permutation,
    fields: &[
        field("level", "height above the leaves (0 = leaf, 27 = root)"),
        field("index", "position within the level, 0..2^(27 - level)"),
        field("before0", "digest at the segment's start, element 0"),
        field("before1", "digest before, element 1"),
        field("before2", "digest before, element 2"),
        field("before3", "digest before, element 3"),
        field("before4", "digest before, element 4"),
        field("before5", "digest before, element 5"),
        field("before6", "digest before, element 6"),
        field("before7", "digest before, element 7"),
        field("after0", "digest at the segment's end, element 0"),
        field("after1", "digest after, element 1"),
        field("after2", "digest after, element 2"),
        field("after3", "digest after, element 3"),
        field("after4", "digest after, element 4"),
        field("after5", "digest after, element 5"),
        field("after6", "digest after, element 6"),
        field("after7", "digest after, element 7"),
    ],
    summary: "Every node of the touched part of the memory tree, except the root, is sent once by \
              its own row and received once by its parent's row, so the rows form one tree whose \
              root is the public memory root.",
};

/// The witness of a recursion circuit: slot `index` holds the extension-field element
/// `(v0, ..., v4)`. The witness table provides every slot once (its index column is fixed by the
/// verifying key); every operation row of the circuit queries the slots it reads or writes, so
/// all uses of a slot see one value.
pub const WITNESS: BusSpec = BusSpec {
    id: BusId(9),
    name: "witness",
    kind: BusKind::Lookup,
    fields: &[
        field("index", "the slot, 0 .. number of slots (below 2^24)"),
        field("v0", "the slot's value, coefficient of 1 in the degree-5 extension"),
        field("v1", "coefficient of X"),
        field("v2", "coefficient of X^2"),
        field("v3", "coefficient of X^3"),
        field("v4", "coefficient of X^4"),
    ],
    summary: "Wires of a recursion circuit: every read or write of a slot by an arithmetic, \
              Poseidon2 or public-input row must be a row of the witness table, which holds \
              each slot exactly once, so all uses of a slot agree.",
};

/// Every bus of the recursion circuits, by id.
pub const RECURSION_BUSES: &[BusSpec] = &[WITNESS];

/// Ids that buses held once and that are never given again: 5 was `memory_image` (the ELF's
/// words sent to the RAM boundary), replaced by the memory Merkle tree.
pub const RETIRED_BUS_IDS: &[BusId] = &[BusId(5)];

/// Every bus of the core machine, by id.
pub const CORE_BUSES: &[BusSpec] = &[PROGRAM, MEMORY, BYTE, RANGE16, EXECUTE, IO, MEMORY_LEAF, MERKLE_NODE];

/// Looks a core bus up by name.
pub fn bus_by_name(name: &str) -> Option<&'static BusSpec> {
    CORE_BUSES.iter().find(|bus| bus.name == name)
}
