use std::sync::Arc;

use super::*;
use crate::asm::Assembler;
use crate::precompile::PrecompileSet;
use crate::prover::testing::run_segment;
use crate::prover::{MAX_TABLE_LOG_HEIGHT, ProofParameters, Val, generate_traces, prove_traces};
use p3_field::{PrimeCharacteristicRing, PrimeField32};

fn default_shape() -> CircuitShape {
    segment_shape(&Arc::default(), &ProofParameters::DEFAULT).expect("the built-in chipset has a shape")
}

#[test]
fn default_parameters_reach_128_bits_on_the_segment_circuit() {
    let security = unique_decoding_security(&default_shape(), &ProofParameters::DEFAULT);
    for term in &security.terms {
        assert!(term.bits >= f64::from(TARGET_SECURITY_BITS), "{}: {:.1} bits", term.name, term.bits);
    }
    assert!(security.bits() >= TARGET_SECURITY_BITS);
    // The computation responds to the parameters: fewer queries or no grinding fall short.
    let weaker = ProofParameters { num_queries: 100, ..ProofParameters::DEFAULT };
    assert!(unique_decoding_security(&default_shape(), &weaker).bits() < TARGET_SECURITY_BITS);
    let no_lookup_grinding = ProofParameters { lookup_pow_bits: 0, ..ProofParameters::DEFAULT };
    let security = unique_decoding_security(&default_shape(), &no_lookup_grinding);
    let logup = security.terms.iter().find(|t| t.name == "LogUp").expect("the segment circuit has buses");
    assert!(logup.bits < f64::from(TARGET_SECURITY_BITS), "LogUp without grinding: {:.1}", logup.bits);
}

#[test]
fn query_term_matches_the_closed_form() {
    // rate 1/4: each query keeps a cheating prover with probability 5/8.
    let shape = default_shape();
    let p = ProofParameters::DEFAULT;
    let security = unique_decoding_security(&shape, &p);
    let queries = security.terms.iter().find(|t| t.name == "FRI queries").unwrap();
    let expected = p.num_queries as f64 * (8.0f64 / 5.0).log2() + p.query_pow_bits as f64;
    assert!((queries.bits - expected).abs() < 1e-9, "{} vs {expected}", queries.bits);
    // Folding by 4 from 2^24 rows down to a constant: 12 commit rounds; by 2, 24.
    assert_eq!(folding_factors(&shape, &p), vec![4; MAX_TABLE_LOG_HEIGHT / 2]);
    let by_2 = ProofParameters { max_log_arity: 1, ..p };
    assert_eq!(folding_factors(&shape, &by_2), vec![2; MAX_TABLE_LOG_HEIGHT]);
    let by_16 = ProofParameters { max_log_arity: 4, ..p };
    assert_eq!(folding_factors(&shape, &by_16), vec![16; MAX_TABLE_LOG_HEIGHT / 4]);
}

/// A circuit of 2^20 rows with 4,000 batched columns and 1,000 constraints of degree 3 at rate
/// 1/4, 100 queries, folding by 8 down to 2^2 coefficients, no grinding: the reference case
/// of [`both_regimes_match_soundcalc`].
fn reference_case() -> (CircuitShape, ProofParameters) {
    let shape = CircuitShape {
        name: "reference".into(),
        max_log_height: 20,
        air_max_degree: 3,
        num_constraints: 1000,
        batch_size: 4000,
        opening_points: 2,
        lookup: None,
    };
    let parameters = ProofParameters {
        log_blowup: 2,
        num_queries: 100,
        max_log_arity: 3,
        log_final_poly_len: 2,
        query_pow_bits: 0,
        commit_pow_bits: 0,
        batch_pow_bits: 0,
        ood_pow_bits: 0,
        ..ProofParameters::DEFAULT
    };
    (shape, parameters)
}

