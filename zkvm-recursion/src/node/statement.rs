//! What every aggregation node proves: the [`NodeStatement`], its layout as public inputs, and
//! the chain rule that joins the statements of consecutive children (natively and as circuit
//! relations).

use p3_field::{BasedVectorSpace, PrimeCharacteristicRing, PrimeField32};
use thiserror::Error;
use zkvm_core::prover::{SegmentStatement, Val};
use zkvm_memory::merkle::{DIGEST_ELEMENTS, Digest};

use crate::circuit::{CircuitBuilder, Ext, Slot};

/// Public inputs of one machine state at a segment boundary: pc, the 32 registers as 4
/// little-endian bytes each, the input and output stream positions, the memory root.
pub const STATE_PUBLICS: usize = 1 + 32 * 4 + 2 + DIGEST_ELEMENTS;

/// Where each part of a node's statement sits among its public inputs.
pub mod layout {
    use super::{DIGEST_ELEMENTS, STATE_PUBLICS};
    use std::ops::Range;

    /// The segments' verifying key (their preprocessed commitment).
    pub const SEGMENT_KEY: Range<usize> = 0..DIGEST_ELEMENTS;
    /// The digest of the node circuits' verifying keys (the list every internal and final node
    /// takes its children's keys from).
    pub const NODE_KEYS: Range<usize> = SEGMENT_KEY.end..SEGMENT_KEY.end + DIGEST_ELEMENTS;
    /// The number of segments the node covers.
    pub const SEGMENTS: usize = NODE_KEYS.end;
    /// The state before the node's first segment.
    pub const START: Range<usize> = SEGMENTS + 1..SEGMENTS + 1 + STATE_PUBLICS;
    /// The state after its last segment.
    pub const END: Range<usize> = START.end..START.end + STATE_PUBLICS;
    /// The input's length in bytes, as 4 little-endian bytes.
    pub const INPUT_LENGTH: Range<usize> = END.end..END.end + 4;
    /// Whether the last segment halts (0 or 1).
    pub const HALTED: usize = INPUT_LENGTH.end;
    /// The exit code as 4 little-endian bytes (zero unless halted).
    pub const EXIT_CODE: Range<usize> = HALTED + 1..HALTED + 5;
    /// Number of public inputs of every node.
    pub const NODE_PUBLICS: usize = EXIT_CODE.end;

    /// Within a state: the pc.
    pub const PC: usize = 0;
    /// Within a state: the registers' bytes.
    pub const REGISTERS: Range<usize> = 1..129;
    /// Within a state: the input stream position (words read).
    pub const INPUT_POSITION: usize = 129;
    /// Within a state: the output stream position (bytes committed).
    pub const OUTPUT_POSITION: usize = 130;
    /// Within a state: the memory root.
    pub const MEMORY_ROOT: Range<usize> = 131..131 + DIGEST_ELEMENTS;
}

/// The machine state at a segment boundary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BoundaryState {
    /// The pc.
    pub pc: u32,
    /// The registers.
    pub registers: [u32; 32],
    /// Input words read so far.
    pub input_position: u32,
    /// Output bytes committed so far.
    pub output_position: u32,
    /// The memory root.
    pub memory_root: Digest,
}

impl BoundaryState {
    /// The state at a program's entry: pc `entry_pc`, zero registers, both streams at their
    /// start, memory the image whose root is `image_root`.
    pub fn entry(entry_pc: u32, image_root: Digest) -> Self {
        BoundaryState {
            pc: entry_pc,
            registers: [0; 32],
            input_position: 0,
            output_position: 0,
            memory_root: image_root,
        }
    }
}

/// What a node's proof attests: a run of consecutive segments of one statement (the segments'
/// verifying key binds the program, the input, the public output and the chipset) goes from
/// `start` to `end`; no segment but the last halts, and the last halts iff `halted`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeStatement {
    /// The segments' verifying key: their preprocessed commitment.
    pub segment_key: Digest,
    /// The digest of the node circuits' verifying keys
    /// ([`NodeCircuits::digest`](super::NodeCircuits::digest)): a node accepts a child proof
    /// only under a key of that list.
    pub node_keys: Digest,
    /// The number of segments covered, from the first to the last.
    pub segments: u32,
    /// The state before the first segment.
    pub start: BoundaryState,
    /// The state after the last segment.
    pub end: BoundaryState,
    /// The input's length in bytes.
    pub input_length: u32,
    /// Whether the last segment halts.
    pub halted: bool,
    /// The exit code (zero unless `halted`).
    pub exit_code: u32,
}

