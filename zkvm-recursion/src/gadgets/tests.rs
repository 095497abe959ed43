//! The gadgets agree with their native counterparts, and the circuits they write prove.

use p3_baby_bear::{BabyBear, Poseidon2BabyBear, default_babybear_poseidon2_16};
use p3_challenger::{CanObserve, CanSample, DuplexChallenger};
use zkvm_core::prover::{ProofParameters, Val};

use super::*;
use crate::circuit::{CircuitBuilder, Ext, fill};
use crate::prove::{prove_circuit, verify_circuit};

type NativeChallenger = DuplexChallenger<Val, Poseidon2BabyBear<16>, 16, 8>;

/// A transcript: observe `n` values, then draw base or extension samples.
#[derive(Clone, Copy)]
enum Action {
    Observe(usize),
    Sample,
    SampleExt,
}

#[test]
fn the_circuit_challenger_draws_what_the_native_one_draws() {
    let script = [
        Action::Sample,
        Action::Observe(3),
        Action::Sample,
        Action::SampleExt,
        Action::Observe(8),
        Action::Observe(13),
        Action::SampleExt,
        Action::Sample,
        Action::Sample,
        Action::Observe(1),
        Action::SampleExt,
        Action::SampleExt,
    ];
    let observed: usize = script.iter().map(|a| if let Action::Observe(n) = a { *n } else { 0 }).sum();
    let values: Vec<Val> = (0..observed as u32).map(|i| BabyBear::new(i * 7919 + 13)).collect();

    // Native transcript.
    let mut native = NativeChallenger::new(default_babybear_poseidon2_16());
    let mut expected: Vec<Ext> = Vec::new();
    let mut next = values.iter();
    for action in script {
        match action {
            Action::Observe(n) => (0..n).for_each(|_| native.observe(*next.next().unwrap())),
            Action::Sample => expected.push(Ext::from(CanSample::<Val>::sample(&mut native))),
            Action::SampleExt => expected.push(CanSample::<Ext>::sample(&mut native)),
        }
    }

    // The same transcript in a circuit: observed values are public inputs, samples are
    // asserted equal to hints holding the native samples.
    let mut b = CircuitBuilder::new(observed as u32);
    let mut challenger = CircuitChallenger::new(&mut b);
    let mut position = 0;
    let mut drawn = Vec::new();
    for action in script {
        match action {
            Action::Observe(n) => {
                for _ in 0..n {
                    let slot = b.public(position);
                    challenger.observe(&mut b, slot);
                    position += 1;
                }
            }
            Action::Sample => drawn.push(challenger.sample(&mut b)),
            Action::SampleExt => drawn.push(challenger.sample_ext(&mut b)),
        }
    }
    for &slot in &drawn {
        let claimed = b.hint();
        b.assert_eq(slot, claimed);
    }
    let circuit = b.build();
    let publics: Vec<Ext> = values.iter().map(|&v| Ext::from(v)).collect();
    let slots = fill(&circuit, &publics, &expected).unwrap();
    for (slot, value) in drawn.iter().zip(&expected) {
        assert_eq!(slots[slot.0 as usize], *value);
    }
    let proof = prove_circuit(&circuit, &publics, &expected, &ProofParameters::TESTING).unwrap();
    assert_eq!(verify_circuit(&circuit, &proof, &publics, &ProofParameters::TESTING), Ok(()));
    // Another observed value changes the samples: the claimed ones no longer satisfy it.
    let mut other = publics.clone();
    other[0] += Ext::from(BabyBear::new(1));
    let slots = fill(&circuit, &other, &expected).unwrap();
    assert!(drawn.iter().zip(&expected).any(|(slot, value)| slots[slot.0 as usize] != *value));
    let proof = prove_circuit(&circuit, &other, &expected, &ProofParameters::TESTING).unwrap();
    assert!(verify_circuit(&circuit, &proof, &other, &ProofParameters::TESTING).is_err());
}

#[test]
fn sampled_bits_are_the_native_ones() {
    use p3_challenger::CanSampleBits;
    let mut native = NativeChallenger::new(default_babybear_poseidon2_16());
    let mut b = CircuitBuilder::new(2);
    let mut challenger = CircuitChallenger::new(&mut b);
    let values = [BabyBear::new(123), BabyBear::new(456)];
    for (position, value) in values.iter().enumerate() {
        native.observe(*value);
        let slot = b.public(position as u32);
        challenger.observe(&mut b, slot);
    }
    let widths = [1, 5, 17, 30];
    let expected: Vec<usize> = widths.iter().map(|&n| native.sample_bits(n)).collect();
    let drawn: Vec<Vec<crate::circuit::Slot>> =
        widths.iter().map(|&n| challenger.sample_bits(&mut b, n)).collect();
    let circuit = b.build();
    let publics: Vec<Ext> = values.iter().map(|&v| Ext::from(v)).collect();
    let slots = fill(&circuit, &publics, &[]).unwrap();
    for (bits, &value) in drawn.iter().zip(&expected) {
        let got = bits.iter().enumerate().fold(0usize, |acc, (k, slot)| {
            acc | (usize::from(slots[slot.0 as usize] == Ext::from(BabyBear::new(1))) << k)
        });
        assert_eq!(got, value);
    }
    let proof = prove_circuit(&circuit, &publics, &[], &ProofParameters::TESTING).unwrap();
    assert_eq!(verify_circuit(&circuit, &proof, &publics, &ProofParameters::TESTING), Ok(()));
}

