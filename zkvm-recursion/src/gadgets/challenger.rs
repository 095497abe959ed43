//! The Fiat–Shamir challenger inside a circuit: Plonky3's `DuplexChallenger` (Poseidon2, width
//! 16, rate 8) step for step, so that a circuit draws the same challenges as the native verifier
//! from the same transcript.
//!
//! Absorbing overwrites the rate with the buffered inputs, zeroes the rest of the rate and adds
//! the number absorbed to the first capacity element; squeezing permutes and exposes the rate;
//! samples are taken from the end of the exposed rate. Every step is circuit relations, so the
//! samples are functions of the observed slots that the proof checks.

use zkvm_core::prover::Val;

use crate::circuit::{BASE_BITS, CircuitBuilder, Ext, POSEIDON2_WIDTH, Slot};

/// Elements absorbed or squeezed per permutation.
pub const RATE: usize = 8;

/// A duplex sponge over circuit slots.
#[derive(Clone, Debug)]
pub struct CircuitChallenger {
    state: [Slot; POSEIDON2_WIDTH],
    input: Vec<Slot>,
    output: Vec<Slot>,
}

impl CircuitChallenger {
    /// A challenger in the initial state (all zero), as `DuplexChallenger::new`.
    pub fn new(builder: &mut CircuitBuilder) -> Self {
        let zero = builder.zero();
        CircuitChallenger { state: [zero; POSEIDON2_WIDTH], input: Vec::new(), output: Vec::new() }
    }

    fn duplexing(&mut self, builder: &mut CircuitBuilder) {
        let absorbed = self.input.len();
        for (i, slot) in self.input.drain(..).enumerate() {
            self.state[i] = slot;
        }
        if absorbed > 0 {
            let zero = builder.zero();
            self.state[absorbed..RATE].fill(zero);
            let tag = builder.constant_base(absorbed as u32);
            self.state[RATE] = builder.add(self.state[RATE], tag);
        }
        self.state = builder.poseidon2(self.state);
        self.output = self.state[..RATE].to_vec();
    }

    /// Absorbs a base-field slot.
    pub fn observe(&mut self, builder: &mut CircuitBuilder, slot: Slot) {
        self.output.clear();
        self.input.push(slot);
        if self.input.len() == RATE {
            self.duplexing(builder);
        }
    }

    /// Absorbs constants (a transcript's domain-separation seed, which depends only on the
    /// proof's shape and so is part of the circuit).
    pub fn observe_constants(&mut self, builder: &mut CircuitBuilder, values: &[Val]) {
        for &value in values {
            let slot = builder.constant(Ext::from(value));
            self.observe(builder, slot);
        }
    }

    /// Absorbs several base-field slots in order.
    pub fn observe_all(&mut self, builder: &mut CircuitBuilder, slots: &[Slot]) {
        for &slot in slots {
            self.observe(builder, slot);
        }
    }

    /// Draws a base-field element.
    pub fn sample(&mut self, builder: &mut CircuitBuilder) -> Slot {
        if !self.input.is_empty() || self.output.is_empty() {
            self.duplexing(builder);
        }
        self.output.pop().expect("a duplexing fills the output")
    }

    /// Draws `n` bits (`n` < 31), least significant first: the low bits of a drawn base-field
    /// element's canonical form, as `DuplexChallenger::sample_bits` returns them.
    pub fn sample_bits(&mut self, builder: &mut CircuitBuilder, n: usize) -> Vec<Slot> {
        assert!(n < BASE_BITS, "at most 30 bits per sample");
        let element = self.sample(builder);
        builder.bits(element)[..n].to_vec()
    }

    /// Checks a proof-of-work witness as `GrindingChallenger::check_witness` does: absorbs it,
    /// then requires the low `bits` bits of the next sample to be zero (nothing for 0 bits).
    pub fn check_witness(&mut self, builder: &mut CircuitBuilder, bits: usize, witness: Slot) {
        if bits == 0 {
            return;
        }
        self.observe(builder, witness);
        let zero = builder.zero();
        for bit in self.sample_bits(builder, bits) {
            builder.assert_eq(bit, zero);
        }
    }

    /// Draws an extension-field element: five base elements, coefficient of `X^k` drawn `k`-th.
    pub fn sample_ext(&mut self, builder: &mut CircuitBuilder) -> Slot {
        let coefficients: Vec<Slot> = (0..5).map(|_| self.sample(builder)).collect();
        builder.compose(&coefficients)
    }
}
