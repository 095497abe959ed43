//! Writing a recursion circuit: slots, the relations between them, and the program that fills
//! them.
//!
//! Relations are what the tables check; the fill program is how the prover computes the
//! slots. `sub` and `div` are written as the relations `a = b + out` and `a = b * out`, so the
//! tables need only addition and multiplication.

pub mod base;
pub mod census;
pub mod hints;
pub mod witness;

use std::collections::BTreeMap;

use p3_baby_bear::BabyBear;
use p3_field::{BasedVectorSpace, PrimeCharacteristicRing, PrimeField32};
use thiserror::Error;

use crate::tables::poseidon2::Poseidon2Layout;
use crate::tables::public::PUBLIC_TABLE_HEIGHT;
use crate::tables::{Lanes, MIN_HEIGHT, TableLayout, growing_table_heights};

pub use census::PartCount;
pub use hints::HintValues;
pub use witness::{as_base, fill};

/// The field every slot holds: BabyBear's degree-5 binomial extension (the proof system's
/// challenge field).
pub type Ext = zkvm_core::prover::Challenge;

/// Width of the Poseidon2 permutation.
pub const POSEIDON2_WIDTH: usize = 16;

/// A slot of the circuit's witness.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Slot(pub u32);

/// Which arithmetic relation a row checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArithKind {
    /// `a + b = out`.
    Add,
    /// `a * b = out`.
    Mul,
    /// `a * b + c = out` (one relation where a multiplication and an addition would take two:
    /// a sum of products, such as the PCS verifier's combination of an opened row with powers
    /// of alpha, costs one relation per term).
    MulAdd {
        /// The addend's slot.
        c: Slot,
    },
}

/// One arithmetic relation between three slots.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArithOp {
    /// The relation.
    pub kind: ArithKind,
    /// First operand.
    pub a: Slot,
    /// Second operand.
    pub b: Slot,
    /// Result.
    pub out: Slot,
}

impl ArithOp {
    /// The same relation over the slots `ids` gives ([`Circuit::witness_ids`]).
    pub fn renumbered(&self, ids: &[u32]) -> ArithOp {
        let id = |slot: Slot| Slot(ids[slot.0 as usize]);
        let kind = match self.kind {
            ArithKind::MulAdd { c } => ArithKind::MulAdd { c: id(c) },
            kind => kind,
        };
        ArithOp { kind, a: id(self.a), b: id(self.b), out: id(self.out) }
    }

    /// The addend's slot of a multiply-add relation (`None` for the others).
    pub fn addend(&self) -> Option<Slot> {
        match self.kind {
            ArithKind::MulAdd { c } => Some(c),
            ArithKind::Add | ArithKind::Mul => None,
        }
    }
}

/// One Poseidon2 permutation over base-field slots: `output = Poseidon2(input)` when the slot
/// `swap` holds 0, and `output = Poseidon2(input[8..16] || input[0..8])` when it holds 1 (the
/// table forces it to be one or the other). A Merkle path step hashes its two children in the
/// order the index bit gives this way, with no arithmetic rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Poseidon2Op {
    /// The input state.
    pub input: [Slot; POSEIDON2_WIDTH],
    /// The bit that exchanges the input's halves (the zero constant's slot for a plain
    /// permutation).
    pub swap: Slot,
    /// The first slot of the output: the kept outputs take consecutive slots from it
    /// ([`Self::output_slots`]), so the table fixes one slot column, not sixteen.
    pub first_output: Slot,
    /// The halves of the output state the circuit reads, the only ones given slots.
    pub halves: OutputHalves,
}

/// Which halves of a permutation's output state get slots: a compression reads only the first
/// eight elements (the digest), a sponge step followed by a full block only the last eight
/// (the block overwrites the rest), so neither pays slots, witness rows and bus messages for
/// the half it drops.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputHalves {
    /// All sixteen outputs.
    Both,
    /// Outputs 0..8.
    First,
    /// Outputs 8..16.
    Second,
}

impl OutputHalves {
    /// Whether outputs 0..8 get slots.
    pub fn first(self) -> bool {
        matches!(self, OutputHalves::Both | OutputHalves::First)
    }