/// The decomposition of `x + p` also recomposes to `x` in the field, with every digit a bit;
/// only the canonicity constraint rejects it (the slots after the digits are filled from the
/// wrapped digits, so every other relation holds).
#[test]
fn a_non_canonical_decomposition_is_rejected() {
    use crate::circuit::Step;
    use crate::circuit::witness::{OnConflict, run_step};
    use crate::prove::{circuit_traces, prove_traces};
    use p3_field::{PrimeCharacteristicRing, PrimeField32};
    let mut b = CircuitBuilder::new(1);
    let x = b.public(0);
    let bits = b.bits(x);
    let circuit = b.build();
    let publics = [Ext::from(BabyBear::new(5))];
    let mut slots: Vec<Option<Ext>> = fill(&circuit, &publics, &[]).unwrap().into_iter().map(Some).collect();
    let wrapped = 5 + Val::ORDER_U32;
    assert!(wrapped < 1 << 31);
    let permutation = default_babybear_poseidon2_16();
    for step in &circuit.steps {
        match step {
            Step::Bits { bits, .. } => {
                for (k, slot) in bits.iter().enumerate() {
                    slots[slot.0 as usize] = Some(Ext::from(BabyBear::new(wrapped >> k & 1)));
                }
            }
            other => run_step(other, &mut slots, &permutation, OnConflict::Refuse).unwrap(),
        }
    }
    let slots: Vec<Ext> = slots.into_iter().map(Option::unwrap).collect();
    // The wrapped digits: bits 27..31 all set, and 6 below them.
    assert!(bits[27..].iter().all(|bit| slots[bit.0 as usize] == Ext::ONE));
    assert_eq!(slots[bits[1].0 as usize], Ext::ONE);
    let proof =
        prove_traces(&circuit, &circuit_traces(&circuit, &slots), &publics, &ProofParameters::TESTING)
            .unwrap();
    assert!(verify_circuit(&circuit, &proof, &publics, &ProofParameters::TESTING).is_err());
    // The canonical one proves.
    let proof = prove_circuit(&circuit, &publics, &[], &ProofParameters::TESTING).unwrap();
    assert_eq!(verify_circuit(&circuit, &proof, &publics, &ProofParameters::TESTING), Ok(()));
}

