//! Recursion circuits prove and verify; a change to any table's trace, a public input or the
//! circuit itself is rejected.

use p3_baby_bear::BabyBear;
use p3_field::PrimeCharacteristicRing;
use p3_matrix::dense::RowMajorMatrix;
use zkvm_core::prover::{ProofParameters, Val};

use crate::circuit::{Circuit, CircuitBuilder, Ext, fill};
use crate::prove::{RecursionVerifyError, circuit_traces, prove_circuit, prove_traces, verify_circuit};
use crate::tables::arith::ArithLane;
use crate::tables::poseidon2::Poseidon2Layout;
use crate::tables::witness::{WitnessBaseLane, WitnessChip, WitnessLane};
use crate::tables::{Lanes, RecursionAir};
use zkvm_bus::columns::Columns;
use zkvm_bus::row::constraints_violated_on_row;

fn ext(seed: u32) -> Ext {
    use p3_field::BasedVectorSpace;
    Ext::from_basis_coefficients_fn(|k| BabyBear::new(seed * 7 + k as u32 * 13 + 1))
}

#[test]
fn a_circuit_proves_and_verifies() {
    let circuit = arithmetic_circuit();
    let publics = arithmetic_publics();
    let proof = prove_circuit(&circuit, &publics, &[], &ProofParameters::TESTING).unwrap();
    assert_eq!(verify_circuit(&circuit, &proof, &publics, &ProofParameters::TESTING), Ok(()));
}

/// Publics x, y and a claimed r: checks ((x + y) x - y) / x = r, and chains two Poseidon2
/// permutations of constants, the second with its input's halves exchanged (swap bit 1).
fn arithmetic_circuit() -> Circuit {
    let mut b = arithmetic_relations();
    let (x, y, r) = (b.public(0), b.public(1), b.public(2));
    b.mul_add(x, y, r);
    let input = std::array::from_fn(|i| b.constant_base(i as u32 + 7));
    let output = b.poseidon2(input);
    let one = b.constant_base(1);
    b.poseidon2_swapped(one, output);
    b.build()
}

/// A builder over publics x, y and a claimed r that checks ((x + y) x - y) / x = r.
fn arithmetic_relations() -> CircuitBuilder {
    let mut b = CircuitBuilder::new(3);
    let (x, y, r) = (b.public(0), b.public(1), b.public(2));
    let sum = b.add(x, y);
    let product = b.mul(sum, x);
    let difference = b.sub(product, y);
    let quotient = b.div(difference, x);
    b.assert_eq(quotient, r);
    b
}

fn arithmetic_publics() -> Vec<Ext> {
    let (x, y) = (ext(1), ext(2));
    vec![x, y, ((x + y) * x - y) / x]
}

#[test]
fn a_wrong_public_input_is_rejected() {
    let circuit = arithmetic_circuit();
    let publics = arithmetic_publics();
    let proof = prove_circuit(&circuit, &publics, &[], &ProofParameters::TESTING).unwrap();
    for position in 0..publics.len() {
        let mut wrong = publics.clone();
        wrong[position] += Ext::ONE;
        let verdict = verify_circuit(&circuit, &proof, &wrong, &ProofParameters::TESTING);
        assert!(matches!(verdict, Err(RecursionVerifyError::Invalid(_))), "public {position}: {verdict:?}");
    }
    // A false claim cannot be proven either: with r changed in the claim (which the public
    // table sends to slot 2) and in slot 2 of the witness table, the relation quotient = r
    // fails.
    let mut false_claim = publics.clone();
    false_claim[2] += Ext::ONE;
    let slots = fill(&circuit, &publics, &[]).unwrap();
    let mut traces = circuit_traces(&circuit, &slots);
    let (row, column) = witness_cell(&circuit, 2, 0);
    let width = traces[0].width;
    traces[0].values[row * width + column] += Val::ONE;
    let proof = prove_traces(&circuit, &traces, &false_claim, &ProofParameters::TESTING).unwrap();
    let verdict = verify_circuit(&circuit, &proof, &false_claim, &ProofParameters::TESTING);
    assert!(matches!(verdict, Err(RecursionVerifyError::Invalid(_))), "{verdict:?}");
}

/// The witness table's `(row, column)` of coefficient `offset` of slot `slot`'s value in
/// `circuit` (0 for a base slot's one column, 0..5 for another slot's).
fn witness_cell(circuit: &Circuit, slot: usize, offset: usize) -> (usize, usize) {
    let (row, column, base) = {
        let ids = circuit.witness_ids();
        WitnessChip::new(circuit, &ids).cell_of(ids[slot] as usize)
    };
    let width = if base { WitnessBaseLane::<Val>::WIDTH } else { WitnessLane::<Val>::WIDTH };
    assert!(offset < width, "slot {slot}'s lane holds {width} coefficient(s)");
    (row, column + offset)
}

/// The slot of `circuit` whose witness id is `id`.
fn slot_of_id(circuit: &Circuit, id: usize) -> usize {
    circuit.witness_ids().iter().position(|&other| other as usize == id).expect("ids are a bijection")
}

/// The arith table's `(row, column)` of column `offset` of relation `relation`'s lane under
/// `lanes` (offsets 0..5 `a`, 5..10 `b`, 10..15 `out`, 15..20 `c`).
fn arith_cell(lanes: Lanes, relation: usize, offset: usize) -> (usize, usize) {
    (relation / lanes.arith, (relation % lanes.arith) * ArithLane::<Val>::WIDTH + offset)
}

/// Changes cell `(row, column)` of table `table` of a valid filling of the arithmetic circuit,
/// proves, and expects the proof to be rejected.
fn assert_tamper_rejected(table: usize, row: usize, column: usize) {
    assert_tamper_rejected_in(&arithmetic_circuit(), &ProofParameters::TESTING, table, row, column);
}

