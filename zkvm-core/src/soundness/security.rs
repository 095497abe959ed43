//! Bits of security of one circuit, by the formulas the Ethereum Foundation's soundcalc uses for
//! a FRI-based DEEP-ALI STARK, in either provable regime ([`DecodingRegime`]: `θ` its proximity
//! parameter, `L` its list size, `ε(T)` the error of one linear combination of words of a code
//! of dimension `T`):
//!
//! - FRI batching (powers of one challenge): `(B - 1) ε(T)`;
//! - FRI commit round `i` with folding arity `a`: `(a - 1) ε(T_i)`, `T_i` the folded dimension;
//! - FRI queries: `(1 - θ)^s` (in unique decoding `((1 + ρ) / 2)^s`);
//! - ALI (constraint batching): `L C / |F|`;
//! - DEEP: `L (d (T + m - 1) + T - 1) / (|F| - T - n)` (Theorem 8 of eprint 2022/1216);
//! - LogUp: `(rows_L + rows_T) S / |F|` (one argument; soundcalc's `K H R / F` with `K = 1`),
//!   the same in both regimes.
//!
//! Each term is divided by `2^g` for the `g` bits of grinding before its challenge. `|F|` is the
//! size of the challenge field `p^5`. The unique-decoding level is the one the default
//! parameters are chosen for; the Johnson-bound level is reported beside it.

use p3_field::PrimeField32;
use serde::Serialize;

use super::regime::{DecodingRegime, RegimeError};
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
    terms_in(shape, parameters, &DecodingRegime::UniqueDecoding)
}

/// The security of a circuit of `shape` proven with `parameters`, in `regime`; refused when
/// the regime does not apply to the parameters' rate (a Johnson-bound gap out of range).
pub fn security(
    shape: &CircuitShape,
    parameters: &ProofParameters,
    regime: &DecodingRegime,
) -> Result<CircuitSecurity, RegimeError> {
    regime.check((-(parameters.log_blowup as f64)).exp2())?;
    Ok(terms_in(shape, parameters, regime))
}

/// Every term of [`security`], for a regime that applies to the parameters' rate.
fn terms_in(shape: &CircuitShape, parameters: &ProofParameters, regime: &DecodingRegime) -> CircuitSecurity {
    let field = challenge_field_bits().exp2();
    let rate = (-(parameters.log_blowup as f64)).exp2();
    let list = regime.list_size(rate);
    let trace = (shape.max_log_height as f64).exp2();
    let domain = trace / rate;
    let bits = |error: f64, grinding: usize| -error.log2() + grinding as f64;
    let linear = |dimension: f64| regime.linear_error(rate, dimension, field);
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
        (1.0 - regime.proximity(rate)).powi(parameters.num_queries as i32),
        parameters.query_pow_bits,
    );
    term("ALI".into(), list * shape.num_constraints as f64 / field, 0);
    let points = shape.opening_points as f64;
    term(
        "DEEP".into(),
        list * (shape.air_max_degree as f64 * (trace + points - 1.0) + trace - 1.0)
            / (field - trace - domain),
        parameters.ood_pow_bits,
    );
    if let Some(lookup) = &shape.lookup {
        let rows = (lookup.query_rows + lookup.table_rows) as f64;
        term("LogUp".into(), rows * lookup.columns as f64 / field, parameters.lookup_pow_bits);
    }
    CircuitSecurity { name: shape.name.clone(), terms }
}

/// [`johnson_bound_security`] searches the gap among the multiples of `1 / JOHNSON_GAP_GRID`.
pub const JOHNSON_GAP_GRID: u32 = 1000;

/// The Johnson-bound security of a circuit of `shape` proven with `parameters`, at the gap to
/// the Johnson radius that maximises its weakest term (searched among the multiples of
/// `1 / JOHNSON_GAP_GRID` in `(0, 1 - √ρ)`): that regime and the security it gives. A small
/// gap buys queries (each rejects with probability nearly `1 - √ρ`) and costs the other terms
/// a longer list and a larger `m`; the best gap balances them. (At rate 1, `log_blowup = 0`,
/// which no validated parameters have, there is no gap: the unique-decoding terms are
/// returned.)
pub fn johnson_bound_security(
    shape: &CircuitShape,
    parameters: &ProofParameters,
) -> (DecodingRegime, CircuitSecurity) {
    let limit = 1.0 - (-(parameters.log_blowup as f64) / 2.0).exp2();
    let steps = (limit * f64::from(JOHNSON_GAP_GRID)).ceil() as u32;
    let level = |s: &CircuitSecurity| s.terms.iter().map(|t| t.bits).fold(f64::INFINITY, f64::min);
    (1..steps)
        .map(|k| DecodingRegime::JohnsonBound { gap: f64::from(k) / f64::from(JOHNSON_GAP_GRID) })
        .map(|regime| (regime, terms_in(shape, parameters, &regime)))
        .fold(None, |best: Option<(DecodingRegime, CircuitSecurity)>, candidate| match best {
            Some(b) if level(&b.1) >= level(&candidate.1) => Some(b),
            _ => Some(candidate),
        })
        .unwrap_or_else(|| {
            // No grid point lies below the radius (rate too close to 1): unique decoding.
            let regime = DecodingRegime::UniqueDecoding;
            (regime, terms_in(shape, parameters, &regime))
        })
}