#[test]
fn both_regimes_match_soundcalc() {
    // The values soundcalc (ethereum/soundcalc at 809896f) computes for the reference case,
    // unrounded: its FRI terms, and its ALI and DEEP formulas with its list size.
    let (shape, parameters) = reference_case();
    let expected = |regime: &DecodingRegime| -> [(&str, f64); 6] {
        match regime {
            DecodingRegime::UniqueDecoding => [
                ("FRI batching", 121.98406599785376),
                ("FRI commit round 1", 134.14212822093904),
                ("FRI commit round 6", 148.91974313751035),
                ("FRI queries", 67.80719051126377),
                ("ALI", 144.56866869696347),
                ("DEEP", 132.53445229369513),
            ],
            DecodingRegime::JohnsonBound { .. } => [
                ("FRI batching", 109.11577593148839),
                ("FRI commit round 1", 121.27384456923004),
                ("FRI commit round 6", 136.27361949145367),
                ("FRI queries", 73.69655941662062),
                ("ALI", 141.2467406020761),
                ("DEEP", 129.21252419880776),
            ],
        }
    };
    for regime in [DecodingRegime::UniqueDecoding, DecodingRegime::JohnsonBound { gap: 0.1 }] {
        let computed = security(&shape, &parameters, &regime).unwrap();
        assert_eq!(computed.terms.len(), 1 + 6 + 3, "batching, six rounds, queries, ALI, DEEP");
        for (name, bits) in expected(&regime) {
            let term = computed.terms.iter().find(|t| t.name == name).unwrap();
            assert!((term.bits - bits).abs() < 1e-6, "{regime:?} {name}: {} vs {bits}", term.bits);
        }
    }
    assert_eq!(
        unique_decoding_security(&shape, &parameters),
        security(&shape, &parameters, &DecodingRegime::UniqueDecoding).unwrap()
    );
}

#[test]
fn the_johnson_gap_is_checked_and_chosen_for_the_weakest_term() {
    let (shape, parameters) = reference_case();
    // At rate 1/4 the Johnson radius is 1/2: a gap must lie strictly between 0 and 1/2.
    for gap in [0.0, -0.1, 0.5, 0.7, f64::NAN] {
        let refused = security(&shape, &parameters, &DecodingRegime::JohnsonBound { gap });
        assert!(matches!(refused, Err(RegimeError::Gap { .. })), "gap {gap}: {refused:?}");
    }
    let (regime, best) = johnson_bound_security(&shape, &parameters);
    let DecodingRegime::JohnsonBound { gap } = regime else { panic!("a Johnson-bound gap: {regime:?}") };
    assert!(gap > 0.0 && gap < 0.5);
    assert_eq!(best, security(&shape, &parameters, &regime).unwrap());
    // No other gap of the grid does better on the weakest term.
    let weakest = |s: &CircuitSecurity| s.terms.iter().map(|t| t.bits).fold(f64::INFINITY, f64::min);
    for k in 1..500 {
        let other = DecodingRegime::JohnsonBound { gap: f64::from(k) / f64::from(JOHNSON_GAP_GRID) };
        assert!(weakest(&security(&shape, &parameters, &other).unwrap()) <= weakest(&best), "gap {k}/1000");
    }
    // With 100 queries and no grinding the queries are the weakest term in both regimes, and
    // the Johnson bound's larger proximity gives them more bits than unique decoding does.
    let unique = unique_decoding_security(&shape, &parameters);
    assert!(weakest(&best) > weakest(&unique), "{} vs {}", weakest(&best), weakest(&unique));
}