/// Changes cell `(row, column)` of table `table` of a valid filling of `circuit`, proves under
/// `parameters`, and expects the proof to be rejected.
fn assert_tamper_rejected_in(
    circuit: &Circuit,
    parameters: &ProofParameters,
    table: usize,
    row: usize,
    column: usize,
) {
    let publics = arithmetic_publics();
    let slots = fill(circuit, &publics, &[]).unwrap();
    let mut traces = circuit_traces(circuit, &slots);
    let width = traces[table].width;
    traces[table].values[row * width + column] += Val::ONE;
    let proof = prove_traces(circuit, &traces, &publics, parameters).unwrap();
    let verdict = verify_circuit(circuit, &proof, &publics, parameters);
    let name = RecursionAir::tables(circuit)[table].name();
    assert!(
        matches!(verdict, Err(RecursionVerifyError::Invalid(_))),
        "{name} row {row} column {column}: {verdict:?}"
    );
}

/// A witness lane's multiplicity and the ids its lanes provide are fixed by the circuit: a key whose
/// multiplicity for a slot is not the number of messages that name it (one more or one fewer
/// for a slot the arith table reads, one more for a public input's slot and for a base slot, one
/// more for a padding lane past the last base slot and for one past the last slot) yields no
/// proof that verifies under it, even from a prover who made the key.
#[test]
fn a_multiplicity_other_than_the_reads_is_rejected() {
    use crate::prove::prove_tables;
    use p3_batch_stark::verify_batch;
    let circuit = arithmetic_circuit();
    let publics = arithmetic_publics();
    let parameters = ProofParameters::TESTING;
    let config = parameters.config().unwrap();
    let traces = circuit_traces(&circuit, &fill(&circuit, &publics, &[]).unwrap());
    let honest = RecursionAir::tables(&circuit);
    let RecursionAir::Witness(chip) = &honest[0] else { panic!("the witness table comes first") };
    let past_the_last = chip.reads.len();
    let ids = circuit.witness_ids();
    let [sum, public] = [3, 0].map(|slot| ids[slot] as usize);
    let (base_count, _) = circuit.slot_counts();
    assert!(base_count < chip.first_ext_id() && chip.reads[sum] > 0 && chip.reads[public] > 0);
    assert!(past_the_last < chip.first_ext_id() + chip.height * chip.lanes.ext);
    // A key whose witness table `tamper` changes, with which its maker proves the honest traces.
    let verdict = |tamper: &dyn Fn(&mut WitnessChip)| {
        let mut airs = honest.clone();
        let RecursionAir::Witness(chip) = &mut airs[0] else { unreachable!() };
        tamper(chip);
        let (proof, data) =
            prove_tables(&airs, &traces, &publics, &parameters).expect("the prover does not check the sums");
        let public_values: Vec<Vec<Val>> = airs.iter().map(|air| air.public_values(&publics)).collect();
        verify_batch(&config, &airs, &proof, &public_values, &data.common)
    };
    let changed_reads = |id: usize, change: i64| {
        move |chip: &mut WitnessChip| {
            chip.reads.resize(past_the_last + 1, 0);
            chip.reads[id] = (i64::from(chip.reads[id]) + change) as u32;
        }
    };
    // The same path with the circuit's own multiplicities verifies.
    assert!(verdict(&changed_reads(sum, 0)).is_ok());
    // One more or one fewer for an extension slot, one more for a public input, for a base slot
    // (id 0), for the first base lane past the base slots and for the first extension lane
    // past the last slot.
    for (id, change) in [(sum, 1), (sum, -1), (public, 1), (0, 1), (base_count, 1), (past_the_last, 1)] {
        let accepted = verdict(&changed_reads(id, change)).is_ok();
        assert!(!accepted, "witness id {id}, multiplicity changed by {change}: accepted");
    }
}

#[test]
fn tampering_with_any_table_is_rejected() {
    let circuit = arithmetic_circuit();
    let tables = RecursionAir::tables(&circuit);
    let names: Vec<&str> = tables.iter().map(RecursionAir::name).collect();
    assert_eq!(names, ["witness", "public", "arith", "poseidon2"]);
    // witness: an extension value (slot 3 = x + y, and public x), a constant slot's value
    // and a permutation's output in base lanes, in several lanes (its slots and
    // multiplicities are preprocessed: `a_multiplicity_other_than_the_reads_is_rejected`).
    let constant = circuit.constants[0].0.0 as usize;
    let output = circuit.poseidon2[1].first_output.0 as usize + 15;
    assert!(circuit.base[constant] && circuit.base[output] && !circuit.base[3] && !circuit.base[0]);
    for (slot, coefficient) in [(3, 0), (3, 4), (constant, 0), (output, 0), (0, 0), (0, 4)] {
        let (row, column) = witness_cell(&circuit, slot, coefficient);
        assert_tamper_rejected(0, row, column);
    }
    // public: its one main column (held at zero), on the real row and on a padding row.
    assert_tamper_rejected(1, 0, 0);
    assert_tamper_rejected(1, 1, 0);
    // arith: each operand of the first (add) and second (mul) relations, which share a row,
    // of the third, on the next row, and of the multiply-add (a, b, out, then c).
    use crate::circuit::ArithKind;
    assert_eq!(circuit.arith[0].kind, ArithKind::Add);
    assert_eq!(circuit.arith[1].kind, ArithKind::Mul);
    assert!(matches!(circuit.arith[5].kind, ArithKind::MulAdd { .. }));
    let fused = [(5, 0), (5, 9), (5, 10), (5, 15), (5, 19)];
    for (relation, column) in
        [(0, 0), (0, 5), (0, 10), (1, 3), (1, 14), (2, 0), (2, 12)].into_iter().chain(fused)
    {
        let (row, column) = arith_cell(circuit.lanes, relation, column);
        assert_tamper_rejected(2, row, column);
    }
    // poseidon2: an input, an S-box register, an output, the swap bit and the first slot's
    // value, on the plain permutation (row 0) and on the swapped one (row 1).
    let permutation = zkvm_memory::merkle::poseidon2::PERMUTATION_WIDTH;
    let width = p3_air::BaseAir::<Val>::width(&tables[3]);
    assert_eq!(width, permutation + 9, "the swap bit and the first half follow the permutation");
    for row in [0, 1] {
        for column in [0, 8, 16, permutation - 1, permutation, permutation + 1, width - 1] {
            assert_tamper_rejected(3, row, column);
        }
    }
}