    /// Whether outputs 8..16 get slots.
    pub fn second(self) -> bool {
        matches!(self, OutputHalves::Both | OutputHalves::Second)
    }

    /// Number of output slots.
    pub fn slot_count(self) -> usize {
        HALF_WIDTH * (usize::from(self.first()) + usize::from(self.second()))
    }
}

/// Half the permutation's width: the length of a digest, of each half the swap exchanges and
/// of each output half a permutation may keep.
pub const HALF_WIDTH: usize = POSEIDON2_WIDTH / 2;

/// `N` consecutive slots from `first`.
fn consecutive_slots<const N: usize>(first: Slot) -> [Slot; N] {
    std::array::from_fn(|k| Slot(first.0 + k as u32))
}

impl Poseidon2Op {
    /// The same permutation over the slots `ids` gives ([`Circuit::witness_ids`]: a
    /// permutation's kept outputs are base slots, so their ids stay consecutive).
    ///
    /// # Panics
    /// If the kept outputs' ids are not consecutive (an output written into a public input's
    /// slot: a bug in the circuit's construction, which the table could not prove).
    pub fn renumbered(&self, ids: &[u32]) -> Poseidon2Op {
        let id = |slot: Slot| Slot(ids[slot.0 as usize]);
        let renumbered = Poseidon2Op {
            input: self.input.map(id),
            swap: id(self.swap),
            first_output: id(self.first_output),
            ..*self
        };
        let consecutive =
            self.output_slots().zip(renumbered.output_slots()).all(|((_, slot), (_, new))| id(slot) == new);
        assert!(consecutive, "a permutation's kept outputs keep consecutive witness ids");
        renumbered
    }

    /// The kept outputs, each as `(k, slot)` with `k` its position in the output state: from
    /// `first_output` on, the first half's (if kept), then the second half's (if kept).
    pub fn output_slots(&self) -> impl Iterator<Item = (usize, Slot)> + use<> {
        let halves = self.halves;
        let first = self.first_output.0;
        let skipped = if halves.first() { 0 } else { HALF_WIDTH as u32 };
        (0..POSEIDON2_WIDTH)
            .filter(move |&k| if k < HALF_WIDTH { halves.first() } else { halves.second() })
            .map(move |k| (k, Slot(first + k as u32 - skipped)))
    }
}

/// How the prover fills a slot that no constant, public input or hint gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Step {
    /// `out = a + b`.
    Add { a: Slot, b: Slot, out: Slot },
    /// `out = a - b`.
    Sub { a: Slot, b: Slot, out: Slot },
    /// `out = a * b`.
    Mul { a: Slot, b: Slot, out: Slot },
    /// `out = a * b + c`.
    MulAdd { a: Slot, b: Slot, c: Slot, out: Slot },
    /// `out = c - a * b`.
    MulSub { a: Slot, b: Slot, c: Slot, out: Slot },
    /// `out = a / b`.
    Div { a: Slot, b: Slot, out: Slot },
    /// `output = Poseidon2(input)`.
    Poseidon2(Poseidon2Op),
    /// `bits` = the canonical binary digits of the base-field element `input`, least
    /// significant first.
    Bits { input: Slot, bits: [Slot; BASE_BITS] },
    /// `coefficients` = the five base-field coefficients of `input`.
    Coefficients { input: Slot, coefficients: [Slot; EXT_DEGREE] },
}

/// Degree of the extension every slot holds.
pub const EXT_DEGREE: usize = 5;

/// Bits of a BabyBear element.
pub const BASE_BITS: usize = 31;