/// A batch of matrices of mixed heights (one injected at the root's level) committed natively,
/// opened at `index`; the circuit recomputes the root from the opened rows and the siblings, its
/// last compression writing into the root's slots. With `tamper`, that hint is changed by one:
/// filling refuses the path (its end conflicts with the root), so the slots are forced as a
/// dishonest prover would (the root slots keep the root, the permutation rows hold the digest
/// the path computes, `prove_circuit_forced`) and the proof made from them is verified.
fn merkle_case(index: usize, tamper: Option<usize>) -> Result<(), crate::prove::RecursionVerifyError> {
    use p3_commit::Mmcs;
    use p3_matrix::dense::RowMajorMatrix;
    use zkvm_core::prover::{LeafHash, NodeCompression, ValMmcs};
    let permutation = default_babybear_poseidon2_16();
    let mmcs = ValMmcs::new(LeafHash::new(permutation.clone()), NodeCompression::new(permutation), 0);
    let shapes = [(8usize, 3usize), (4, 10), (8, 5), (2, 1), (1, 2)];
    let matrices: Vec<RowMajorMatrix<Val>> = shapes
        .iter()
        .enumerate()
        .map(|(m, &(height, width))| {
            let values = (0..height * width).map(|i| BabyBear::new((m * 1000 + i) as u32 * 31 + 7)).collect();
            RowMajorMatrix::new(values, width)
        })
        .collect();
    let (commitment, data) = mmcs.commit(matrices);
    let opening = mmcs.open_batch(index, &data);
    let root = commitment.roots()[0];

    let mut b = CircuitBuilder::new(9);
    let root_slots: [crate::circuit::Slot; 8] = std::array::from_fn(|k| b.public(k as u32));
    let index_slot = b.public(8);
    let index_bits = b.bits(index_slot);
    let rows: Vec<OpenedRow> = shapes
        .iter()
        .map(|&(height, width)| OpenedRow { height, values: (0..width).map(|_| b.hint()).collect() })
        .collect();
    let siblings: Vec<[crate::circuit::Slot; 8]> =
        opening.opening_proof.iter().map(|_| std::array::from_fn(|_| b.hint())).collect();
    verify_batch_opening(&mut b, root_slots, &rows, &index_bits[..3], &siblings);
    let circuit = b.build();

    let mut publics: Vec<Ext> = root.iter().map(|&v| Ext::from(v)).collect();
    publics.push(Ext::from(BabyBear::new(index as u32)));
    let mut hints: Vec<Ext> = opening.opened_values.iter().flatten().map(|&v| Ext::from(v)).collect();
    hints.extend(opening.opening_proof.iter().flatten().map(|&v| Ext::from(v)));
    let Some(position) = tamper else {
        let proof = prove_circuit(&circuit, &publics, &hints, &ProofParameters::TESTING).unwrap();
        return verify_circuit(&circuit, &proof, &publics, &ProofParameters::TESTING);
    };
    hints[position] += Ext::from(BabyBear::new(1));
    let refused = fill(&circuit, &publics, &hints);
    assert!(
        matches!(refused, Err(crate::circuit::CircuitError::Conflict(slot)) if root_slots.iter().any(|r| r.0 == slot)),
        "{refused:?}"
    );
    let proof =
        crate::prove::prove_circuit_forced(&circuit, &publics, &hints, &ProofParameters::TESTING).unwrap();
    verify_circuit(&circuit, &proof, &publics, &ProofParameters::TESTING)
}

#[test]
fn merkle_openings_verify_as_natively() {
    for index in [0, 5, 7] {
        assert_eq!(merkle_case(index, None), Ok(()), "index {index}");
    }
    // A changed opened value (of each height) or sibling is rejected. Hints: 3 + 10 + 5 + 1 + 2
    // opened values, then 3 siblings of 8.
    for position in [0, 3, 13, 18, 19, 20, 21, 32, 44] {
        assert!(merkle_case(5, Some(position)).is_err(), "hint {position}");
    }
}

/// Proof-of-work witnesses found by the native challenger pass the circuit's check; another
/// witness does not.
#[test]
fn grinding_witnesses_check_as_natively() {
    use p3_challenger::GrindingChallenger;
    let bits = 8;
    let mut native = NativeChallenger::new(default_babybear_poseidon2_16());
    native.observe(BabyBear::new(42));
    let witness = native.grind(bits);
    let case = |witness: Val| {
        let mut b = CircuitBuilder::new(2);
        let mut challenger = CircuitChallenger::new(&mut b);
        let seed = b.public(0);
        challenger.observe(&mut b, seed);
        let claimed = b.public(1);
        challenger.check_witness(&mut b, bits, claimed);
        let circuit = b.build();
        let publics = [Ext::from(BabyBear::new(42)), Ext::from(witness)];
        let proof = prove_circuit(&circuit, &publics, &[], &ProofParameters::TESTING).unwrap();
        verify_circuit(&circuit, &proof, &publics, &ProofParameters::TESTING)
    };
    assert_eq!(case(witness), Ok(()));
    // Witnesses that fail natively fail in the circuit too.
    let mut rejected = 0;
    for candidate in (0..20u32).map(BabyBear::new) {
        let mut fresh = NativeChallenger::new(default_babybear_poseidon2_16());
        fresh.observe(BabyBear::new(42));
        if !fresh.check_witness(bits, candidate) {
            assert!(case(candidate).is_err());
            rejected += 1;
        }
    }
    assert!(rejected > 0);
}

/// The power gadget gives the generator's power by an index decomposed into bits.
#[test]
fn powers_by_bits_match_native_exponentiation() {
    use p3_field::{PrimeCharacteristicRing, TwoAdicField};
    let generator = Ext::from(Val::two_adic_generator(20));
    let mut b = CircuitBuilder::new(1);
    let index = b.public(0);
    let bits = b.bits(index);
    let power = pow_by_bits(&mut b, generator, &bits[..20]);
    let circuit = b.build();
    for exponent in [0u32, 1, 2, 12345, (1 << 20) - 1] {
        let publics = [Ext::from(BabyBear::new(exponent))];
        let slots = fill(&circuit, &publics, &[]).unwrap();
        assert_eq!(slots[power.0 as usize], generator.exp_u64(u64::from(exponent)), "{exponent}");
    }
    let publics = [Ext::from(BabyBear::new(777))];
    let proof = prove_circuit(&circuit, &publics, &[], &ProofParameters::TESTING).unwrap();
    assert_eq!(verify_circuit(&circuit, &proof, &publics, &ProofParameters::TESTING), Ok(()));
}