/// The arithmetic circuit, then a permutation of `input` keeping both output halves, the same
/// keeping only the first half (as a compression does), and its swapped twin and the swapped
/// permutation keeping only the second half (as a sponge step before a full block does), each
/// kept output read by a relation. Returns the circuit and the slots of the four outputs.
fn half_output_circuit() -> (Circuit, [Vec<crate::Slot>; 4]) {
    let mut b = arithmetic_relations();
    let input = std::array::from_fn(|i| b.constant_base(i as u32 + 3));
    let (zero, one) = (b.zero(), b.constant_base(1));
    let full = b.poseidon2(input).to_vec();
    let first = b.poseidon2_first_half(zero, input).to_vec();
    let swapped_full = b.poseidon2_swapped(one, input).to_vec();
    let second = b.poseidon2_second_half(one, input).to_vec();
    for (&a, &c) in first.iter().zip(&second) {
        b.add(a, c);
    }
    (b.build(), [full, first, swapped_full, second])
}

#[test]
fn a_permutation_keeping_one_output_half_gives_slots_to_that_half_only() {
    let (circuit, [full, first, swapped_full, second]) = half_output_circuit();
    assert_eq!((first.len(), second.len()), (8, 8));
    // The kept halves hold what the full permutations output there.
    let publics = arithmetic_publics();
    let slots = fill(&circuit, &publics, &[]).unwrap();
    let value = |slot: &crate::Slot| slots[slot.0 as usize];
    assert!(first.iter().zip(&full[..8]).all(|(a, b)| value(a) == value(b)));
    assert!(second.iter().zip(&swapped_full[8..]).all(|(a, b)| value(a) == value(b)));
    // Sixteen slots fewer than two full permutations would take, and the table fixes which
    // half each row writes.
    let ops = &circuit.poseidon2;
    assert_eq!(ops[1].first_output.0 + 8, ops[2].first_output.0);
    assert_eq!(ops[3].first_output.0 + 8, circuit.num_slots - 8, "the second half, then the sums");
    let proof = prove_circuit(&circuit, &publics, &[], &ProofParameters::TESTING).unwrap();
    assert_eq!(verify_circuit(&circuit, &proof, &publics, &ProofParameters::TESTING), Ok(()));
    // A kept output and a dropped one (still bound to the input by the permutation's
    // constraints) are each refused when changed, on the first-half row (1) and the
    // second-half row (3); so is the value of a kept output slot in the witness table.
    let permutation = zkvm_memory::merkle::poseidon2::PERMUTATION_WIDTH;
    for row in [1, 3] {
        for output in [0, 7, 8, 15] {
            let column = permutation - 16 + output;
            assert_tamper_rejected_in(&circuit, &ProofParameters::TESTING, 3, row, column);
        }
    }
    for slot in [first[0], second[7]] {
        let (row, column) = witness_cell(&circuit, slot.0 as usize, 0);
        assert_tamper_rejected_in(&circuit, &ProofParameters::TESTING, 0, row, column);
    }
}

/// The README job's final circuit's lanes (seven base and two extension witness slots and two
/// arith relations per row): the arithmetic circuit proves and verifies with them, its tables
/// take their widths, and a changed value in the last base lane and in the last extension
/// lane and a changed operand of the second arith lane are rejected. The lanes are part of the
/// verifying key: a proof made with the node lanes does not verify as the final lanes' circuit.
#[test]
fn the_final_lanes_prove_and_reject_tampering() {
    let lanes = Lanes { base: 7, ext: 2, arith: 2 };
    let mut circuit = arithmetic_circuit();
    circuit.lanes = lanes;
    let tables = RecursionAir::tables(&circuit);
    let widths: Vec<usize> = tables.iter().map(p3_air::BaseAir::<Val>::width).collect();
    assert_eq!(
        (widths[0], widths[2]),
        (7 * WitnessBaseLane::<Val>::WIDTH + 2 * WitnessLane::<Val>::WIDTH, 2 * ArithLane::<Val>::WIDTH)
    );
    let publics = arithmetic_publics();
    let proof = prove_circuit(&circuit, &publics, &[], &ProofParameters::TESTING).unwrap();
    assert_eq!(verify_circuit(&circuit, &proof, &publics, &ProofParameters::TESTING), Ok(()));
    let first_ext = WitnessChip::new(&circuit, &circuit.witness_ids()).first_ext_id();
    let (last_base, last_ext) = (slot_of_id(&circuit, 6), slot_of_id(&circuit, first_ext + 1));
    assert_eq!(witness_cell(&circuit, last_base, 0), (0, 6));
    assert_eq!(witness_cell(&circuit, last_ext, 4), (0, 7 + 5 + 4));
    for (slot, offset) in [(last_base, 0), (last_ext, 0), (last_ext, 4), (3, 4)] {
        let (row, column) = witness_cell(&circuit, slot, offset);
        assert_tamper_rejected_in(&circuit, &ProofParameters::TESTING, 0, row, column);
    }
    // The multiplication's b (relation 1, lane 1 of row 0) and the multiply-add's c
    // (relation 5, lane 1 of row 2).
    for (relation, offset) in [(1, 5), (5, 17)] {
        let (row, column) = arith_cell(lanes, relation, offset);
        assert_tamper_rejected_in(&circuit, &ProofParameters::TESTING, 2, row, column);
    }
    // The node lanes' proof (three arith lanes) has another arith table: refused for its shape.
    let node_proof = prove_circuit(&arithmetic_circuit(), &publics, &[], &ProofParameters::TESTING).unwrap();
    let verdict = verify_circuit(&circuit, &node_proof, &publics, &ProofParameters::TESTING);
    assert!(
        matches!(verdict, Err(RecursionVerifyError::Invalid(_) | RecursionVerifyError::Shape(_))),
        "{verdict:?}"
    );
}