/// Why statements do not form a node's statement, or public inputs are not one.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum StatementError {
    /// No children.
    #[error("a node needs at least one child")]
    Empty,
    /// Child `index` does not start where child `index - 1` ends, or disagrees with it on the
    /// keys or the input length, or follows a child that halted.
    #[error("child {index} does not follow child {}: {reason}", index - 1)]
    Chain {
        /// The later child.
        index: usize,
        /// What differs.
        reason: &'static str,
    },
    /// Public inputs that are not the encoding of a statement.
    #[error("public inputs are not a node statement: {0}")]
    Encoding(&'static str),
}

impl BoundaryState {
    fn encode(&self, out: &mut Vec<Val>) {
        out.push(Val::new(self.pc));
        for register in self.registers {
            out.extend(register.to_le_bytes().map(|b| Val::new(b.into())));
        }
        out.push(Val::new(self.input_position));
        out.push(Val::new(self.output_position));
        out.extend(self.memory_root);
    }

    fn decode(values: &[Val]) -> Result<Self, StatementError> {
        let bytes = &values[layout::REGISTERS];
        let mut registers = [0; 32];
        for (register, word_bytes) in registers.iter_mut().zip(bytes.chunks(4)) {
            *register = word(word_bytes).ok_or(StatementError::Encoding("a register byte above 255"))?;
        }
        Ok(BoundaryState {
            pc: values[layout::PC].as_canonical_u32(),
            registers,
            input_position: values[layout::INPUT_POSITION].as_canonical_u32(),
            output_position: values[layout::OUTPUT_POSITION].as_canonical_u32(),
            memory_root: std::array::from_fn(|k| values[layout::MEMORY_ROOT.start + k]),
        })
    }
}

/// The little-endian word of four byte values (`None` if one is above 255).
fn word(bytes: &[Val]) -> Option<u32> {
    bytes.iter().rev().try_fold(0u32, |acc, b| {
        let b = b.as_canonical_u32();
        (b <= 255).then_some(acc << 8 | b)
    })
}

impl NodeStatement {
    /// The statement of one segment whose proof verifies under `segment_key` with the decoded
    /// public values `segment`, aggregated by node circuits whose keys' digest is `node_keys`.
    pub fn of_segment(segment_key: Digest, node_keys: Digest, segment: &SegmentStatement) -> Self {
        let state = |i: usize| BoundaryState {
            pc: [segment.initial_pc, segment.final_pc][i],
            registers: [segment.start_registers, segment.end_registers][i],
            input_position: segment.input_position[i],
            output_position: segment.output_position[i],
            memory_root: segment.memory_root[i],
        };
        NodeStatement {
            segment_key,
            node_keys,
            segments: 1,
            start: state(0),
            end: state(1),
            input_length: segment.input_length,
            halted: segment.exit_code.is_some(),
            exit_code: segment.exit_code.unwrap_or(0),
        }
    }

    /// The statement of consecutive children: each starts where the previous ends, under the
    /// same keys and input length, and none but the last halts; it covers their segments.
    pub fn join(children: &[NodeStatement]) -> Result<Self, StatementError> {
        let (first, last) = match children {
            [] => return Err(StatementError::Empty),
            [first, .., last] => (first, last),
            [only] => (only, only),
        };
        for (index, pair) in children.windows(2).enumerate().map(|(i, pair)| (i + 1, pair)) {
            let chain = |reason| Err(StatementError::Chain { index, reason });
            if pair[0].halted {
                return chain("it follows a child that halted");
            }
            if pair[1].segment_key != pair[0].segment_key {
                return chain("another segment key");
            }
            if pair[1].node_keys != pair[0].node_keys {
                return chain("another node-key digest");
            }
            if pair[1].input_length != pair[0].input_length {
                return chain("another input length");
            }
            if pair[1].start != pair[0].end {
                return chain("its start state is not the previous end state");
            }
        }
        let segments = children
            .iter()
            .try_fold(0u32, |total, child| total.checked_add(child.segments))
            .filter(|&total| total < Val::ORDER_U32)
            .ok_or(StatementError::Encoding("more segments than the field counts"))?;
        Ok(NodeStatement { start: first.start.clone(), segments, ..last.clone() })
    }