/// One FRI folding step gives Plonky3's `fold_row` for every index of small domains.
#[test]
fn fri_folding_matches_plonky3() {
    use p3_field::BasedVectorSpace;
    use p3_fri::{FriFoldingStrategy, TwoAdicFriFolding};
    let folding = TwoAdicFriFolding::<(), ()>(std::marker::PhantomData);
    for log_height in 1..5usize {
        let mut b = CircuitBuilder::new(4);
        let (index, lo, hi, beta) = (b.public(0), b.public(1), b.public(2), b.public(3));
        let bits = b.bits(index);
        let folded = fold_arity_two(&mut b, &bits[..log_height], lo, hi, beta);
        let circuit = b.build();
        for index in 0..1usize << log_height {
            let values: [Ext; 3] = std::array::from_fn(|k| {
                Ext::from_basis_coefficients_fn(|j| BabyBear::new((index * 31 + k * 7 + j) as u32 + 1))
            });
            let [lo, hi, beta] = values;
            let expected = FriFoldingStrategy::<Val, Ext>::fold_row(
                &folding,
                index,
                log_height,
                1,
                beta,
                [lo, hi].into_iter(),
            );
            let publics = [Ext::from(BabyBear::new(index as u32)), lo, hi, beta];
            let slots = fill(&circuit, &publics, &[]).unwrap();
            assert_eq!(slots[folded.0 as usize], expected, "log_height {log_height} index {index}");
            if log_height == 4 && index == 11 {
                let proof = prove_circuit(&circuit, &publics, &[], &ProofParameters::TESTING).unwrap();
                assert_eq!(verify_circuit(&circuit, &proof, &publics, &ProofParameters::TESTING), Ok(()));
            }
        }
    }
}

/// Input points and opening quotients follow the formulas of Plonky3's `open_inputs`: the point
/// is `GENERATOR * g^rev(index >> shift)` on the matrix's own height, and the quotient combines
/// claimed and opened values with powers of alpha from the ladder offset.
#[test]
fn reduced_opening_terms_follow_plonky3() {
    use p3_field::{BasedVectorSpace, Field, PrimeCharacteristicRing, TwoAdicField};
    let reverse =
        |value: usize, bits: usize| (0..bits).fold(0, |acc, k| acc | ((value >> k & 1) << (bits - 1 - k)));
    let log_max = 6;
    let log_height = 4;
    let width = 3;
    let offset = 2;
    let mut b = CircuitBuilder::new(3 + 2 * width as u32);
    let (index, alpha, z) = (b.public(0), b.public(1), b.public(2));
    let row: Vec<_> = (0..width).map(|i| b.public(3 + i as u32)).collect();
    let claimed: Vec<_> = (0..width).map(|i| b.public(3 + width as u32 + i as u32)).collect();
    let bits = b.bits(index);
    let x = input_point(&mut b, &bits[..log_max], log_height);
    let alpha_powers = powers(&mut b, alpha, offset + width);
    let quotient = opening_quotient(&mut b, &alpha_powers[offset..], &row, &claimed, z, x);
    let circuit = b.build();

    let ext =
        |seed: usize| Ext::from_basis_coefficients_fn(|j| BabyBear::new((seed * 97 + j * 5) as u32 + 3));
    for index in [0usize, 1, 37, 63] {
        let (alpha_value, z_value) = (ext(1), ext(2));
        let row_values: Vec<Val> = (0..width).map(|i| BabyBear::new((index * 11 + i) as u32 + 9)).collect();
        let claimed_values: Vec<Ext> = (0..width).map(|i| ext(10 + i)).collect();
        let mut publics = vec![Ext::from(BabyBear::new(index as u32)), alpha_value, z_value];
        publics.extend(row_values.iter().map(|&v| Ext::from(v)));
        publics.extend(claimed_values.iter().copied());
        let slots = fill(&circuit, &publics, &[]).unwrap();

        let shifted = index >> (log_max - log_height);
        let x_native =
            Val::GENERATOR * Val::two_adic_generator(log_height).exp_u64(reverse(shifted, log_height) as u64);
        assert_eq!(slots[x.0 as usize], Ext::from(x_native), "index {index}");
        let power = |i: usize| alpha_value.exp_u64((offset + i) as u64);
        let at_z: Ext = (0..width).map(|i| power(i) * claimed_values[i]).sum();
        let at_x: Ext = (0..width).map(|i| power(i) * Ext::from(row_values[i])).sum();
        let expected = (at_z - at_x) * (z_value - Ext::from(x_native)).inverse();
        assert_eq!(slots[quotient.0 as usize], expected, "index {index}");
        if index == 37 {
            let proof = prove_circuit(&circuit, &publics, &[], &ProofParameters::TESTING).unwrap();
            assert_eq!(verify_circuit(&circuit, &proof, &publics, &ProofParameters::TESTING), Ok(()));
        }
    }
}