/// The arithmetic circuit with its poseidon2 table in the compact layout.
fn compact_circuit() -> Circuit {
    let mut circuit = arithmetic_circuit();
    circuit.poseidon2_layout = Poseidon2Layout::Compact;
    circuit
}

/// Test parameters at the rate the compact layout needs (its quotient takes 8 chunks).
const COMPACT_TESTING: ProofParameters =
    ProofParameters { log_blowup: Poseidon2Layout::COMPACT_MIN_LOG_BLOWUP, ..ProofParameters::TESTING };

#[test]
fn the_compact_poseidon2_layout_proves_the_same_permutations_in_fewer_columns() {
    use crate::tables::poseidon2::Poseidon2Columns;
    use zkvm_bus::columns::borrow;
    use zkvm_memory::merkle::poseidon2::output;
    let (registers, compact) = (arithmetic_circuit(), compact_circuit());
    let publics = arithmetic_publics();
    let proof = prove_circuit(&compact, &publics, &[], &COMPACT_TESTING).unwrap();
    assert_eq!(verify_circuit(&compact, &proof, &publics, &COMPACT_TESTING), Ok(()));
    // The two layouts permute the same inputs to the same outputs, row by row.
    let slots = fill(&registers, &publics, &[]).unwrap();
    let (wide, narrow) = (&circuit_traces(&registers, &slots)[3], &circuit_traces(&compact, &slots)[3]);
    assert_eq!((wide.width, narrow.width), (307, 166));
    for (wide_row, narrow_row) in wide.values.chunks(wide.width).zip(narrow.values.chunks(narrow.width)) {
        let wide_row: &Poseidon2Columns<Val, 1> = borrow(wide_row);
        let narrow_row: &Poseidon2Columns<Val, 0> = borrow(narrow_row);
        assert_eq!(wide_row.permutation.inputs, narrow_row.permutation.inputs);
        assert_eq!(output(&wide_row.permutation), output(&narrow_row.permutation));
        assert_eq!((wide_row.swap, wide_row.first_half), (narrow_row.swap, narrow_row.first_half));
    }
    // At degree 7 the lookup argument packs more fractions per column: fewer LogUp columns.
    assert!(fraction_columns(&compact) < fraction_columns(&registers));
    // At rate 1/2 the compact layout's quotient does not fit: refused with a typed error, by the
    // prover and by the verifier's key building.
    assert_refused_at_rate_one_half(&compact);
    let verdict = verify_circuit(&compact, &proof, &publics, &ProofParameters::TESTING);
    assert!(matches!(verdict, Err(RecursionVerifyError::Invalid(_))), "{verdict:?}");
}

#[test]
fn tampering_with_the_compact_poseidon2_table_is_rejected() {
    let circuit = compact_circuit();
    let permutation = zkvm_memory::merkle::poseidon2::permutation_width::<0>();
    let width = p3_air::BaseAir::<Val>::width(&RecursionAir::tables(&circuit)[3]);
    assert_eq!(width, permutation + 9, "the swap bit and the first half follow the permutation");
    // An input, the first full round's first state cell, the first and last partial rounds'
    // S-box outputs (after 16 inputs and 4 full rounds of 16), the first cell after the partial
    // rounds, an output, the swap bit, the first slot's value and the last column, on the plain
    // permutation (row 0) and on the swapped one (row 1).
    let partial = 16 + 4 * 16;
    for row in [0, 1] {
        for column in [
            0,
            16,
            partial,
            partial + 12,
            partial + 13,
            permutation - 1,
            permutation,
            permutation + 1,
            width - 1,
        ] {
            assert_tamper_rejected_in(&circuit, &COMPACT_TESTING, 3, row, column);
        }
    }
}

/// The arithmetic circuit with its poseidon2 table over two rows per permutation.
fn two_row_circuit() -> Circuit {
    let mut circuit = arithmetic_circuit();
    circuit.poseidon2_layout = Poseidon2Layout::TwoRows;
    circuit
}

