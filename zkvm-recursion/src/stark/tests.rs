//! The batch-STARK verifier circuit accepts a real proof of a recursion circuit (four tables, a
//! preprocessed verifying key, LogUp on the witness bus, grinding at every site) and rejects a
//! changed opened value, public value or terminal; hints are refused for a proof that does not
//! verify.

use p3_field::{BasedVectorSpace, PrimeCharacteristicRing};
use zkvm_core::prover::{ProofParameters, Val};

use super::*;
use crate::circuit::{Circuit, CircuitBuilder, HintValues};
use crate::prove::{CircuitProof, circuit_common_data, prove_circuit, verify_circuit};
use crate::tables::RecursionAir;

/// The child's parameters: small, with grinding at every site the transcript has.
const CHILD: ProofParameters = ProofParameters {
    log_blowup: 1,
    num_queries: 8,
    query_pow_bits: 1,
    commit_pow_bits: 1,
    batch_pow_bits: 1,
    lookup_pow_bits: 1,
    ood_pow_bits: 1,
    max_log_arity: 1,
    log_final_poly_len: 0,
};

/// Publics x and y and r = x y + x: one multiplication, one addition and a Poseidon2
/// permutation.
fn child_circuit() -> Circuit {
    let mut b = CircuitBuilder::new(3);
    let (x, y, r) = (b.public(0), b.public(1), b.public(2));
    let product = b.mul(x, y);
    let sum = b.add(product, x);
    b.assert_eq(sum, r);
    let input = std::array::from_fn(|i| b.constant_base(i as u32 + 3));
    b.poseidon2(input);
    b.build()
}

fn child_publics() -> Vec<Ext> {
    let x = Ext::from_basis_coefficients_fn(|k| Val::new(k as u32 + 2));
    let y = Ext::from(Val::new(9));
    vec![x, y, x * y + x]
}

struct Child {
    circuit: Circuit,
    proof: CircuitProof,
    public_values: Vec<Vec<Val>>,
}

fn child() -> Child {
    let circuit = child_circuit();
    let publics = child_publics();
    let proof = prove_circuit(&circuit, &publics, &[], &CHILD).unwrap();
    verify_circuit(&circuit, &proof, &publics, &CHILD).unwrap();
    let public_values =
        RecursionAir::tables(&circuit).iter().map(|air| air.public_values(&publics)).collect();
    Child { circuit, proof, public_values }
}

/// The verifier circuit of a child's proof, with the child's public values as hints.
struct Verifier {
    circuit: Circuit,
    hints: HintValues,
    /// The proof's hint slots.
    slots: StarkProofSlots,
    /// The public values' hint slots.
    publics: Vec<Vec<crate::Slot>>,
}

fn verifier(child: &Child) -> Result<Verifier, StarkHintError> {
    let airs = RecursionAir::tables(&child.circuit);
    let common = circuit_common_data(&child.circuit, &CHILD).unwrap();
    let shape = StarkShape::new(&airs, &common, &child.proof.degree_bits, CHILD).unwrap();
    let mut b = CircuitBuilder::new(0);
    let mut hints = HintValues::new();
    let publics: Vec<Vec<crate::Slot>> =
        child.public_values.iter().map(|values| values.iter().map(|_| b.hint()).collect()).collect();
    for (slots, values) in publics.iter().zip(&child.public_values) {
        hints.set_all_base(slots, values);
    }
    let slots = StarkProofSlots::allocate(&mut b, &shape);
    verify_stark(&mut b, &shape, &publics, &slots);
    stark_hints(&shape, &airs, &common, &child.proof, &child.public_values, &slots, &mut hints)?;
    Ok(Verifier { circuit: b.build(), hints, slots, publics })
}

/// Proves `circuit` with `hints` (filled as a prover forcing a proof would, so that a changed
/// value is shown to the verifier) and verifies the proof.
fn prove_and_verify(circuit: &Circuit, hints: &[Ext]) -> Result<(), crate::RecursionVerifyError> {
    let proof = crate::prove::prove_circuit_forced(circuit, &[], hints, &ProofParameters::TESTING).unwrap();
    verify_circuit(circuit, &proof, &[], &ProofParameters::TESTING)
}

#[test]
fn a_recursion_circuit_proof_verifies_in_the_circuit() {
    let child = child();
    let Verifier { circuit, hints, .. } = verifier(&child).unwrap();
    let ordered = hints.ordered(&circuit).unwrap();
    assert_eq!(prove_and_verify(&circuit, &ordered), Ok(()));
}

#[test]
fn a_changed_child_value_is_rejected() {
    let child = child();
    let Verifier { circuit, hints, slots, publics } = verifier(&child).unwrap();
    let ordered = hints.ordered(&circuit).unwrap();
    let position = |slot: crate::Slot| circuit.hints.iter().position(|&s| s == slot).unwrap();
    let arith = &slots.tables[2];
    let targets = [
        ("main value at zeta", position(arith.main[0][3])),
        ("preprocessed value at zeta", position(slots.tables[0].preprocessed[0][0])),
        ("LogUp running sum", position(slots.tables[1].permutation[1][2])),
        ("quotient chunk", position(arith.quotient_chunks[0][1])),
        ("terminal", position(slots.tables[3].terminal.unwrap())),
        ("public value", position(publics[1][0])),
    ];
    for (what, index) in targets {
        let mut tampered = ordered.clone();
        tampered[index] += Ext::ONE;
        assert!(prove_and_verify(&circuit, &tampered).is_err(), "{what} changed and accepted");
    }
}

#[test]
fn hints_are_refused_for_a_proof_that_does_not_verify() {
    let mut child = child();
    child.public_values[1][0] += Val::ONE;
    assert!(matches!(verifier(&child), Err(StarkHintError::Invalid(_))));
}