/// The reduced openings the circuit computes equal those of Plonky3's own `open_inputs` on a real
/// commitment: two matrices of different heights, one opened at two points, two queries.
#[test]
fn reduced_openings_equal_plonky3_open_inputs() {
    use p3_commit::{CommitmentOpening, MatrixOpening, Mmcs, PointOpening};
    use p3_field::coset::TwoAdicMultiplicativeCoset;
    use p3_field::{BasedVectorSpace, PrimeCharacteristicRing};
    use p3_fri::{BatchMultiOpening, FriParameters};
    use p3_matrix::dense::RowMajorMatrix;
    use zkvm_core::prover::{ChallengeMmcs, LeafHash, NodeCompression, ValMmcs};

    let permutation = default_babybear_poseidon2_16();
    let mmcs = ValMmcs::new(LeafHash::new(permutation.clone()), NodeCompression::new(permutation), 0);
    let log_blowup = 2;
    // (log trace height, width); committed heights are 2^(log + blowup).
    let shapes = [(4usize, 3usize), (3, 2)];
    let matrices: Vec<RowMajorMatrix<Val>> = shapes
        .iter()
        .enumerate()
        .map(|(m, &(log, width))| {
            let rows = 1usize << (log + log_blowup);
            RowMajorMatrix::new(
                (0..rows * width).map(|i| BabyBear::new((m * 5000 + i) as u32 * 17 + 1)).collect(),
                width,
            )
        })
        .collect();
    let (commitment, data) = mmcs.commit(matrices);
    let indices = [5usize, 40];
    let (opened_values, opening_proof) = mmcs.open_multi_batch(&indices, &data);
    let ext =
        |seed: usize| Ext::from_basis_coefficients_fn(|j| BabyBear::new((seed * 131 + j * 7) as u32 + 2));
    let (alpha, z1, z2) = (ext(1), ext(2), ext(3));
    let claims = |seed: usize, width: usize| -> Vec<Ext> { (0..width).map(|i| ext(seed + i)).collect() };
    // Matrix 0 opened at z1 and z2, matrix 1 at z1.
    let points: Vec<Vec<(Ext, Vec<Ext>)>> =
        vec![vec![(z1, claims(10, 3)), (z2, claims(20, 3))], vec![(z1, claims(30, 2))]];
    let opening = CommitmentOpening {
        commitment,
        matrices: shapes
            .iter()
            .zip(&points)
            .map(|(&(log, _), points)| MatrixOpening {
                domain: TwoAdicMultiplicativeCoset::new(Val::ONE, log).unwrap(),
                points: points
                    .iter()
                    .map(|(point, values)| PointOpening { point: *point, values: values.clone() })
                    .collect(),
            })
            .collect(),
    };
    let params = FriParameters {
        log_blowup,
        log_final_poly_len: 0,
        max_log_arity: 1,
        num_queries: indices.len(),
        batch_proof_of_work_bits: 0,
        commit_proof_of_work_bits: 0,
        query_proof_of_work_bits: 0,
        mmcs: ChallengeMmcs::new(mmcs.clone()),
    };
    let input = [BatchMultiOpening { opened_values: opened_values.clone(), opening_proof }];
    let log_max = 4 + log_blowup;
    let native =
        p3_fri::verifier::open_inputs(&params, log_max, &indices, &input, alpha, &mmcs, &[opening]).unwrap();

    for (query, &index) in indices.iter().enumerate() {
        let mut b = CircuitBuilder::new(0);
        let index_slot = b.constant_base(index as u32);
        let bits = b.bits(index_slot);
        let alpha_slot = b.constant(alpha);
        let alpha_powers = powers(&mut b, alpha_slot, 6);
        let mut reduced = Vec::new();
        for (matrix, &(log, _)) in shapes.iter().enumerate() {
            let log_height = log + log_blowup;
            let x = input_point(&mut b, &bits[..log_max], log_height);
            let row: Vec<_> =
                opened_values[query][matrix].iter().map(|&v| b.constant(Ext::from(v))).collect();
            let mut offset = 0;
            let mut sum = b.zero();
            for (point, values) in &points[matrix] {
                let z = b.constant(*point);
                let claimed: Vec<_> = values.iter().map(|&v| b.constant(v)).collect();
                let term = opening_quotient(&mut b, &alpha_powers[offset..], &row, &claimed, z, x);
                sum = b.add(sum, term);
                offset += values.len();
            }
            reduced.push((log_height, sum));
        }
        let circuit = b.build();
        let slots = fill(&circuit, &[], &[]).unwrap();
        let computed: Vec<(usize, Ext)> = reduced.iter().map(|&(h, s)| (h, slots[s.0 as usize])).collect();
        assert_eq!(computed, native[query], "query {query}");
    }
}

