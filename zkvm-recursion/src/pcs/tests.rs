//! The PCS verifier circuit accepts Plonky3's own opening proofs, ends its transcript where the
//! native verifier does, and rejects a changed claim, input path, folded sibling or final
//! polynomial.

use p3_baby_bear::{BabyBear, default_babybear_poseidon2_16};
use p3_challenger::{CanObserve, FieldChallenger};
use p3_commit::{CommitmentOpening, MatrixOpening, OpeningRequest, Pcs as _, PointOpening, PolynomialSpace};
use p3_field::{PrimeCharacteristicRing, TwoAdicField};
use p3_matrix::dense::RowMajorMatrix;
use p3_uni_stark::StarkGenericConfig;
use zkvm_core::prover::{Challenger, ProofParameters, Val};

use super::*;
use crate::circuit::{CircuitBuilder, Ext, HintValues, fill};
use crate::gadgets::CircuitChallenger;
use crate::prove::{RecursionVerifyError, verify_circuit};

/// Small parameters that still exercise every step: grinding at every site, a final polynomial
/// of two coefficients, three queries.
const PARAMETERS: ProofParameters = ProofParameters {
    log_blowup: 1,
    num_queries: 3,
    query_pow_bits: 2,
    commit_pow_bits: 1,
    batch_pow_bits: 2,
    lookup_pow_bits: 0,
    ood_pow_bits: 0,
    max_log_arity: 1,
    log_final_poly_len: 1,
};

/// One test setting: the parameters and the tall matrices' log height ([`shape`]).
#[derive(Clone, Copy)]
struct Setting {
    parameters: ProofParameters,
    log_tall: usize,
}

/// [`PARAMETERS`] over tall matrices of 2^4 rows: three folds by 2.
const BY_TWO: Setting = Setting { parameters: PARAMETERS, log_tall: 4 };

/// Folding by at most 4 to a constant: by 2 (where the shorter matrix joins), 4 and 2.
const BY_FOUR: Setting = Setting {
    parameters: ProofParameters { max_log_arity: 2, log_final_poly_len: 0, ..PARAMETERS },
    log_tall: 4,
};

/// Folding by at most 16 to a constant over tall matrices of 2^7 rows: by 16 (to where the
/// shorter matrix joins), then by 8.
const BY_SIXTEEN: Setting = Setting {
    parameters: ProofParameters { max_log_arity: 4, log_final_poly_len: 0, ..PARAMETERS },
    log_tall: 7,
};

/// Batch 0: a tall matrix of 3 columns opened at `zeta` and its next point, and one of 2^3 rows
/// and 2 columns opened at `zeta`; batch 1: a tall matrix of 2 columns opened at `zeta`.
fn shape(setting: Setting) -> PcsShape {
    let m = |log_degree, width, points| MatrixShape { log_degree, width, points };
    let tall = setting.log_tall;
    PcsShape::new(vec![vec![m(tall, 3, 2), m(3, 2, 1)], vec![m(tall, 2, 1)]], setting.parameters).unwrap()
}

/// A native commitment, opening and the challenger as the verifier holds it before the
/// opening proof (after drawing `zeta`).
struct Native {
    claims: NativeClaims,
    proof: PcsProof,
    challenger: Challenger,
}