/// A circuit: its slots, which of them are constants, public inputs and hints, and its
/// relations. The relations and constants are the verifying key's part; the fill program and
/// the hints are the prover's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Circuit {
    /// Number of slots.
    pub num_slots: u32,
    /// Number of public inputs: slots `0 .. num_publics`.
    pub num_publics: u32,
    /// Constant slots and their values.
    pub constants: Vec<(Slot, Ext)>,
    /// Slots the prover supplies freely (non-deterministic advice), in the order of the hint
    /// list.
    pub hints: Vec<Slot>,
    /// Arithmetic relations.
    pub arith: Vec<ArithOp>,
    /// Poseidon2 permutations.
    pub poseidon2: Vec<Poseidon2Op>,
    /// For every slot, whether every honest filling puts a base-field element in it
    /// ([`base::classify_base_slots`] says when): the witness table holds such a slot in a base
    /// lane, one column instead of five, which forces it. Set when the circuit is built.
    pub base: Vec<bool>,
    /// The fewest rows the witness, arith and poseidon2 tables have (powers of two, or zero
    /// for none): the node circuits are padded to one set of heights, so that every node
    /// proof has the same shape and one parent circuit verifies any of them.
    pub min_rows: [usize; 3],
    /// How the Poseidon2 table lays out a permutation (with S-box registers unless the circuit
    /// is the final one at a rate that allows the compact layout).
    pub poseidon2_layout: Poseidon2Layout,
    /// Slots per witness row and relations per arith row ([`Lanes::NODE`] unless the circuit
    /// is the final one, [`Lanes::for_final`]).
    pub lanes: Lanes,
    /// Whether the witness, arith and poseidon2 tables are one table
    /// ([`TableLayout::Separate`] unless the circuit is the final one).
    pub table_layout: TableLayout,
    pub(crate) steps: Vec<Step>,
    /// Where each labelled part of the construction starts ([`Circuit::census`]).
    pub(crate) parts: Vec<census::PartStart>,
}

impl Circuit {
    /// Pads the witness, arith and poseidon2 tables to at least `rows` rows each (powers of
    /// two; the padding rows read and write nothing).
    ///
    /// # Panics
    /// If a count is not a power of two.
    pub fn pad_to(&mut self, rows: [usize; 3]) {
        assert!(rows.iter().all(|r| r.is_power_of_two()), "table heights are powers of two");
        self.min_rows = rows;
    }

    /// Lays the circuit out as the final circuit proven under `parameters`: the poseidon2
    /// layout [`Poseidon2Layout::for_final`] picks, the lanes [`Lanes::for_final`] picks for
    /// its slots, relations and permutations, and its witness, arith, poseidon2 and public
    /// tables merged into one, padded to the tallest's height and to at least the public
    /// table's rows (so call it on the finished circuit).
    pub fn use_final_layout(&mut self, parameters: &zkvm_core::prover::ProofParameters) {
        self.poseidon2_layout = Poseidon2Layout::for_final(parameters);
        self.lanes = Lanes::for_final(self);
        // At least the public table's rows: they hold every constant a circuit may have, and
        // FRI may stop at a final polynomial of up to 2^10 coefficients, as over the separate
        // tables.
        let tallest = growing_table_heights(self).into_iter().max().unwrap_or(MIN_HEIGHT);
        self.pad_to([tallest.max(PUBLIC_TABLE_HEIGHT); 3]);
        self.table_layout = TableLayout::Merged;
    }
}

/// Writes a circuit.
#[derive(Debug)]
pub struct CircuitBuilder {
    circuit: Circuit,
    /// Each constant's slot, by its coefficients: one slot per distinct constant.
    constant_slots: BTreeMap<[u32; 5], Slot>,
}

impl CircuitBuilder {
    /// A circuit whose first `num_publics` slots are its public inputs (see [`Self::public`]).
    pub fn new(num_publics: u32) -> Self {
        let circuit = Circuit {
            num_slots: num_publics,
            num_publics,
            constants: Vec::new(),
            hints: Vec::new(),
            arith: Vec::new(),
            poseidon2: Vec::new(),
            base: Vec::new(),
            min_rows: [0; 3],
            poseidon2_layout: Poseidon2Layout::Registers,
            lanes: Lanes::NODE,
            table_layout: TableLayout::Separate,
            steps: Vec::new(),
            parts: Vec::new(),
        };
        CircuitBuilder { circuit, constant_slots: BTreeMap::new() }
    }

    /// The slot of public input `position`.
    pub fn public(&self, position: u32) -> Slot {
        assert!(position < self.circuit.num_publics, "public input {position} is not declared");
        Slot(position)
    }

    fn new_slot(&mut self) -> Slot {
        let slot = Slot(self.circuit.num_slots);
        self.circuit.num_slots += 1;
        slot
    }