#[test]
fn segment_shape_reads_the_chipset() {
    let shape = default_shape();
    assert_eq!(shape.max_log_height, MAX_TABLE_LOG_HEIGHT);
    assert!((2..=5).contains(&shape.air_max_degree), "degree {}", shape.air_max_degree);
    let lookup = shape.lookup.as_ref().expect("the chipset has buses");
    // The widest message (the execute bus, 20 fields) plus the bus separator.
    assert_eq!(lookup.columns, zkvm_bus::registry::EXECUTE.width() + 1);
    // Query sides are bounded by the field modulus, table sides include the byte table.
    assert_eq!(lookup.query_rows, u64::from((-Val::ONE).as_canonical_u32()));
    assert!(lookup.table_rows >= 1 << 16);
    // Enabling a precompile adds its columns and constraints.
    let shaped = crate::precompile::tests::Shaped { words: 4, compute_width: 2, rows: 1 };
    let set = PrecompileSet::default().with(0x200, Arc::new(shaped)).unwrap();
    let wider = segment_shape(&Arc::new(set), &ProofParameters::DEFAULT).unwrap();
    assert!(wider.batch_size > shape.batch_size && wider.num_constraints > shape.num_constraints);
}

/// The batch size counted from the layout equals what a real proof opens, the traces it opens
/// at one point only (the chips that do not read the next row) counted once.
#[test]
fn batch_size_matches_a_real_proof() {
    let program = Assembler::new(0x1000).li(10, 7).halt().program();
    let run = run_segment(&program, &[], &Arc::default());
    let traces = generate_traces(&run.0, &run.1, &run.2).unwrap();
    let proof = prove_traces(&run.0, &traces, &ProofParameters::TESTING).unwrap();
    let mut opened = 0;
    let mut single_point = 0;
    for instance in &proof.opened_values.instances {
        let base = &instance.base_opened_values;
        opened += base.trace_local.len();
        match &base.trace_next {
            Some(next) => opened += next.len(),
            None => single_point += base.trace_local.len(),
        }
        if let Some(pre) = &base.preprocessed {
            opened += pre.local.len();
            match &pre.next {
                Some(next) => opened += next.len(),
                None => single_point += pre.local.len(),
            }
        }
        opened += base.quotient_chunks.iter().map(Vec::len).sum::<usize>();
        // Permutation openings come flattened to base-field limbs.
        opened += instance.permutation_local.len() + instance.permutation_next.len();
    }
    assert!(single_point > 0, "some chips are opened at one point");
    let shape = segment_shape(&Arc::default(), &ProofParameters::TESTING).unwrap();
    assert_eq!(shape.batch_size, opened);
}

#[test]
fn soundcalc_output_follows_the_parameters() {
    let shape = default_shape();
    let circuit = |parameters| ParameterizedCircuit { shape: shape.clone(), parameters };
    let text = soundcalc_toml("0.1.0", &[circuit(ProofParameters::DEFAULT)]);
    assert!(text.contains("field = \"BabyBear^5\""));
    assert!(text.contains("num_queries = 168\n"), "{text}");
    assert!(text.contains(&format!("batch_size = {} ", shape.batch_size)));
    let other =
        soundcalc_toml("0.1.0", &[circuit(ProofParameters { num_queries: 170, ..ProofParameters::DEFAULT })]);
    assert!(other.contains("num_queries = 170\n"));
}

/// The pruned-path expectation against every index tuple of small trees: the digests a pruned
/// multi-opening sends (siblings whose subtree holds no queried leaf), averaged exactly.
#[test]
fn pruned_digest_expectation_is_exact_on_small_trees() {
    fn sent(indices: &[usize], log_leaves: usize) -> usize {
        let mut frontier: std::collections::BTreeSet<usize> = indices.iter().copied().collect();
        let mut digests = 0;
        for _ in 0..log_leaves {
            digests += frontier.iter().filter(|&&node| !frontier.contains(&(node ^ 1))).count();
            frontier = frontier.iter().map(|node| node >> 1).collect();
        }
        digests
    }
    for (queries, log_leaves) in [(1, 3), (2, 3), (3, 3), (3, 4), (4, 2)] {
        let leaves = 1usize << log_leaves;
        let tuples = leaves.pow(queries as u32);
        let total: usize = (0..tuples)
            .map(|code| {
                let indices: Vec<usize> =
                    (0..queries).map(|k| code / leaves.pow(k as u32) % leaves).collect();
                sent(&indices, log_leaves)
            })
            .sum();
        let exact = total as f64 / tuples as f64;
        let model = expected_pruned_digests(queries, log_leaves);
        assert!((exact - model).abs() < 1e-9, "{queries} queries, 2^{log_leaves} leaves: {exact} vs {model}");
    }
    // One query: a full path.
    assert!((expected_pruned_digests(1, 20) - 20.0).abs() < 1e-9);
}