/// A query's folding chain, with a reduced opening rolled in halfway, equals Plonky3's
/// `fold_query` for several indices and fold schedules (arities 2 to 16, mixed): stopping two
/// levels above the bottom, and folding all the way down to a constant (the last rounds fold at
/// the points 1 and -1 ... of the smallest subgroups, where the chain's squarings and sign
/// changes are most easily wrong). The rows the chain reads are Plonky3's reconstructed rows.
#[test]
fn folding_chains_equal_plonky3_fold_query() {
    use p3_commit::Mmcs;
    use p3_field::{BasedVectorSpace, PrimeCharacteristicRing};
    use p3_fri::{CommitPhaseMultiStep, TwoAdicFriFolding};
    use p3_matrix::dense::RowMajorMatrix;
    use zkvm_core::prover::{ChallengeMmcs, LeafHash, NodeCompression, ValMmcs};

    let permutation = default_babybear_poseidon2_16();
    let mmcs = ChallengeMmcs::new(ValMmcs::new(
        LeafHash::new(permutation.clone()),
        NodeCompression::new(permutation),
        0,
    ));
    // Any multi-proof value: fold_query leaves authentication to its caller.
    let (_, data) = mmcs.commit(vec![RowMajorMatrix::new(vec![Ext::ZERO; 4], 2)]);
    let (_, proof) = mmcs.open_multi_batch(&[0], &data);
    let ext =
        |seed: usize| Ext::from_basis_coefficients_fn(|j| BabyBear::new((seed * 193 + j * 11) as u32 + 5));
    // (log_max, log_final, the height a second reduced opening joins at, the schedule)
    let schedules: [(usize, usize, usize, &[usize]); 8] = [
        (6, 2, 4, &[1, 1, 1, 1]),
        (6, 2, 4, &[2, 2]),
        (6, 2, 5, &[1, 3]),
        (5, 0, 4, &[1, 1, 1, 1, 1]),
        (5, 0, 4, &[1, 4]),
        (5, 0, 2, &[3, 2]),
        (5, 0, 1, &[2, 2, 1]),
        (7, 3, 3, &[4]),
    ];
    for (log_max, log_final, joins, log_arities) in schedules {
        for index in [0, 9, 22, (1 << log_max) - 1] {
            let rounds = log_arities.len();
            let betas: Vec<Ext> = (0..rounds).map(|r| ext(100 + r)).collect();
            let reduced = vec![(log_max, ext(7 + index)), (joins, ext(8 + index))];
            let steps: Vec<CommitPhaseMultiStep<Ext, ChallengeMmcs>> = log_arities
                .iter()
                .enumerate()
                .map(|(r, &log_arity)| CommitPhaseMultiStep {
                    sibling_values: vec![
                        (1..1 << log_arity).map(|k| ext(200 + 17 * r + k + index)).collect(),
                    ],
                    opening_proof: proof.clone(),
                })
                .collect();
            let mut start = index;
            let mut groups = vec![Vec::new(); rounds];
            let mut rows = vec![Vec::new(); rounds];
            let folding = TwoAdicFriFolding::<(), ()>(std::marker::PhantomData);
            let expected = p3_fri::verifier::fold_query::<_, Val, Ext, ChallengeMmcs>(
                &folding,
                0,
                &mut start,
                &betas,
                log_arities,
                &steps,
                reduced.clone(),
                log_max,
                log_final,
                &mut groups,
                &mut rows,
            )
            .unwrap();

            let mut b = CircuitBuilder::new(0);
            let index_slot = b.constant_base(index as u32);
            let bits = b.bits(index_slot);
            let beta_slots: Vec<_> = betas.iter().map(|&v| b.constant(v)).collect();
            let row_values: Vec<Ext> = rows.iter().flat_map(|round| round[0][0].clone()).collect();
            let row_slots: Vec<Vec<_>> =
                rows.iter().map(|round| round[0][0].iter().map(|_| b.hint()).collect()).collect();
            let reduced_slots: Vec<_> = reduced.iter().map(|&(h, v)| (h, b.constant(v))).collect();
            let point = domain_point(&mut b, &bits[..log_max]);
            let folded = fold_chain(&mut b, &bits[..log_max], point, &reduced_slots, &beta_slots, &row_slots);
            let circuit = b.build();
            let slots = fill(&circuit, &[], &row_values).unwrap();
            assert_eq!(slots[folded.0 as usize], expected, "schedule {log_arities:?}, index {index}");
            // Each row must carry the value folded so far where the query sits: the relations
            // hold, and one fails once the last round's row holds another value there (every
            // other relation is filled from it).
            assert_eq!(failing_relation(&circuit, &slots), None, "{log_arities:?}, index {index}");
            let last = rounds - 1;
            let own = (index >> (log_max - log_final - log_arities[last])) % (1 << log_arities[last]);
            let mut tampered = row_values.clone();
            tampered[row_values.len() - (1 << log_arities[last]) + own] += Ext::ONE;
            let slots = fill(&circuit, &[], &tampered).unwrap();
            assert!(failing_relation(&circuit, &slots).is_some(), "{log_arities:?}, index {index}");
        }
    }
}

