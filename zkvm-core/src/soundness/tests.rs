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
    // Folding by 2 from 2^24 rows down to a constant: 24 commit rounds.
    assert_eq!(folding_factors(&shape, &p), vec![2; MAX_TABLE_LOG_HEIGHT]);
    let by_16 = ProofParameters { max_log_arity: 4, ..p };
    assert_eq!(folding_factors(&shape, &by_16), vec![16; MAX_TABLE_LOG_HEIGHT / 4]);
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

/// The batch size counted from the layout equals what a real proof opens, except for the
/// tables the proof opens at one point only (the count assumes two).
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
    let shape = segment_shape(&Arc::default(), &ProofParameters::TESTING).unwrap();
    assert_eq!(shape.batch_size, opened + single_point);
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