fn native(setting: Setting) -> Native {
    let config = setting.parameters.config().unwrap();
    let tall = setting.log_tall;
    let pcs = config.pcs();
    let domain = |log: usize| p3_commit::Pcs::<Ext, Challenger>::natural_domain_for_degree(pcs, 1 << log);
    let matrix = |log: usize, width: usize, seed: u32| {
        let values = (0..(width << log) as u32).map(|i| BabyBear::new(i * 7919 + seed * 31 + 3)).collect();
        RowMajorMatrix::new(values, width)
    };
    let batches = [vec![(tall, 3usize), (3, 2)], vec![(tall, 2)]];
    let committed: Vec<_> = batches
        .iter()
        .enumerate()
        .map(|(b, batch)| {
            let inputs = batch
                .iter()
                .enumerate()
                .map(|(m, &(log, w))| (domain(log), matrix(log, w, (b * 2 + m) as u32)));
            p3_commit::Pcs::<Ext, Challenger>::commit(pcs, inputs).unwrap()
        })
        .collect();
    let mut challenger = Challenger::new(default_babybear_poseidon2_16());
    for (commitment, _) in &committed {
        challenger.observe(commitment.clone());
    }
    let zeta: Ext = challenger.sample_algebra_element();
    let zeta_next = domain(tall).next_point(zeta).unwrap();
    let points = [vec![vec![zeta, zeta_next], vec![zeta]], vec![vec![zeta]]];
    let requests: Vec<OpeningRequest<'_, _, Ext>> =
        committed.iter().zip(&points).map(|((_, data), points)| (data, points.clone()).into()).collect();
    let (opened, proof) = pcs.open(requests, &mut challenger.clone()).unwrap();
    let claims: NativeClaims = committed
        .iter()
        .zip(&batches)
        .zip(&points)
        .zip(&opened)
        .map(|((((commitment, _), batch), points), values)| CommitmentOpening {
            commitment: commitment.clone(),
            matrices: batch
                .iter()
                .zip(points)
                .zip(values)
                .map(|((&(log, _), points), values)| MatrixOpening {
                    domain: domain(log),
                    points: points
                        .iter()
                        .zip(values)
                        .map(|(&point, values)| PointOpening { point, values: values.clone() })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    pcs.verify(claims.clone(), &proof, &mut challenger.clone()).expect("Plonky3 accepts its own proof");
    Native { claims, proof, challenger }
}

/// The circuit: observe the roots, draw `zeta`, verify the opening proof, then draw one more
/// challenge.
struct Built {
    circuit: crate::Circuit,
    hints: HintValues,
    /// The challenge drawn after the verification.
    after: crate::Slot,
    claims: Vec<BatchClaim>,
    proof: PcsProofSlots,
}

fn circuit(native: &Native, setting: Setting) -> Built {
    let shape = shape(setting);
    let mut b = CircuitBuilder::new(0);
    let mut hints = HintValues::new();
    let mut challenger = CircuitChallenger::new(&mut b);
    let roots: Vec<DigestSlots> = native
        .claims
        .iter()
        .map(|claim| {
            let root: DigestSlots = std::array::from_fn(|_| b.hint());
            hints.set_all_base(&root, &claim.commitment.roots()[0]);
            challenger.observe_all(&mut b, &root);
            root
        })
        .collect();
    let zeta = challenger.sample_ext(&mut b);
    let generator = b.constant(Ext::from(Val::two_adic_generator(setting.log_tall)));
    let zeta_next = b.mul(zeta, generator);
    let claims: Vec<BatchClaim> = native
        .claims
        .iter()
        .zip(roots)
        .map(|(claim, root)| BatchClaim {
            root,
            matrices: claim
                .matrices
                .iter()
                .map(|matrix| {
                    matrix
                        .points
                        .iter()
                        .enumerate()
                        .map(|(k, opening)| {
                            let values: Vec<_> = opening.values.iter().map(|_| b.hint()).collect();
                            hints.set_all(&values, &opening.values);
                            PointClaim { point: if k == 0 { zeta } else { zeta_next }, values }
                        })
                        .collect()
                })
                .collect(),
        })
        .collect();
    let slots = PcsProofSlots::allocate(&mut b, &shape);
    verify_pcs(&mut b, &mut challenger, &shape, &claims, &slots);
    let after = challenger.sample_ext(&mut b);
    let mut native_challenger = native.challenger.clone();
    pcs_hints(&shape, &native.claims, &native.proof, &mut native_challenger, &slots, &mut hints).unwrap();
    Built { circuit: b.build(), hints, after, claims, proof: slots }
}

/// Proves `circuit` with `hints` (filled as a prover forcing a proof would, so that a changed
/// value is shown to the verifier) and verifies the proof.
fn prove_and_verify(circuit: &crate::Circuit, hints: &[Ext]) -> Result<(), RecursionVerifyError> {
    let proof = crate::prove::prove_circuit_forced(circuit, &[], hints, &ProofParameters::TESTING).unwrap();
    verify_circuit(circuit, &proof, &[], &ProofParameters::TESTING)
}

/// At arity 2 throughout, and with rounds folding by 4 and by 16.
#[test]
fn plonky3_opening_proofs_verify_in_the_circuit() {
    for (setting, log_arities) in
        [(BY_TWO, vec![1, 1, 1]), (BY_FOUR, vec![1, 2, 1]), (BY_SIXTEEN, vec![4, 3])]
    {
        assert_eq!(shape(setting).log_arities(), log_arities);
        let native = native(setting);
        let Built { circuit, hints, after, .. } = circuit(&native, setting);
        let ordered = hints.ordered(&circuit).unwrap();

        // The circuit's transcript ends where the native verifier's does.
        let slots = fill(&circuit, &[], &ordered).unwrap();
        let mut native_challenger = native.challenger.clone();
        let config = setting.parameters.config().unwrap();
        config.pcs().verify(native.claims.clone(), &native.proof, &mut native_challenger).unwrap();
        let expected: Ext = native_challenger.sample_algebra_element();
        assert_eq!(slots[after.0 as usize], expected, "{log_arities:?}");

        assert_eq!(prove_and_verify(&circuit, &ordered), Ok(()), "{log_arities:?}");
    }
}

/// One hint changed: a claimed evaluation, an input Merkle sibling, an opened input value, either
/// value of a FRI round's row (one of them the folded value, the other its sibling), a commit-phase path digest, the final polynomial.
#[test]
fn a_changed_proof_value_is_rejected() {
    let native = native(BY_TWO);
    let Built { circuit, hints, claims, proof, .. } = circuit(&native, BY_TWO);
    let ordered = hints.ordered(&circuit).unwrap();
    let position = |slot: crate::Slot| circuit.hints.iter().position(|&s| s == slot).unwrap();
    let query = &proof.queries[1];
    let targets = [
        ("claimed value", position(claims[0].matrices[0][1].values[2])),
        ("input sibling", position(query.batches[0].siblings[2][3])),
        ("opened input value", position(query.batches[1].rows[0][1])),
        ("round row value", position(query.rounds[1].row[0])),
        ("round row value", position(query.rounds[1].row[1])),
        ("round path digest", position(query.rounds[0].path[1][0])),
        ("final polynomial", position(proof.final_poly[1])),
    ];
    for (what, index) in targets {
        let mut tampered = ordered.clone();
        tampered[index] += Ext::ONE;
        assert!(prove_and_verify(&circuit, &tampered).is_err(), "{what} changed and accepted");
    }
}

/// Folding by 16: a value of the 16-value row a query opens (the folded one among them, at
/// the query's own position, or a sibling), its path, and the final polynomial changed are
/// rejected.
#[test]
fn a_changed_row_of_a_sixteen_way_fold_is_rejected() {
    let native = native(BY_SIXTEEN);
    let Built { circuit, hints, proof, .. } = circuit(&native, BY_SIXTEEN);
    let ordered = hints.ordered(&circuit).unwrap();
    let position = |slot: crate::Slot| circuit.hints.iter().position(|&s| s == slot).unwrap();
    let query = &proof.queries[2];
    let mut targets: Vec<(String, usize)> =
        (0..16).map(|k| (format!("row value {k}"), position(query.rounds[0].row[k]))).collect();
    targets.push(("round path digest".into(), position(query.rounds[0].path[0][7])));
    targets.push(("final polynomial".into(), position(proof.final_poly[0])));
    for (what, index) in targets {
        let mut tampered = ordered.clone();
        tampered[index] += Ext::ONE;
        assert!(prove_and_verify(&circuit, &tampered).is_err(), "{what} changed and accepted");
    }
}

/// The native side refuses to make hints for a proof that does not verify.
#[test]
fn hints_are_refused_for_an_invalid_proof() {
    let mut native = native(BY_TWO);
    native.proof.final_poly[0] += Ext::ONE;
    let shape = shape(BY_TWO);
    let mut b = CircuitBuilder::new(0);
    let slots = PcsProofSlots::allocate(&mut b, &shape);
    let result = pcs_hints(
        &shape,
        &native.claims,
        &native.proof,
        &mut native.challenger,
        &slots,
        &mut HintValues::new(),
    );
    assert!(matches!(result, Err(PcsHintError::Invalid(_))), "{result:?}");
}
