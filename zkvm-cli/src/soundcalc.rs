//! `zkvm soundcalc`: the soundness parameters of the configured system, as the input of the
//! Ethereum Foundation's soundcalc or (`--bits`) as our own computation of every term.

use std::fmt::Write;

use clap::Args;
use zkvm_core::soundness::{
    DecodingRegime, ParameterizedCircuit, ShapeError, TARGET_SECURITY_BITS, johnson_bound_security,
    segment_shape, soundcalc_toml, soundcalc_toml_johnson_bound, unique_decoding_security,
};
use zkvm_recursion::node::{NodeKind, node_soundness_shape};

use crate::Failure;

/// Arguments of `zkvm soundcalc`.
#[derive(Args)]
pub(crate) struct SoundcalcArgs {
    /// Print the bits of security of every term of every circuit (unique-decoding regime)
    /// instead of the soundcalc TOML.
    #[arg(long)]
    bits: bool,
    /// Evaluate in the Johnson-bound regime instead, each circuit at the gap to the Johnson
    /// radius that maximises its level: `--bits` prints those terms, the TOML pins
    /// `explicit_regime = "list"` and the gap. The parameters are chosen for unique decoding;
    /// this is for comparison.
    #[arg(long)]
    johnson: bool,
    #[command(flatten)]
    config: crate::settings::ConfigArgs,
}

/// The circuits of the configured system with their parameters: the segment circuit of the
/// configured chipset (`[proof]`), the leaf and internal node circuits
/// (`[recursion.aggregation]`) and the final node (`[recursion.final]`).
pub(crate) fn circuits(config: &zkvm_plugins::Config) -> Result<Vec<ParameterizedCircuit>, Failure> {
    let precompiles = crate::settings::precompiles(config)?;
    let unreadable =
        |name: &str, e: ShapeError| Failure::usage(format!("cannot read the {name} circuit: {e}"));
    let shape = segment_shape(&precompiles, &config.proof).map_err(|e| unreadable("segment", e))?;
    let mut circuits = vec![ParameterizedCircuit { shape, parameters: config.proof }];
    for kind in NodeKind::ALL {
        let parameters = match kind {
            NodeKind::Leaf | NodeKind::Internal => config.recursion.aggregation,
            NodeKind::Final => config.recursion.final_node,
        };
        let shape = node_soundness_shape(kind, &parameters).map_err(|e| unreadable(kind.name(), e))?;
        circuits.push(ParameterizedCircuit { shape, parameters });
    }
    Ok(circuits)
}

/// The soundcalc TOML of `circuits`.
pub(crate) fn toml_of(circuits: &[ParameterizedCircuit]) -> String {
    soundcalc_toml(env!("CARGO_PKG_VERSION"), circuits)
}

/// The `--bits` table of `circuits` in the unique-decoding regime (or, with `johnson`, the
/// Johnson-bound regime at each circuit's best gap): one line per term, the weakest per circuit.
pub(crate) fn bits_table(circuits: &[ParameterizedCircuit], johnson: bool) -> String {
    let mut out = String::new();
    for circuit in circuits {
        let (regime, security) = if johnson {
            johnson_bound_security(&circuit.shape, &circuit.parameters)
        } else {
            (DecodingRegime::UniqueDecoding, unique_decoding_security(&circuit.shape, &circuit.parameters))
        };
        let regime = match regime {
            DecodingRegime::UniqueDecoding => regime.name().to_string(),
            DecodingRegime::JohnsonBound { gap } => format!("{}, gap {gap}", regime.name()),
        };
        let _ = writeln!(out, "circuit {} ({regime}, |F| = p^5):", security.name);
        let _ = writeln!(out, "  {:<22} {:>8} {:>9}", "term", "bits", "grinding");
        for term in &security.terms {
            let _ = writeln!(out, "  {:<22} {:>8.1} {:>9}", term.name, term.bits, term.grinding);
        }
        let verdict = if security.bits() >= TARGET_SECURITY_BITS { "meets" } else { "BELOW" };
        let _ = writeln!(
            out,
            "  {:<22} {:>8} ({verdict} the {TARGET_SECURITY_BITS}-bit target)",
            "total",
            security.bits()
        );
    }
    out
}

/// Prints the soundcalc input (or the bits table) of the configured system.
pub(crate) fn soundcalc(args: SoundcalcArgs) -> Result<u8, Failure> {
    let circuits = circuits(&args.config.load()?)?;
    let text = match (args.bits, args.johnson) {
        (true, johnson) => bits_table(&circuits, johnson),
        (false, false) => toml_of(&circuits),
        (false, true) => soundcalc_toml_johnson_bound(env!("CARGO_PKG_VERSION"), &circuits),
    };
    crate::print_stdout(&text)?;
    Ok(0)
}
