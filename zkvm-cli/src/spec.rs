//! `zkvm spec`: the machine's description as data files for the whitepaper.

use std::path::PathBuf;

use clap::Args;
use zkvm_core::prover::machine_spec;

use crate::Failure;

/// Arguments of `zkvm spec`.
#[derive(Args)]
pub(crate) struct SpecArgs {
    /// Directory to write `chips.json` and `buses.json` into (created if missing).
    #[arg(long)]
    out: PathBuf,
    #[command(flatten)]
    config: crate::settings::ConfigArgs,
}

/// The files `zkvm spec` writes, by name, with their contents.
fn spec_files() -> Vec<(&'static str, String)> {
    let spec = machine_spec();
    vec![("chips.json", pretty_json(&spec.chips)), ("buses.json", pretty_json(&spec.buses))]
}

/// Writes the description files into `--out`.
pub(crate) fn spec(args: SpecArgs) -> Result<u8, Failure> {
    // Every valid config's chipset is the built-in one until plugins contribute chips.
    args.config.load()?;
    let out = &args.out;
    std::fs::create_dir_all(out)
        .map_err(|e| Failure::usage(format!("cannot create {}: {e}", out.display())))?;
    for (name, contents) in spec_files() {
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