/// The first arithmetic relation of `circuit` that `slots` do not satisfy.
fn failing_relation(circuit: &crate::Circuit, slots: &[Ext]) -> Option<usize> {
    use crate::circuit::ArithKind;
    let value = |slot: crate::Slot| slots[slot.0 as usize];
    circuit.arith.iter().position(|op| {
        let result = match op.kind {
            ArithKind::Add => value(op.a) + value(op.b),
            ArithKind::Mul => value(op.a) * value(op.b),
            ArithKind::MulAdd { c } => value(op.a) * value(op.b) + value(c),
        };
        result != value(op.out)
    })
}

/// Openings of a commitment to extension-field matrices (the FRI commit phase's) verify as
/// natively; a changed value is rejected.
#[test]
fn extension_merkle_openings_verify_as_natively() {
    use p3_commit::Mmcs;
    use p3_field::BasedVectorSpace;
    use p3_matrix::dense::RowMajorMatrix;
    use zkvm_core::prover::{ChallengeMmcs, LeafHash, NodeCompression, ValMmcs};
    let permutation = default_babybear_poseidon2_16();
    let mmcs = ChallengeMmcs::new(ValMmcs::new(
        LeafHash::new(permutation.clone()),
        NodeCompression::new(permutation),
        0,
    ));
    let ext =
        |seed: usize| Ext::from_basis_coefficients_fn(|j| BabyBear::new((seed * 37 + j * 3) as u32 + 1));
    // A folded FRI layer: 8 rows of pairs.
    let matrix = RowMajorMatrix::new((0..16).map(ext).collect::<Vec<_>>(), 2);
    let (commitment, data) = mmcs.commit(vec![matrix]);
    let case = |index: usize, tamper: bool| {
        let opening = mmcs.open_batch(index, &data);
        let mut b = CircuitBuilder::new(1);
        let root: [crate::circuit::Slot; 8] =
            std::array::from_fn(|k| b.constant(Ext::from(commitment.roots()[0][k])));
        let index_slot = b.public(0);
        let bits = b.bits(index_slot);
        let values: Vec<_> = (0..2).map(|_| b.hint()).collect();
        let siblings: Vec<[crate::circuit::Slot; 8]> =
            opening.opening_proof.iter().map(|_| std::array::from_fn(|_| b.hint())).collect();
        let row = OpenedRow { height: 8, values };
        verify_ext_batch_opening(&mut b, root, &[row], &bits[..3], &siblings);
        let circuit = b.build();
        let mut hints: Vec<Ext> = opening.opened_values[0].clone();
        if tamper {
            hints[1] += Ext::from(BabyBear::new(1));
        }
        hints.extend(opening.opening_proof.iter().flatten().map(|&v| Ext::from(v)));
        let publics = [Ext::from(BabyBear::new(index as u32))];
        if !tamper {
            let proof = prove_circuit(&circuit, &publics, &hints, &ProofParameters::TESTING).unwrap();
            return verify_circuit(&circuit, &proof, &publics, &ProofParameters::TESTING);
        }
        // Filling refuses the path; forced, its proof is rejected.
        let refused = fill(&circuit, &publics, &hints);
        assert!(matches!(refused, Err(crate::circuit::CircuitError::Conflict(_))), "{refused:?}");
        let proof = crate::prove::prove_circuit_forced(&circuit, &publics, &hints, &ProofParameters::TESTING)
            .unwrap();
        verify_circuit(&circuit, &proof, &publics, &ProofParameters::TESTING)
    };
    for index in [0, 3, 7] {
        assert_eq!(case(index, false), Ok(()), "index {index}");
    }
    assert!(case(3, true).is_err());
}

