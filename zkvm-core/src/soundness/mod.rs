//! Soundness parameters: the shape of each circuit (read from its AIRs and the proof system's
//! layout), its bits of security in the unique-decoding regime (and, for comparison, under the
//! Johnson bound), and the input of the Ethereum Foundation's soundcalc.
//!
//! [`segment_shape`] reads the segment circuit; [`air_set_shape`] reads any set of tables (the
//! recursion crate reads its node circuits with it). `zkvm soundcalc` prints
//! [`soundcalc_toml`], `zkvm soundcalc --bits` the terms of [`unique_decoding_security`] (with
//! `--johnson`, [`soundcalc_toml_johnson_bound`] and [`johnson_bound_security`]).
//! [`estimate_proof_size`] gives a proof's expected size from its shape and parameters.

mod regime;
mod security;
mod shape;
mod size;
mod soundcalc;
#[cfg(test)]
mod tests;

pub use regime::{DecodingRegime, RegimeError};
pub use security::{
    CircuitSecurity, JOHNSON_GAP_GRID, SecurityTerm, challenge_field_bits, folding_factors,
    johnson_bound_security, security, unique_decoding_security,
};
pub use shape::{
    CHALLENGE_DEGREE, CircuitShape, LookupShape, OPENING_POINTS, ShapeError, TableBound, air_set_shape,
    segment_shape,
};
pub use size::{
    CommitmentShape, DIGEST_BYTES, ELEMENT_BYTES, ProofSizeEstimate, estimate_proof_size,
    expected_pruned_digests, fri_schedule,
};
pub use soundcalc::{
    HASH_SIZE_BITS, ParameterizedCircuit, SOUNDCALC_FIELD, soundcalc_toml, soundcalc_toml_johnson_bound,
};

/// The security level every circuit of the default configuration must reach.
pub const TARGET_SECURITY_BITS: u32 = 128;