/// The folding schedule is Plonky3's: the fold never passes a height where an input joins, and
/// reaches the final polynomial's domain.
#[test]
fn fri_schedule_stops_at_each_input_height() {
    let p = ProofParameters {
        log_blowup: 3,
        max_log_arity: 3,
        log_final_poly_len: 0,
        ..ProofParameters::DEFAULT
    };
    assert_eq!(fri_schedule(&[22, 22, 20, 5], &p), vec![2, 3, 3, 3, 3, 3, 2]);
    let p = ProofParameters { log_final_poly_len: 2, ..p };
    assert_eq!(fri_schedule(&[12], &p), vec![3, 3, 1]);
}

/// The one-line form of the parameters the size reports print names what sizes a proof.
#[test]
fn parameters_print_what_sizes_a_proof() {
    assert_eq!(
        ProofParameters::FINAL.to_string(),
        "rate 1/8, 123 queries, 26-bit query grinding, folding by 16, final polynomial 2^10"
    );
    assert_eq!(
        ProofParameters::DEFAULT.to_string(),
        "rate 1/4, 168 queries, 16-bit query grinding, folding by 4, final polynomial 2^0"
    );
}

/// The proof-size floor of a final circuit in the unique-decoding regime (whitepaper §5): for a
/// circuit of `2^h` rows whose three opened commitments (main, LogUp, quotient; a final proof
/// sends no opening of the preprocessed one) hold `W` base-field columns in all (each opened
/// at two points out of domain), the smallest expected proof over rates 1/8 to 1/32, 26 or 30 bits
/// of query grinding (with the queries 128 bits then need), folding by 4, 8 or 16 and final
/// polynomials of up to 2^10 coefficients:
/// `cargo test --release -p zkvm-core --lib size_floor -- --ignored --nocapture`.
#[test]
#[ignore = "a report"]
fn size_floor_of_final_circuits() {
    let queries_for_128 = |log_blowup: usize, grinding: usize| {
        let per_query = -((1.0 + (-(log_blowup as f64)).exp2()) / 2.0).log2();
        ((f64::from(TARGET_SECURITY_BITS) - grinding as f64) / per_query).ceil() as usize
    };
    eprintln!("| rows | columns | smallest proof | parameters |");
    for log_rows in [14, 16, 17, 18, 19, 20] {
        for columns in [64, 200, 700] {
            let mut best: Option<(f64, ProofParameters)> = None;
            for log_blowup in 3..=5 {
                for grinding in [26, 30] {
                    for max_log_arity in 2..=4 {
                        for log_final_poly_len in 0..=10usize.min(log_rows - 1) {
                            let parameters = ProofParameters {
                                log_blowup,
                                num_queries: queries_for_128(log_blowup, grinding),
                                query_pow_bits: grinding,
                                max_log_arity,
                                log_final_poly_len,
                                ..ProofParameters::SMALL_PROOF
                            };
                            let commitment =
                                CommitmentShape { matrices: vec![(log_rows + log_blowup, columns / 3)] };
                            let size =
                                estimate_proof_size(&vec![commitment; 3], 2 * columns, &parameters).total();
                            if best.is_none_or(|(smallest, _)| size < smallest) {
                                best = Some((size, parameters));
                            }
                        }
                    }
                }
            }
            let (size, p) = best.unwrap();
            eprintln!("| 2^{log_rows} | {columns} | {:.0} KiB | {p} |", size / 1024.0);
        }
    }
}
