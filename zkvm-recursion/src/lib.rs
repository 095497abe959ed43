//! Recursive aggregation: the recursion circuit, the opening-proof and multi-table STARK
//! verifiers written in it ([`pcs`], [`stark`]), and (to come) the aggregation tree and the
//! final proof.
//!
//! A recursion circuit is a list of relations between *slots*, each holding one element of the
//! challenge field (BabyBear's degree-5 extension; base-field values are elements whose higher
//! coefficients are zero). [`circuit::CircuitBuilder`] writes a circuit and the program that
//! fills its slots; [`prove::prove_circuit`] proves a filled circuit as a multi-table STARK of
//! four tables tied by the `witness` bus:
//!
//! | table | one row per | checks |
//! |---|---|---|
//! | `witness` | slot | provides `(slot, value)` once per slot; constant slots equal their constant |
//! | `public` | circuit | the public-input slots equal the proof's public values |
//! | `arith` | `a + b = c` or `a * b = c` | the relation over the extension field |
//! | `poseidon2` | permutation | 16 base-field slots in, 16 out, the Poseidon2 round function |
//!
//! The circuit's shape (which slots each row reads, which slots are constants) is in the
//! preprocessed columns, so the verifying key fixes the circuit: a proof of another circuit
//! does not verify.

pub mod circuit;
pub mod gadgets;
pub mod node;
pub mod pcs;
pub mod prove;
pub mod stark;
pub mod tables;

pub use circuit::{Circuit, CircuitBuilder, CircuitError, Ext, Slot};
pub use prove::{
    CircuitProof, RecursionProveError, RecursionVerifyError, circuit_common_data, circuit_prover_data,
    prove_circuit, prove_circuit_with_key, verify_circuit, verify_circuit_with_key,
};