/// The two-row layout holds the compact permutation's cells over a pair of rows of half the
/// width: the same permutations (inputs, outputs, swap, slot values) as the compact layout, in
/// twice the rows and 17 messages per row instead of 33, and it proves and verifies.
#[test]
fn the_two_row_poseidon2_layout_splits_each_permutation_over_a_pair_of_rows() {
    use crate::tables::poseidon2::{PairFirstRow, PairSecondRow, Poseidon2Columns};
    use zkvm_bus::columns::borrow;
    use zkvm_memory::merkle::poseidon2::output;
    let (compact, paired) = (compact_circuit(), two_row_circuit());
    assert_eq!(crate::tables::poseidon2_rows(&paired), 2 * compact.poseidon2.len());
    let publics = arithmetic_publics();
    let proof = prove_circuit(&paired, &publics, &[], &COMPACT_TESTING).unwrap();
    assert_eq!(verify_circuit(&paired, &proof, &publics, &COMPACT_TESTING), Ok(()));
    let slots = fill(&compact, &publics, &[]).unwrap();
    let (one_row, two_rows) = (&circuit_traces(&compact, &slots)[3], &circuit_traces(&paired, &slots)[3]);
    assert_eq!((one_row.width, two_rows.width), (166, 87));
    for (row, pair) in one_row.values.chunks(one_row.width).zip(two_rows.values.chunks(2 * two_rows.width)) {
        let row: &Poseidon2Columns<Val, 0> = borrow(row);
        let first: &PairFirstRow<Val> = borrow(&pair[..two_rows.width]);
        let second: &PairSecondRow<Val> = borrow(&pair[two_rows.width..]);
        assert_eq!(first.head[..16], row.permutation.inputs);
        assert_eq!(second.output, output(&row.permutation));
        assert_eq!(first.swap, row.swap);
        assert_eq!(first.values[..8], row.first_half);
    }
    assert!(fraction_columns(&paired) < fraction_columns(&compact));
    assert_refused_at_rate_one_half(&paired);
}

/// The running-sum columns of `circuit`'s poseidon2 table (its fourth) at the compact rate.
fn fraction_columns(circuit: &Circuit) -> usize {
    crate::prove::circuit_common_data(circuit, &COMPACT_TESTING).unwrap().lookups[3].len()
}

/// Expects the prover to refuse `circuit` at rate 1/2, where a quotient of 8 chunks does not fit.
fn assert_refused_at_rate_one_half(circuit: &Circuit) {
    use crate::prove::RecursionProveError;
    let refused = prove_circuit(circuit, &arithmetic_publics(), &[], &ProofParameters::TESTING);
    assert!(
        matches!(refused, Err(RecursionProveError::CompactLayoutRate { log_blowup: 1, min_log_blowup: 3 })),
        "{:?}",
        refused.err()
    );
}

#[test]
fn tampering_with_either_row_of_a_two_row_permutation_is_rejected() {
    let circuit = two_row_circuit();
    // First rows (0: a plain permutation, 2: the swapped one): a slot value of each half, the
    // swap bit, an input, a round state, the last head column. Second rows (1, 3): an output of
    // each half, the first and last tail columns.
    for pair in [0, 2] {
        for column in [0, 9, 16, 17, 17 + 16, 86] {
            assert_tamper_rejected_in(&circuit, &COMPACT_TESTING, 3, pair, column);
        }
        for column in [0, 8, 16, 86] {
            assert_tamper_rejected_in(&circuit, &COMPACT_TESTING, 3, pair + 1, column);
        }
    }
}

#[test]
fn another_circuit_does_not_accept_the_proof() {
    let circuit = arithmetic_circuit();
    let publics = arithmetic_publics();
    let proof = prove_circuit(&circuit, &publics, &[], &ProofParameters::TESTING).unwrap();
    // The same shape with one constant changed: the verifying key differs.
    let mut other = circuit.clone();
    other.constants[1].1 += Ext::ONE;
    let verdict = verify_circuit(&other, &proof, &publics, &ProofParameters::TESTING);
    assert!(matches!(verdict, Err(RecursionVerifyError::Invalid(_))), "{verdict:?}");
    // A circuit with another table shape is refused before any cryptography.
    let mut b = CircuitBuilder::new(3);
    let x = b.public(0);
    b.add(x, x);
    let verdict = verify_circuit(&b.build(), &proof, &publics, &ProofParameters::TESTING);
    assert!(matches!(verdict, Err(RecursionVerifyError::Shape(_))), "{verdict:?}");
}

#[test]
fn a_table_taller_than_the_cap_is_not_proven() {
    // The soundness computation bounds every recursion table by the cap; the prover refuses a
    // trace beyond it before any work (a one-column stand-in is enough to be refused).
    let circuit = arithmetic_circuit();
    let publics = arithmetic_publics();
    let slots = fill(&circuit, &publics, &[]).unwrap();
    let mut traces = circuit_traces(&circuit, &slots);
    let tall = 1usize << (crate::tables::MAX_TABLE_LOG_HEIGHT + 1);
    traces[2] = RowMajorMatrix::new(vec![Val::ZERO; tall], 1);
    let refused = prove_traces(&circuit, &traces, &publics, &ProofParameters::TESTING);
    assert!(
        matches!(
            refused,
            Err(crate::prove::RecursionProveError::TooTall { table: "arith", log_height })
                if log_height == crate::tables::MAX_TABLE_LOG_HEIGHT + 1
        ),
        "{:?}",
        refused.err()
    );
}

/// The public table's public-input messages are built from the public values alone and its
/// constants are one message per row, so the lookup argument folds all of them into one
/// fraction column: a node's 304 public inputs and hundreds of constants cost a proof one main
/// column, eight preprocessed columns and two extension columns (accumulator and fraction).
#[test]
fn the_public_table_costs_one_fraction_column_whatever_the_number_of_publics() {
    use crate::prove::circuit_common_data;
    use crate::tables::PUBLIC_TABLE;
    for (num_publics, num_constants) in [(1u32, 0u32), (3, 1), (295, 500)] {
        let mut b = CircuitBuilder::new(num_publics);
        let first = b.public(0);
        let sum = b.add(first, first);
        for value in 0..num_constants {
            let constant = b.constant_base(value + 2);
            b.add(sum, constant);
        }
        let circuit = b.build();
        assert_eq!(circuit.constants.len(), num_constants as usize);
        let tables = RecursionAir::tables(&circuit);
        assert_eq!(p3_air::BaseAir::<Val>::width(&tables[PUBLIC_TABLE]), 1);
        assert_eq!(p3_air::BaseAir::<Val>::preprocessed_width(&tables[PUBLIC_TABLE]), 8);
        let common = circuit_common_data(&circuit, &ProofParameters::TESTING).unwrap();
        let lookups = &common.lookups[PUBLIC_TABLE];
        assert_eq!(lookups.len(), 1, "{num_publics} publics: one fraction column");
        // Every public input and the constant row's message, folded into it.
        assert_eq!(lookups[0].elements.len(), num_publics as usize + 1);
    }
}