/// Plonky3 sends pruned multi-openings whose shape depends on the query indices; its
/// `restore_and_recompute_paths` expands them into one full path per query, which the circuit's
/// fixed-shape gadget verifies for every query.
#[test]
fn pruned_multi_openings_expand_to_paths_the_circuit_verifies() {
    use p3_commit::Mmcs;
    use p3_matrix::Dimensions;
    use p3_matrix::dense::RowMajorMatrix;
    use zkvm_core::prover::{LeafHash, NodeCompression, ValMmcs};
    let permutation = default_babybear_poseidon2_16();
    let mmcs = ValMmcs::new(LeafHash::new(permutation.clone()), NodeCompression::new(permutation), 0);
    let shapes = [(16usize, 4usize), (8, 3)];
    let matrices: Vec<RowMajorMatrix<Val>> = shapes
        .iter()
        .enumerate()
        .map(|(m, &(h, w))| {
            RowMajorMatrix::new((0..h * w).map(|i| BabyBear::new((m * 999 + i) as u32 + 4)).collect(), w)
        })
        .collect();
    let dimensions: Vec<Dimensions> =
        shapes.iter().map(|&(height, width)| Dimensions { width, height }).collect();
    let (commitment, data) = mmcs.commit(matrices);
    let indices = [3usize, 2, 13, 3];
    let (opened, pruned) = mmcs.open_multi_batch(&indices, &data);
    let paths = mmcs.restore_and_recompute_paths(&dimensions, &indices, &opened, &pruned).unwrap();

    let mut b = CircuitBuilder::new(0);
    let root: [crate::circuit::Slot; 8] =
        std::array::from_fn(|k| b.constant(Ext::from(commitment.roots()[0][k])));
    let mut hints = Vec::new();
    for ((&index, rows), path) in indices.iter().zip(&opened).zip(&paths) {
        let index_slot = b.constant_base(index as u32);
        let bits = b.bits(index_slot);
        let opened_rows: Vec<OpenedRow> = shapes
            .iter()
            .zip(rows)
            .map(|(&(height, _), row)| {
                hints.extend(row.iter().map(|&v| Ext::from(v)));
                OpenedRow { height, values: row.iter().map(|_| b.hint()).collect() }
            })
            .collect();
        let siblings: Vec<[crate::circuit::Slot; 8]> = path
            .siblings
            .iter()
            .map(|digest| {
                hints.extend(digest.iter().map(|&v| Ext::from(v)));
                std::array::from_fn(|_| b.hint())
            })
            .collect();
        verify_batch_opening(&mut b, root, &opened_rows, &bits[..4], &siblings);
    }
    let circuit = b.build();
    let proof = prove_circuit(&circuit, &[], &hints, &ProofParameters::TESTING).unwrap();
    assert_eq!(verify_circuit(&circuit, &proof, &[], &ProofParameters::TESTING), Ok(()));
}

/// Plonky3 0.8 seeds a FRI transcript with a domain separator that depends only on the proof's
/// shape: recorded natively, observed as constants, the circuit's challenger then draws what the
/// native one draws after seeding.
#[test]
fn the_fri_transcript_seed_replays_as_constants() {
    use p3_fri::{FriParameters, FriShape};
    use zkvm_core::prover::{ChallengeMmcs, LeafHash, NodeCompression, ValMmcs};

    /// Records every element observed.
    #[derive(Default)]
    struct Recorder(Vec<Val>);
    impl CanObserve<Val> for Recorder {
        fn observe(&mut self, value: Val) {
            self.0.push(value);
        }
    }

    let permutation = default_babybear_poseidon2_16();
    let mmcs = ValMmcs::new(LeafHash::new(permutation.clone()), NodeCompression::new(permutation), 0);
    let params = FriParameters {
        log_blowup: 2,
        log_final_poly_len: 0,
        max_log_arity: 1,
        num_queries: 168,
        batch_proof_of_work_bits: 16,
        commit_proof_of_work_bits: 0,
        query_proof_of_work_bits: 16,
        mmcs: ChallengeMmcs::new(mmcs),
    };
    let shape = FriShape::new(&params, &[20, 18], 20);
    let separator = shape.domain_separator::<Val, Ext>();
    let mut recorder = Recorder::default();
    separator.seed(&mut recorder);
    assert!(!recorder.0.is_empty());

    let mut native = NativeChallenger::new(default_babybear_poseidon2_16());
    separator.seed(&mut native);
    let expected: Ext = native.sample();

    let mut b = CircuitBuilder::new(0);
    let mut challenger = CircuitChallenger::new(&mut b);
    challenger.observe_constants(&mut b, &recorder.0);
    let drawn = challenger.sample_ext(&mut b);
    let circuit = b.build();
    let slots = fill(&circuit, &[], &[]).unwrap();
    assert_eq!(slots[drawn.0 as usize], expected);
}
