//! The two provable proximity-gap regimes soundcalc evaluates a FRI-based STARK in, as the
//! three quantities its formulas depend on: the proximity parameter `θ` (the distance up to
//! which FRI rejects a far word), the list size `L` (how many codewords lie within `θ` of one
//! word: 1 below the unique-decoding radius), and the error of one batching or folding step
//! with independent (linear) coefficients.
//!
//! - **Unique decoding** (UDR): `θ = (1 - ρ) / 2`, `L = 1`, linear error `(θ n + 1) / |F|`
//!   (Corollary 1.4 of BCHKS25).
//! - **Johnson bound** (JBR), with a gap `η` to the Johnson radius: `θ = 1 - √ρ - η`,
//!   `L = 1 / (2 η √ρ)`, and with `m = max(⌈√ρ / (2η)⌉, 3)`, `m' = m + 1/2`, linear error
//!   `((2 m'^5 + 3 m' θ ρ) n / (3 ρ √ρ) + m' / √ρ) / |F|` (Theorem 4.2 of BCHKS25, with the
//!   factor 2 in `m` that soundcalc restores, a typo in the theorem's statement confirmed by
//!   its authors). Both are proven bounds; no proximity-gap conjecture is assumed in either.
//!
//! `n = T / ρ` is the evaluation domain of a code of dimension `T` and rate `ρ`; `|F|` is the
//! challenge field's size. A batching of `k` polynomials with powers of one challenge errs
//! `k - 1` times as often as a linear one.

use serde::Serialize;

/// A proximity-gap regime of the soundness computation.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub enum DecodingRegime {
    /// Unique decoding: FRI's proximity parameter is half the code's relative distance.
    UniqueDecoding,
    /// The Johnson bound, `gap` (`η`, strictly between 0 and `1 - √ρ`) below the Johnson
    /// radius `1 - √ρ`: more proximity per query, a list of codewords to account for in the
    /// other terms.
    JohnsonBound {
        /// The gap `η` to the Johnson radius.
        gap: f64,
    },
}

/// Why a regime does not apply to a code.
#[derive(Clone, Copy, Debug, PartialEq, thiserror::Error)]
pub enum RegimeError {
    /// A Johnson-bound gap must lie strictly between 0 and `1 - √ρ`.
    #[error("the Johnson-bound gap {gap} is not strictly between 0 and 1 - sqrt(rate) = {limit}")]
    Gap {
        /// The gap given.
        gap: f64,
        /// `1 - √ρ` for the code's rate.
        limit: f64,
    },
}

impl DecodingRegime {
    /// soundcalc's short name of the regime.
    pub fn name(&self) -> &'static str {
        match self {
            DecodingRegime::UniqueDecoding => "unique decoding",
            DecodingRegime::JohnsonBound { .. } => "Johnson bound",
        }
    }

    /// Checks that the regime applies to codes of rate `rate`.
    pub fn check(&self, rate: f64) -> Result<(), RegimeError> {
        match *self {
            DecodingRegime::UniqueDecoding => Ok(()),
            DecodingRegime::JohnsonBound { gap } => {
                let limit = 1.0 - rate.sqrt();
                if gap > 0.0 && gap < limit { Ok(()) } else { Err(RegimeError::Gap { gap, limit }) }
            }
        }
    }

    /// The proximity parameter `θ` for codes of rate `rate`: a query catches a word `θ`-far
    /// from the code with probability at least `θ`.
    pub fn proximity(&self, rate: f64) -> f64 {
        match *self {
            DecodingRegime::UniqueDecoding => (1.0 - rate) / 2.0,
            DecodingRegime::JohnsonBound { gap } => 1.0 - rate.sqrt() - gap,
        }
    }

    /// The list size `L`: codewords within `θ` of any word.
    pub fn list_size(&self, rate: f64) -> f64 {
        match *self {
            DecodingRegime::UniqueDecoding => 1.0,
            DecodingRegime::JohnsonBound { gap } => 1.0 / (2.0 * gap * rate.sqrt()),
        }
    }

    /// The error of one step that combines functions of a code of dimension `dimension` and
    /// rate `rate` with independent random coefficients from a field of `field` elements.
    pub fn linear_error(&self, rate: f64, dimension: f64, field: f64) -> f64 {
        let domain = dimension / rate;
        let proximity = self.proximity(rate);
        match *self {
            DecodingRegime::UniqueDecoding => (proximity * domain + 1.0) / field,
            DecodingRegime::JohnsonBound { gap } => {
                let root = rate.sqrt();
                let m = (root / (2.0 * gap)).ceil().max(3.0) + 0.5;
                let first = (2.0 * m.powi(5) + 3.0 * m * proximity * rate) * domain / (3.0 * rate * root);
                (first + m / root) / field
            }
        }
    }
}
