//! The input of the Ethereum Foundation's soundcalc (`protocol_family = "FRI_STARK"`) for a set of
//! circuits, written from their shapes and parameters.

use std::fmt::Write;

use super::regime::DecodingRegime;
use super::security::{folding_factors, johnson_bound_security};
use super::shape::{CircuitShape, OPENING_POINTS};
use crate::prover::ProofParameters;

/// soundcalc's name of the challenge field.
pub const SOUNDCALC_FIELD: &str = "BabyBear^5";

/// Bits of a Merkle digest: 8 BabyBear elements of 31 bits (Poseidon2, width 16).
pub const HASH_SIZE_BITS: usize = 8 * 31;

/// One circuit with the parameters it is proven with.
#[derive(Clone, Debug)]
pub struct ParameterizedCircuit {
    /// Its shape.
    pub shape: CircuitShape,
    /// Its proof parameters.
    pub parameters: ProofParameters,
}

/// The soundcalc TOML for `circuits` in the unique-decoding regime (`explicit_regime =
/// "unique"`): a `[zkevm]` header and one `[[circuits]]` entry each, with a
/// `[[circuits.lookups]]` entry for its LogUp argument.
pub fn soundcalc_toml(version: &str, circuits: &[ParameterizedCircuit]) -> String {
    toml_in(version, circuits, |_| DecodingRegime::UniqueDecoding)
}

/// [`soundcalc_toml`] for the Johnson-bound regime: each circuit pins `explicit_regime =
/// "list"` and the gap [`johnson_bound_security`] finds best for it as `gap_to_radius`, so
/// that soundcalc evaluates the bound we report.
pub fn soundcalc_toml_johnson_bound(version: &str, circuits: &[ParameterizedCircuit]) -> String {
    toml_in(version, circuits, |c| johnson_bound_security(&c.shape, &c.parameters).0)
}

fn toml_in(
    version: &str,
    circuits: &[ParameterizedCircuit],
    regime: impl Fn(&ParameterizedCircuit) -> DecodingRegime,
) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail; the results are ignored.
    let _ =
        writeln!(out, "# soundcalc input for zkvm, written by `zkvm soundcalc` from the live configuration.");
    let _ = writeln!(out, "[zkevm]");
    let _ = writeln!(out, "name = \"zkvm\"");
    let _ = writeln!(out, "protocol_family = \"FRI_STARK\"");
    let _ = writeln!(out, "version = \"{version}\"");
    let _ = writeln!(out, "field = \"{SOUNDCALC_FIELD}\"");
    let _ = writeln!(out, "hash_size_bits = {HASH_SIZE_BITS} # Poseidon2 digests of 8 BabyBear elements");
    for circuit in circuits {
        write_circuit(&mut out, circuit, regime(circuit));
    }
    out
}

fn write_circuit(out: &mut String, circuit: &ParameterizedCircuit, regime: DecodingRegime) {
    let (shape, p) = (&circuit.shape, &circuit.parameters);
    let factors = folding_factors(shape, p);
    let factor_list = factors.iter().map(u64::to_string).collect::<Vec<_>>().join(", ");
    let _ = writeln!(out);
    let _ = writeln!(out, "[[circuits]]");
    let _ = writeln!(out, "name = \"{}\"", shape.name);
    match regime {
        DecodingRegime::UniqueDecoding => {
            let _ = writeln!(out, "explicit_regime = \"unique\"");
        }
        DecodingRegime::JohnsonBound { gap } => {
            let _ = writeln!(out, "explicit_regime = \"list\"");
            let _ = writeln!(out, "gap_to_radius = {gap} # the gap that maximises this circuit's level");
        }
    }
    let _ = writeln!(out, "rho = {} # blowup 2^{}", (-(p.log_blowup as f64)).exp2(), p.log_blowup);
    let _ = writeln!(
        out,
        "trace_length = {} # 2^{}: the tallest table the verifier accepts",
        1u64 << shape.max_log_height,
        shape.max_log_height
    );
    let _ = writeln!(out, "air_max_degree = {} # LogUp constraints included", shape.air_max_degree);
    let _ =
        writeln!(out, "num_constraints = {} # all tables, LogUp constraints included", shape.num_constraints);
    let _ = writeln!(
        out,
        "batch_size = {} # every committed column of every table, extension limbs and opening points counted",
        shape.batch_size
    );
    let _ = writeln!(out, "opening_points = {OPENING_POINTS} # zeta and g * zeta");
    let _ = writeln!(out, "power_batching = true");
    let _ = writeln!(out, "num_queries = {}", p.num_queries);
    let _ = writeln!(out, "fri_folding_factors = [{factor_list}]");
    let _ = writeln!(
        out,
        "fri_early_stop_degree = {} # final polynomial of 2^{} coefficients, times the blowup",
        1u64 << (p.log_final_poly_len + p.log_blowup),
        p.log_final_poly_len
    );
    let _ = writeln!(out, "grinding_batching_phase = {}", p.batch_pow_bits);
    let _ = writeln!(out, "grinding_commit_phase = {}", p.commit_pow_bits);
    let _ = writeln!(out, "grinding_query_phase = {}", p.query_pow_bits);
    let _ = writeln!(out, "grinding_deep = {}", p.ood_pow_bits);
    if let Some(lookup) = &shape.lookup {
        let _ = writeln!(out);
        let _ = writeln!(out, "[[circuits.lookups]]");
        let _ = writeln!(out, "name = \"logup (all buses, one challenge pair)\"");
        let _ = writeln!(out, "logup_type = \"univariate\"");
        let bound = if lookup.query_rows_checked {
            "below p by the verifier's multiplicity-height check"
        } else {
            "every read the height-capped tables can hold"
        };
        let _ = writeln!(out, "rows_L = {} # query-side fractions: {bound}", lookup.query_rows);
        let _ = writeln!(out, "rows_T = {} # table-side fractions: provider rows", lookup.table_rows);
        let _ = writeln!(out, "num_columns_S = {} # widest message plus the bus separator", lookup.columns);
        let _ = writeln!(out, "num_lookups_M = 1");
        let _ = writeln!(out, "grinding_bits_lookup = {}", p.lookup_pow_bits);
    }
}