/// A circuit's constants live in the public table's rows, so a circuit with more constants
/// than it has rows is refused with a typed error, by the prover and by the key builder.
#[test]
fn a_circuit_with_more_constants_than_the_public_table_holds_is_refused() {
    use crate::prove::{RecursionProveError, circuit_common_data};
    use crate::tables::public::MAX_CONSTANTS;
    let mut b = CircuitBuilder::new(1);
    let first = b.public(0);
    for value in 0..=MAX_CONSTANTS as u32 {
        let constant = b.constant_base(value + 1);
        b.add(first, constant);
    }
    let circuit = b.build();
    let publics = [Ext::ONE];
    let refused = prove_circuit(&circuit, &publics, &[], &ProofParameters::TESTING);
    let expected = MAX_CONSTANTS + 1;
    assert!(
        matches!(refused, Err(RecursionProveError::TooManyConstants { count }) if count == expected),
        "{:?}",
        refused.err()
    );
    let refused = circuit_common_data(&circuit, &ProofParameters::TESTING);
    assert!(matches!(refused, Err(RecursionProveError::TooManyConstants { .. })));
}

/// The public table's selectors are preprocessed bits (U2): a key whose `is_public_row` or
/// `is_constant` holds a 2 (sending the public inputs or a constant twice) violates a
/// constraint of the table itself, whatever the rest of the bus does, and the honest key
/// violates none.
#[test]
fn the_public_table_selectors_are_bits() {
    use crate::tables::PUBLIC_TABLE;
    use crate::tables::public::{PUBLIC_TABLE_HEIGHT, PublicPreprocessed};
    use p3_air::BaseAir;
    let circuit = arithmetic_circuit();
    let tables = RecursionAir::tables(&circuit);
    let table = &tables[PUBLIC_TABLE];
    let publics: Vec<Val> = table.public_values(&arithmetic_publics());
    let main = RowMajorMatrix::new(vec![Val::ZERO; PUBLIC_TABLE_HEIGHT], 1);
    let honest = BaseAir::<Val>::preprocessed_trace(table).expect("the public table is preprocessed");
    for row in [0, 1, PUBLIC_TABLE_HEIGHT - 1] {
        assert_eq!(
            constraints_violated_on_row(table, &main, Some(&honest), &publics, row),
            0,
            "honest row {row}"
        );
    }
    let names = PublicPreprocessed::<Val>::names();
    for selector in ["is_public_row", "is_constant"] {
        let column = names.iter().position(|name| name == selector).expect("a public column");
        let mut doubled = honest.clone();
        doubled.values[column] = Val::TWO;
        assert_eq!(
            constraints_violated_on_row(table, &main, Some(&doubled), &publics, 0),
            1,
            "{selector} = 2"
        );
    }
}

/// The poseidon2 table's row selector is a preprocessed bit (P7): a key that marks a
/// permutation's row with 2 (reading its inputs twice), its output flags cleared so that no
/// other constraint involves the selector, violates exactly one constraint of the table itself,
/// and the honest rows violate none.
#[test]
fn the_poseidon2_row_selector_is_a_bit() {
    use crate::tables::poseidon2::Poseidon2Preprocessed;
    use p3_air::BaseAir;
    let circuit = arithmetic_circuit();
    let tables = RecursionAir::tables(&circuit);
    let index =
        tables.iter().position(|t| matches!(t, RecursionAir::Poseidon2(_))).expect("a poseidon2 table");
    let table = &tables[index];
    let traces = circuit_traces(&circuit, &fill(&circuit, &arithmetic_publics(), &[]).unwrap());
    let main = &traces[index];
    let honest = BaseAir::<Val>::preprocessed_trace(table).expect("the poseidon2 table is preprocessed");
    let names = Poseidon2Preprocessed::<Val>::names();
    let column = |name: &str| names.iter().position(|n| n == name).expect("a poseidon2 column");
    assert_eq!(honest.values[column("is_real")], Val::ONE, "the first row is a permutation's");
    let last = p3_matrix::Matrix::height(main) - 1;
    for row in [0, 1, last] {
        assert_eq!(constraints_violated_on_row(table, main, Some(&honest), &[], row), 0, "honest row {row}");
    }
    let mut doubled = honest.clone();
    doubled.values[column("is_real")] = Val::TWO;
    doubled.values[column("first_half_out")] = Val::ZERO;
    doubled.values[column("second_half_out")] = Val::ZERO;
    assert_eq!(constraints_violated_on_row(table, main, Some(&doubled), &[], 0), 1, "is_real = 2");
}