    /// The statement as base-field values in [`layout`] order.
    pub fn to_values(&self) -> Vec<Val> {
        let mut out = Vec::with_capacity(layout::NODE_PUBLICS);
        out.extend(self.segment_key);
        out.extend(self.node_keys);
        out.push(Val::new(self.segments));
        self.start.encode(&mut out);
        self.end.encode(&mut out);
        out.extend(self.input_length.to_le_bytes().map(|b| Val::new(b.into())));
        out.push(Val::from_bool(self.halted));
        out.extend(self.exit_code.to_le_bytes().map(|b| Val::new(b.into())));
        out
    }

    /// The statement as a node circuit's public inputs.
    pub fn to_publics(&self) -> Vec<Ext> {
        self.to_values().into_iter().map(Ext::from).collect()
    }

    /// Decodes a node circuit's public inputs.
    pub fn from_publics(publics: &[Ext]) -> Result<Self, StatementError> {
        if publics.len() != layout::NODE_PUBLICS {
            return Err(StatementError::Encoding("wrong number of public inputs"));
        }
        let values: Vec<Val> = publics
            .iter()
            .map(|p| {
                let c: &[Val] = p.as_basis_coefficients_slice();
                c[1..].iter().all(|x| *x == Val::ZERO).then_some(c[0])
            })
            .collect::<Option<_>>()
            .ok_or(StatementError::Encoding("a public input outside the base field"))?;
        let bytes = |range: std::ops::Range<usize>| {
            word(&values[range]).ok_or(StatementError::Encoding("a byte above 255"))
        };
        let halted = match values[layout::HALTED].as_canonical_u32() {
            0 => false,
            1 => true,
            _ => return Err(StatementError::Encoding("halted is not a bit")),
        };
        Ok(NodeStatement {
            segment_key: std::array::from_fn(|k| values[layout::SEGMENT_KEY.start + k]),
            node_keys: std::array::from_fn(|k| values[layout::NODE_KEYS.start + k]),
            segments: values[layout::SEGMENTS].as_canonical_u32(),
            start: BoundaryState::decode(&values[layout::START])?,
            end: BoundaryState::decode(&values[layout::END])?,
            input_length: bytes(layout::INPUT_LENGTH)?,
            halted,
            exit_code: bytes(layout::EXIT_CODE)?,
        })
    }
}

/// A node statement in slots, in [`layout`] order.
#[derive(Clone, Debug)]
pub struct StatementSlots(pub Vec<Slot>);

impl StatementSlots {
    /// The statement of consecutive children, as relations: for each pair, the later one's keys,
    /// input length and start state equal the earlier one's keys, input length and end state,
    /// and the earlier one's halted flag is zero. The result takes the first child's start, the
    /// last child's end, halted flag and exit code, and the sum of their segment counts.
    ///
    /// # Panics
    /// If `children` is empty.
    pub fn join(builder: &mut CircuitBuilder, children: &[StatementSlots]) -> StatementSlots {
        let zero = builder.zero();
        for pair in children.windows(2) {
            let (earlier, later) = (&pair[0].0, &pair[1].0);
            // C1: the segments' key, the node keys' digest and the input length are shared.
            for k in layout::SEGMENT_KEY.chain(layout::NODE_KEYS).chain(layout::INPUT_LENGTH) {
                builder.assert_eq(later[k], earlier[k]);
            }
            // C2: the later child starts in the state where the earlier one ends.
            for (s, e) in layout::START.zip(layout::END) {
                builder.assert_eq(later[s], earlier[e]);
            }
            // C3: only the last child may halt.
            builder.assert_eq(earlier[layout::HALTED], zero);
        }
        let first = &children.first().expect("a node has children").0;
        let last = &children.last().expect("a node has children").0;
        let mut joined = last.clone();
        joined[layout::START].copy_from_slice(&first[layout::START]);
        // C4: the node covers its children's segments.
        joined[layout::SEGMENTS] = children
            .iter()
            .map(|child| child.0[layout::SEGMENTS])
            .reduce(|total, count| builder.add(total, count))
            .expect("a node has children");
        StatementSlots(joined)
    }

    /// Requires the circuit's public inputs to be this statement (P1).
    pub fn expose(&self, builder: &mut CircuitBuilder) {
        for (k, &slot) in self.0.iter().enumerate() {
            let public = builder.public(k as u32);
            builder.assert_eq(public, slot);
        }
    }
}