    /// A slot holding `value` (fixed by the verifying key); one slot per distinct constant.
    pub fn constant(&mut self, value: Ext) -> Slot {
        let coefficients: &[BabyBear] = value.as_basis_coefficients_slice();
        let key: [u32; 5] = std::array::from_fn(|k| coefficients[k].as_canonical_u32());
        if let Some(&slot) = self.constant_slots.get(&key) {
            return slot;
        }
        let slot = self.new_slot();
        self.circuit.constants.push((slot, value));
        self.constant_slots.insert(key, slot);
        slot
    }

    /// The slot holding zero.
    pub fn zero(&mut self) -> Slot {
        self.constant(Ext::ZERO)
    }

    /// A slot holding the base-field constant `value`.
    pub fn constant_base(&mut self, value: u32) -> Slot {
        self.constant(Ext::from(BabyBear::new(value)))
    }

    /// A slot the prover fills with the next value of its hint list.
    pub fn hint(&mut self) -> Slot {
        let slot = self.new_slot();
        self.circuit.hints.push(slot);
        slot
    }

    fn relation(&mut self, kind: ArithKind, a: Slot, b: Slot, out: Slot) {
        self.circuit.arith.push(ArithOp { kind, a, b, out });
    }

    /// `a + b`.
    pub fn add(&mut self, a: Slot, b: Slot) -> Slot {
        let out = self.new_slot();
        self.relation(ArithKind::Add, a, b, out);
        self.circuit.steps.push(Step::Add { a, b, out });
        out
    }

    /// `a - b` (the relation `b + out = a`).
    pub fn sub(&mut self, a: Slot, b: Slot) -> Slot {
        let out = self.new_slot();
        self.relation(ArithKind::Add, b, out, a);
        self.circuit.steps.push(Step::Sub { a, b, out });
        out
    }

    /// `a * b`.
    pub fn mul(&mut self, a: Slot, b: Slot) -> Slot {
        let out = self.new_slot();
        self.relation(ArithKind::Mul, a, b, out);
        self.circuit.steps.push(Step::Mul { a, b, out });
        out
    }

    /// `a * b + c`, one relation.
    pub fn mul_add(&mut self, a: Slot, b: Slot, c: Slot) -> Slot {
        let out = self.new_slot();
        self.circuit.arith.push(ArithOp { kind: ArithKind::MulAdd { c }, a, b, out });
        self.circuit.steps.push(Step::MulAdd { a, b, c, out });
        out
    }

    /// `a / b` (the relation `b * out = a`; filling fails if `b` is zero).
    pub fn div(&mut self, a: Slot, b: Slot) -> Slot {
        let out = self.new_slot();
        self.relation(ArithKind::Mul, b, out, a);
        self.circuit.steps.push(Step::Div { a, b, out });
        out
    }

    /// Requires `a * b + c = out` of slots that already have values (no new slot, no filling
    /// step): a computation whose last multiply-add must equal a known slot ends in it instead
    /// of in a new slot and an equality.
    fn mul_add_into(&mut self, a: Slot, b: Slot, c: Slot, out: Slot) {
        self.circuit.arith.push(ArithOp { kind: ArithKind::MulAdd { c }, a, b, out });
    }

    /// Requires `a = b` (the relation `b + 0 = a`).
    pub fn assert_eq(&mut self, a: Slot, b: Slot) {
        let zero = self.zero();
        self.relation(ArithKind::Add, b, zero, a);
    }

    /// The Poseidon2 permutation of sixteen base-field slots (filling fails if one of them is
    /// not a base-field element; the table forces it).
    pub fn poseidon2(&mut self, input: [Slot; POSEIDON2_WIDTH]) -> [Slot; POSEIDON2_WIDTH] {
        let zero = self.zero();
        self.poseidon2_swapped(zero, input)
    }

    /// The Poseidon2 permutation of `input` with its halves exchanged first if `swap` holds 1
    /// (see [`Poseidon2Op`]). The table forces `swap` to hold 0 or 1; filling fails otherwise.
    pub fn poseidon2_swapped(
        &mut self,
        swap: Slot,
        input: [Slot; POSEIDON2_WIDTH],
    ) -> [Slot; POSEIDON2_WIDTH] {
        consecutive_slots(self.push_poseidon2(swap, input, OutputHalves::Both))
    }