/// The witness table's messages (one per lane) are packed four to a running-sum column when
/// the blowup leaves room for four quotient chunks: eleven lanes then open 40 base-field
/// elements of LogUp and quotient per query instead of 65. The packed proof verifies, and a
/// changed value in a packed column (the last lane's, in the column of three) is rejected.
#[test]
fn the_witness_lanes_share_running_sum_columns() {
    use crate::prove::circuit_common_data;
    use zkvm_core::prover::packing::{best_layout, candidate_layouts};
    let mut circuit = arithmetic_circuit();
    circuit.lanes = Lanes { base: 8, ext: 3, arith: 3 };
    let parameters = COMPACT_TESTING;
    let config = parameters.config().unwrap();
    let witness = &RecursionAir::tables(&circuit)[0];
    let height = RecursionAir::log_heights(&circuit)[0];
    let default = candidate_layouts(&config, witness, height, parameters.log_blowup)[0];
    assert_eq!(
        (default.running_sum_columns, default.log_quotient_chunks, default.opened_width()),
        (12, 0, 65)
    );
    let chosen = best_layout(&config, witness, height, parameters.log_blowup);
    assert_eq!((chosen.running_sum_columns, chosen.log_quotient_chunks, chosen.opened_width()), (4, 2, 40));
    let lookups = &circuit_common_data(&circuit, &parameters).unwrap().lookups[0];
    let messages: Vec<usize> = lookups.iter().map(|lookup| lookup.elements.len()).collect();
    assert_eq!(messages, [4, 4, 3]);
    // With room for two chunks only (rate 1/2), two messages to a column.
    let testing = ProofParameters::TESTING;
    let chosen = best_layout(&testing.config().unwrap(), witness, height, testing.log_blowup);
    assert_eq!((chosen.running_sum_columns, chosen.log_quotient_chunks), (7, 1));

    let publics = arithmetic_publics();
    let proof = prove_circuit(&circuit, &publics, &[], &parameters).unwrap();
    assert_eq!(verify_circuit(&circuit, &proof, &publics, &parameters), Ok(()));
    let last_lane =
        slot_of_id(&circuit, WitnessChip::new(&circuit, &circuit.witness_ids()).first_ext_id() + 2);
    let (row, column) = witness_cell(&circuit, last_lane, 4);
    assert_tamper_rejected_in(&circuit, &parameters, 0, row, column);
}

/// The final layout merges the witness, arith, poseidon2 and public tables into one table of
/// the tallest's height: its row is theirs side by side (the public part has preprocessed
/// columns only), and it commits one set of quotient chunks and one running sum instead of
/// four. The merged circuit proves and verifies, and a change to any part of a merged row (the
/// first and last coefficients of a witness value, an arith operand, a permutation cell) is
/// rejected.
#[test]
fn the_merged_layout_proves_four_tables_in_one() {
    use crate::tables::{TableLayout, growing_table_heights};
    use p3_air::BaseAir;
    use zkvm_core::prover::packing::best_layout;
    let mut circuit = arithmetic_circuit();
    circuit.use_final_layout(&COMPACT_TESTING);
    assert_eq!(circuit.table_layout, TableLayout::Merged);
    let [height, ..] = growing_table_heights(&circuit);
    assert_eq!(growing_table_heights(&circuit), [height; 3]);
    // Padded to the public table's rows, which hold every constant a circuit may have.
    assert_eq!(height, crate::tables::public::PUBLIC_TABLE_HEIGHT);
    let tables = RecursionAir::tables(&circuit);
    let names: Vec<&str> = tables.iter().map(RecursionAir::name).collect();
    assert_eq!(names, ["merged"]);
    let mut separate = circuit.clone();
    separate.table_layout = TableLayout::Separate;
    let parts = RecursionAir::tables(&separate);
    let part_names: Vec<&str> = parts.iter().map(RecursionAir::name).collect();
    assert_eq!(part_names, ["witness", "public", "arith", "poseidon2"]);
    let [witness, public, arith, poseidon2] = [&parts[0], &parts[1], &parts[2], &parts[3]];
    let width = |air: &RecursionAir| BaseAir::<Val>::width(air);
    let fixed_width = |air: &RecursionAir| BaseAir::<Val>::preprocessed_width(air);
    // The public table's zero column is not merged: the public part has no main column.
    assert_eq!(width(&tables[0]), width(witness) + width(arith) + width(poseidon2));
    assert_eq!(
        fixed_width(&tables[0]),
        fixed_width(witness) + fixed_width(arith) + fixed_width(poseidon2) + fixed_width(public)
    );
    assert_eq!(BaseAir::<Val>::num_public_values(&tables[0]), BaseAir::<Val>::num_public_values(public));
    // One set of quotient chunks and one running sum open fewer columns than four, the public
    // table's main column included.
    let config = COMPACT_TESTING.config().unwrap();
    let log_height = height.trailing_zeros() as usize;
    let opened = |air: &RecursionAir| best_layout(&config, air, log_height, 3).opened_width();
    let separately = opened(witness) + opened(arith) + opened(poseidon2) + opened(public) + width(public);
    assert!(opened(&tables[0]) < separately, "merged {} against {separately}", opened(&tables[0]));

    let publics = arithmetic_publics();
    let proof = prove_circuit(&circuit, &publics, &[], &COMPACT_TESTING).unwrap();
    assert_eq!(verify_circuit(&circuit, &proof, &publics, &COMPACT_TESTING), Ok(()));
    // The merged trace is the three parts' traces side by side.
    let slots = fill(&circuit, &publics, &[]).unwrap();
    let merged_trace = &circuit_traces(&circuit, &slots)[0];
    let part_traces = circuit_traces(&separate, &slots);
    let row: Vec<Val> =
        [0, 2, 3].iter().flat_map(|&t| part_traces[t].values[..part_traces[t].width].to_vec()).collect();
    assert_eq!(&merged_trace.values[..merged_trace.width], &row[..]);
    // The preprocessed row is the four parts' side by side, the public part's over the merged
    // height.
    let fixed = |air: &RecursionAir| BaseAir::<Val>::preprocessed_trace(air).unwrap();
    let merged_fixed = fixed(&tables[0]);
    assert_eq!(merged_fixed.values.len(), height * merged_fixed.width);
    let fixed_row: Vec<Val> = [witness, arith, poseidon2, public]
        .iter()
        .flat_map(|air| {
            let part = fixed(air);
            part.values[..part.width].to_vec()
        })
        .collect();
    assert_eq!(&merged_fixed.values[..merged_fixed.width], &fixed_row[..]);

    let (arith_start, poseidon2_start) = (width(witness), width(witness) + width(arith));
    let lanes = circuit.lanes;
    let mut cells = vec![witness_cell(&circuit, 3, 0), witness_cell(&circuit, 3, 4)];
    let (row, column) = arith_cell(lanes, 0, 0);
    cells.push((row, arith_start + column));
    let (row, column) = arith_cell(lanes, 1, 12);
    cells.push((row, arith_start + column));
    cells.push((0, poseidon2_start));
    cells.push((1, poseidon2_start + 40));
    for (row, column) in cells {
        assert_tamper_rejected_in(&circuit, &COMPACT_TESTING, 0, row, column);
    }
}

