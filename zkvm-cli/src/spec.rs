//! `zkvm spec`: the machine's description as data files for the whitepaper.

use std::path::PathBuf;

use clap::Args;
use zkvm_core::prover::{MachineSpec, machine_spec_with};
use zkvm_core::soundness::{ParameterizedCircuit, unique_decoding_security};

use crate::Failure;

/// Arguments of `zkvm spec`.
#[derive(Args)]
pub(crate) struct SpecArgs {
    /// Directory to write `chips.json`, `buses.json`, `soundcalc.toml` and `security.json` into
    /// (created if missing).
    #[arg(long)]
    out: PathBuf,
    #[command(flatten)]
    config: crate::settings::ConfigArgs,
}

/// The files describing `spec` and the soundness of `circuits`.
fn files_of(spec: &MachineSpec, circuits: &[ParameterizedCircuit]) -> Vec<(&'static str, String)> {
    let security: Vec<_> =
        circuits.iter().map(|c| unique_decoding_security(&c.shape, &c.parameters)).collect();
    vec![
        ("chips.json", pretty_json(&spec.chips)),
        ("buses.json", pretty_json(&spec.buses)),
        ("soundcalc.toml", crate::soundcalc::toml_of(circuits)),
        ("security.json", pretty_json(&security)),
    ]
}

/// Writes the description files into `--out`.
pub(crate) fn spec(args: SpecArgs) -> Result<u8, Failure> {
    // The chipset of the config: the built-in chips and every enabled precompile's.
    let config = args.config.load()?;
    let precompiles = crate::settings::precompiles(&config)?;
    let circuits = crate::soundcalc::circuits(&config)?;
    let spec = machine_spec_with(&precompiles)
        .map_err(|e| Failure::usage(format!("a precompile's constraints are malformed: {e}")))?;
    let out = &args.out;
    std::fs::create_dir_all(out)
        .map_err(|e| Failure::usage(format!("cannot create {}: {e}", out.display())))?;
    for (name, contents) in files_of(&spec, &circuits) {
        let path = out.join(name);
        std::fs::write(&path, contents)
            .map_err(|e| Failure::usage(format!("cannot write {}: {e}", path.display())))?;
        eprintln!("zkvm: wrote {}", path.display());
    }
    Ok(0)
}

/// `value` as pretty JSON with a final newline (serialising plain data cannot fail).
fn pretty_json(value: &impl serde::Serialize) -> String {
    serde_json::to_string_pretty(value).expect("plain data serialises") + "\n"
}
