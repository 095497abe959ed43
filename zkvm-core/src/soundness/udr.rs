//! Bits of security of one circuit in the unique-decoding regime, by the formulas the Ethereum
//! Foundation's soundcalc uses for a FRI-based DEEP-ALI STARK (no proximity-gap conjecture):
//!
//! - FRI batching (powers of one challenge): `(B - 1) (θ n + 1) / |F|`, `θ = (1 - ρ) / 2`,
//!   `n = T / ρ` (Corollary 1.4 of BCHKS25);
//! - FRI commit round `i` with folding arity `a`: `(a - 1) (θ n_i + 1) / |F|`;
//! - FRI queries: `(1 - θ)^s = ((1 + ρ) / 2)^s`;
//! - ALI (constraint batching): `C / |F|`;
//! - DEEP: `(d (T + m - 1) + T - 1) / (|F| - T - n)` (Theorem 8 of eprint 2022/1216);
//! - LogUp: `(rows_L + rows_T) S / |F|` (one argument; soundcalc's `K H R / F` with `K = 1`).
//!
//! Each term is divided by `2^g` for the `g` bits of grinding before its challenge. `|F|` is the
//! size of the challenge field `p^5`.

use p3_field::PrimeField32;
use serde::Serialize;

use super::shape::{CHALLENGE_DEGREE, CircuitShape};
use crate::prover::{ProofParameters, Val};

/// One term of the soundness error.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SecurityTerm {
    /// What the term bounds (soundcalc's label).
    pub name: String,
    /// `-log2` of the term's error, grinding included.
    pub bits: f64,
    /// The grinding bits credited to it.
    pub grinding: usize,
}

/// The security of one circuit: every term, and the weakest.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CircuitSecurity {
    /// The circuit's name.
    pub name: String,
    /// Every term, in protocol order.
    pub terms: Vec<SecurityTerm>,
}

impl CircuitSecurity {
    /// The circuit's security level: the weakest term, rounded down (as soundcalc reports it).
    pub fn bits(&self) -> u32 {
        self.terms.iter().map(|t| t.bits).fold(f64::INFINITY, f64::min).floor() as u32
    }
}

/// FRI's folding arities: `max_log_arity` bits at a time from the trace height down to the
/// final polynomial.
pub fn folding_factors(shape: &CircuitShape, parameters: &ProofParameters) -> Vec<u64> {
    let mut remaining = shape.max_log_height.saturating_sub(parameters.log_final_poly_len);
    let mut factors = Vec::new();
    while remaining > 0 {
        let step = remaining.min(parameters.max_log_arity.max(1));
        factors.push(1u64 << step);
        remaining -= step;
    }
    factors
}

/// log2 of the challenge field's size.
pub fn challenge_field_bits() -> f64 {
    CHALLENGE_DEGREE as f64 * f64::from(Val::ORDER_U32).log2()
}

/// The unique-decoding security of a circuit of `shape` proven with `parameters`.
pub fn unique_decoding_security(shape: &CircuitShape, parameters: &ProofParameters) -> CircuitSecurity {
    let field = challenge_field_bits().exp2();
    let rate = (-(parameters.log_blowup as f64)).exp2();
    let theta = (1.0 - rate) / 2.0;
    let trace = (shape.max_log_height as f64).exp2();
    let domain = trace / rate;
    let bits = |error: f64, grinding: usize| -error.log2() + grinding as f64;
    let linear = |dimension: f64| (theta * dimension / rate + 1.0) / field;
    let mut terms = Vec::new();
    let mut term = |name: String, error: f64, grinding: usize| {
        terms.push(SecurityTerm { name, bits: bits(error, grinding), grinding });
    };

    term(
        "FRI batching".into(),
        linear(trace) * (shape.batch_size as f64 - 1.0).max(1.0),
        parameters.batch_pow_bits,
    );
    let mut dimension = trace;
    for (round, &arity) in folding_factors(shape, parameters).iter().enumerate() {
        dimension /= arity as f64;
        term(
            format!("FRI commit round {}", round + 1),
            linear(dimension) * (arity as f64 - 1.0),
            parameters.commit_pow_bits,
        );
    }
    term(
        "FRI queries".into(),
        ((1.0 + rate) / 2.0).powi(parameters.num_queries as i32),
        parameters.query_pow_bits,
    );
    term("ALI".into(), shape.num_constraints as f64 / field, 0);
    let points = shape.opening_points as f64;
    term(
        "DEEP".into(),
        (shape.air_max_degree as f64 * (trace + points - 1.0) + trace - 1.0) / (field - trace - domain),
        parameters.ood_pow_bits,
    );
    if let Some(lookup) = &shape.lookup {
        let rows = (lookup.query_rows + lookup.table_rows) as f64;
        term("LogUp".into(), rows * lookup.columns as f64 / field, parameters.lookup_pow_bits);
    }
    CircuitSecurity { name: shape.name.clone(), terms }
}