    /// Outputs 0..8 of [`Self::poseidon2_swapped`] (a compression's digest): outputs 8..16 get
    /// no slots, so the circuit cannot read them.
    pub fn poseidon2_first_half(&mut self, swap: Slot, input: [Slot; POSEIDON2_WIDTH]) -> [Slot; HALF_WIDTH] {
        consecutive_slots(self.push_poseidon2(swap, input, OutputHalves::First))
    }

    /// Outputs 8..16 of [`Self::poseidon2_swapped`] (a sponge's capacity before a full block
    /// overwrites the rest): outputs 0..8 get no slots, so the circuit cannot read them.
    pub fn poseidon2_second_half(
        &mut self,
        swap: Slot,
        input: [Slot; POSEIDON2_WIDTH],
    ) -> [Slot; HALF_WIDTH] {
        consecutive_slots(self.push_poseidon2(swap, input, OutputHalves::Second))
    }

    /// Outputs 0..8 of [`Self::poseidon2_swapped`] written to the eight consecutive slots from
    /// `first_output`, which already hold (or will hold) values: the witness bus then makes the
    /// digest equal to them with no relation (a Merkle path ending at its root). Filling fails
    /// if a slot already holds another value.
    ///
    /// # Panics
    /// If `output`'s slots are not consecutive.
    pub fn poseidon2_first_half_into(
        &mut self,
        swap: Slot,
        input: [Slot; POSEIDON2_WIDTH],
        output: [Slot; HALF_WIDTH],
    ) {
        assert_eq!(output, consecutive_slots(output[0]), "the outputs take consecutive slots");
        let op = Poseidon2Op { input, swap, first_output: output[0], halves: OutputHalves::First };
        self.circuit.poseidon2.push(op);
        self.circuit.steps.push(Step::Poseidon2(op));
    }

    /// Records a permutation whose kept outputs take consecutive new slots; returns the first.
    fn push_poseidon2(&mut self, swap: Slot, input: [Slot; POSEIDON2_WIDTH], halves: OutputHalves) -> Slot {
        let first_output = Slot(self.circuit.num_slots);
        self.circuit.num_slots += halves.slot_count() as u32;
        let op = Poseidon2Op { input, swap, first_output, halves };
        self.circuit.poseidon2.push(op);
        self.circuit.steps.push(Step::Poseidon2(op));
        first_output
    }

    /// The 31 binary digits of the base-field slot `x`, least significant first, constrained to
    /// be its canonical form: each digit is a bit (`b b = b`), they recompose to `x`, and the
    /// value they form is below `p = 2^31 - 2^27 + 1` (if bits 27..31 are all set, bits 0..27
    /// are all clear). Filling fails if `x` is not a base-field element.
    pub fn bits(&mut self, x: Slot) -> [Slot; BASE_BITS] {
        let bits: [Slot; BASE_BITS] = std::array::from_fn(|_| self.new_slot());
        self.circuit.steps.push(Step::Bits { input: x, bits });
        for &bit in &bits {
            self.relation(ArithKind::Mul, bit, bit, bit);
        }
        // From the least significant bit: acc += 2^k b_k, one multiply-add per bit, the last
        // one's result the slot x itself. After bit 26 the sum is the value of bits 0..27, below
        // 2^27 < p, so zero exactly when those bits all are.
        let mut acc = bits[0];
        let mut low = acc;
        for (k, &bit) in bits.iter().enumerate().skip(1) {
            let power = self.constant_base(1 << k);
            if k == BASE_BITS - 1 {
                self.mul_add_into(bit, power, acc, x);
            } else {
                acc = self.mul_add(bit, power, acc);
            }
            if k == 26 {
                low = acc;
            }
        }
        let mut top = bits[27];
        for &bit in &bits[28..] {
            top = self.mul(top, bit);
        }
        let zero = self.zero();
        self.relation(ArithKind::Mul, top, low, zero);
        bits
    }