/// In the merged layout the public part's messages bind the public inputs and the constants as
/// the public table's do: a proof does not verify with any public input changed, and a key
/// whose public part writes a changed constant, or a public input to another slot, yields no
/// proof that verifies under it, even from a prover who made the key.
#[test]
fn the_merged_public_part_binds_the_public_inputs_and_the_constants() {
    use crate::prove::prove_tables;
    use p3_batch_stark::verify_batch;
    let mut circuit = arithmetic_circuit();
    circuit.use_final_layout(&COMPACT_TESTING);
    let publics = arithmetic_publics();
    let proof = prove_circuit(&circuit, &publics, &[], &COMPACT_TESTING).unwrap();
    assert_eq!(verify_circuit(&circuit, &proof, &publics, &COMPACT_TESTING), Ok(()));
    for position in 0..publics.len() {
        let mut wrong = publics.clone();
        wrong[position] += Ext::ONE;
        let verdict = verify_circuit(&circuit, &proof, &wrong, &COMPACT_TESTING);
        assert!(matches!(verdict, Err(RecursionVerifyError::Invalid(_))), "public {position}: {verdict:?}");
    }

    let config = COMPACT_TESTING.config().unwrap();
    let traces = circuit_traces(&circuit, &fill(&circuit, &publics, &[]).unwrap());
    let honest = RecursionAir::tables(&circuit);
    let verdict = |tamper: &dyn Fn(&mut crate::tables::public::PublicChip)| {
        let mut airs = honest.clone();
        let RecursionAir::Merged(chip) = &mut airs[0] else { panic!("the final layout has one table") };
        tamper(&mut chip.public);
        let (proof, data) = prove_tables(&airs, &traces, &publics, &COMPACT_TESTING)
            .expect("the prover does not check the sums");
        let public_values: Vec<Vec<Val>> = airs.iter().map(|air| air.public_values(&publics)).collect();
        verify_batch(&config, &airs, &proof, &public_values, &data.common)
    };
    assert!(verdict(&|_| {}).is_ok(), "the honest key verifies");
    let last = honest_constants(&honest) - 1;
    let changed_constant =
        move |public: &mut crate::tables::public::PublicChip| public.constants[last].1 += Ext::ONE;
    assert!(verdict(&changed_constant).is_err(), "a changed constant");
    let moved_public = |public: &mut crate::tables::public::PublicChip| public.public_ids.swap(0, 1);
    assert!(verdict(&moved_public).is_err(), "public inputs 0 and 1 written to each other's slots");
}

/// The number of constants of the merged table among `tables`.
fn honest_constants(tables: &[RecursionAir]) -> usize {
    let RecursionAir::Merged(chip) = &tables[0] else { panic!("the final layout has one table") };
    assert!(!chip.public.constants.is_empty(), "the arithmetic circuit has constants");
    chip.public.constants.len()
}

/// Every table's proofs open its main and preprocessed traces at the next row's point only if
/// its constraints or messages read that row (`main_next_row_columns` and
/// `preprocessed_next_row_columns`, which the prover, both verifiers and the in-circuit verifier
/// follow): evaluated on random cells, a change to any next-row cell the table does not list
/// leaves everything it asserts and sends unchanged, and a table that lists columns reads some.
/// Only the two-row poseidon2 layout reads a next row (its main cells), separate or merged; a
/// node proof's one-row tables are opened at one point.
#[test]
fn a_table_opens_the_next_row_only_where_it_reads_it() {
    use crate::tables::TableLayout;
    use p3_air::BaseAir;
    use zkvm_bus::row::check_next_row_lists;
    for layout in [Poseidon2Layout::Registers, Poseidon2Layout::Compact, Poseidon2Layout::TwoRows] {
        for merged in [false, true] {
            let mut circuit = arithmetic_circuit();
            if merged {
                circuit.use_final_layout(&COMPACT_TESTING);
                assert_eq!(circuit.table_layout, TableLayout::Merged);
            }
            circuit.poseidon2_layout = layout;
            for table in RecursionAir::tables(&circuit) {
                let context = format!("{} table, {layout:?} layout", table.name());
                let opens =
                    check_next_row_lists::<Val, _>(&table).unwrap_or_else(|e| panic!("{context}: {e}"));
                assert_eq!(table.reads_next_row(), opens, "{context}");
                let expected =
                    layout == Poseidon2Layout::TwoRows && matches!(table.name(), "poseidon2" | "merged");
                assert_eq!(opens, expected, "{context}");
                assert!(BaseAir::<Val>::preprocessed_next_row_columns(&table).is_empty(), "{context}");
            }
        }
    }
}