    /// The five coefficients of the extension slot `x` as slots, constrained to recompose to
    /// `x` (`sum_k c_k X^k = x`). They are base-field elements only where something forces it
    /// (a Poseidon2 input does); the caller must make sure something does.
    pub fn coefficients(&mut self, x: Slot) -> [Slot; EXT_DEGREE] {
        let coefficients: [Slot; EXT_DEGREE] = std::array::from_fn(|_| self.new_slot());
        self.circuit.steps.push(Step::Coefficients { input: x, coefficients });
        // The first four composed, the last term's multiply-add resulting in x itself.
        let partial = self.compose(&coefficients[..EXT_DEGREE - 1]);
        let power = self.constant(
            <Ext as BasedVectorSpace<BabyBear>>::ith_basis_element(EXT_DEGREE - 1)
                .expect("the last basis element"),
        );
        self.mul_add_into(coefficients[EXT_DEGREE - 1], power, partial, x);
        coefficients
    }

    /// The extension element `sum_k c_k X^k` from (at most five) coefficient slots: one
    /// multiply-add per coefficient after the first.
    pub fn compose(&mut self, coefficients: &[Slot]) -> Slot {
        assert!((1..=EXT_DEGREE).contains(&coefficients.len()), "1 to 5 coefficients");
        let mut sum = coefficients[0];
        for (k, &c) in coefficients.iter().enumerate().skip(1) {
            let power =
                self.constant(<Ext as BasedVectorSpace<BabyBear>>::ith_basis_element(k).expect("k < 5"));
            sum = self.mul_add(c, power, sum);
        }
        sum
    }

    /// `(a, b)` if `bit` is 0 and `(b, a)` if it is 1 (`bit` must be constrained to be a bit):
    /// `first = a + bit (b - a)`, `second = b - bit (b - a)`.
    pub fn swap(&mut self, bit: Slot, a: Slot, b: Slot) -> (Slot, Slot) {
        let difference = self.sub(b, a);
        let first = self.mul_add(bit, difference, a);
        // second = b - bit (b - a): the relation bit (b - a) + second = b.
        let second = self.new_slot();
        self.circuit.steps.push(Step::MulSub { a: bit, b: difference, c: b, out: second });
        self.mul_add_into(bit, difference, second, b);
        (first, second)
    }

    /// The finished circuit, its base slots classified.
    pub fn build(mut self) -> Circuit {
        self.circuit.base = base::classify_base_slots(&self.circuit);
        self.circuit
    }
}

/// Why a circuit's slots could not be filled.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum CircuitError {
    /// The number of public inputs given is not the circuit's.
    #[error("the circuit has {expected} public inputs, {found} were given")]
    Publics {
        /// The circuit's.
        expected: usize,
        /// Given.
        found: usize,
    },
    /// The number of hints given is not the circuit's.
    #[error("the circuit takes {expected} hints, {found} were given")]
    Hints {
        /// The circuit's.
        expected: usize,
        /// Given.
        found: usize,
    },
    /// A division by a slot holding zero.
    #[error("slot {0} divides by zero")]
    DivisionByZero(u32),
    /// The slot choosing a Poseidon2 permutation's input order holds neither 0 nor 1.
    #[error("slot {0} orders a Poseidon2 input but holds neither 0 nor 1")]
    NotBit(u32),
    /// A slot that every honest filling makes a base-field element ([`Circuit::base`]: a
    /// Poseidon2 input, or a slot a relation equates with base values) holds an element outside
    /// the base field: a hint or public input contradicts the circuit.
    #[error(
        "slot {0} must hold a base-field element (a Poseidon2 input, or forced by a relation) but does not"
    )]
    NotBase(u32),
    /// A hint slot was given no value.
    #[error("hint slot {0} has no value")]
    MissingHint(u32),
    /// A value was given for a slot that is not a hint.
    #[error("slot {0} is not a hint")]
    NotAHint(u32),
    /// A step reads a slot no earlier step, constant, public input or hint filled (a bug in
    /// the circuit's construction).
    #[error("slot {0} is read before it is filled")]
    Unfilled(u32),
    /// A permutation's output slot already holds another value (a Merkle path, for example,
    /// that does not end at the root it is written to): no proof of the circuit exists.
    #[error("slot {0} holds one value and a permutation computes another for it")]
    Conflict(u32),
}

#[cfg(test)]
mod tests;
