//! `zkvm spec`: the machine's description as data files for the whitepaper.

use std::path::PathBuf;

use clap::Args;
use serde::Serialize;
use zkvm_core::prover::{MAX_TABLE_LOG_HEIGHT, MachineSpec, ProofParameters, machine_spec_with};
use zkvm_core::soundness::{ParameterizedCircuit, unique_decoding_security};
use zkvm_plugins::Config;
use zkvm_recursion::node::{NodeKind, Topology, node_tables};

use crate::Failure;

/// Arguments of `zkvm spec`.
#[derive(Args)]
pub(crate) struct SpecArgs {
    /// Directory to write `chips.json`, `buses.json`, `circuits.json`, `topology.json`,
    /// `soundcalc.toml` and `security.json` into (created if missing).
    #[arg(long)]
    out: PathBuf,
    #[command(flatten)]
    config: crate::settings::ConfigArgs,
}

/// The files describing `spec`, the circuits (`circuits`, from [`crate::soundcalc::circuits`])
/// and the tree of `config`.
fn files_of(
    spec: &MachineSpec,
    circuits: &[ParameterizedCircuit],
    config: &Config,
) -> Vec<(&'static str, String)> {
    let security: Vec<_> =
        circuits.iter().map(|c| unique_decoding_security(&c.shape, &c.parameters)).collect();
    vec![
        ("chips.json", pretty_json(&spec.chips)),
        ("buses.json", pretty_json(&spec.buses)),
        ("circuits.json", pretty_json(&circuit_inventory(spec, circuits))),
        ("topology.json", pretty_json(&topology(config))),
        ("soundcalc.toml", crate::soundcalc::toml_of(circuits)),
        ("security.json", pretty_json(&security)),
    ]
}

/// One circuit of the system, as the whitepaper's circuit inventory lists it.
#[derive(Serialize)]
struct CircuitEntry {
    /// Its soundcalc name.
    name: &'static str,
    /// What one of its proofs attests.
    proves: &'static str,
    /// What it verifies.
    children: &'static str,
    /// How many a run of `n` segments has.
    instances: &'static str,
    /// The config section of its FRI parameters.
    parameters_section: &'static str,
    /// log2 of the blowup.
    log_blowup: usize,
    /// FRI queries.
    num_queries: usize,
    /// Bits of security (unique decoding), the weakest term.
    security_bits: u32,
    /// Its tables: name, main and preprocessed widths, log2 of the most rows.
    tables: Vec<TableEntry>,
}

/// One table of a circuit: its name, main and preprocessed widths, log2 of the most rows the
/// verifier accepts (for the segment circuit the cap; its fixed tables, such as the byte table,
/// have exactly their fixed height) and whether its proofs open it at the next row's point.
#[derive(Clone, Serialize)]
struct TableEntry {
    name: String,
    width: usize,
    preprocessed_width: usize,
    max_log_height: usize,
    opened_at_next_row: bool,
}

/// The circuit inventory: the segment circuit (its tables are the chips) and every node kind.
fn circuit_inventory(spec: &MachineSpec, circuits: &[ParameterizedCircuit]) -> Vec<CircuitEntry> {
    let segment_tables: Vec<TableEntry> = spec
        .chips
        .iter()
        .map(|chip| TableEntry {
            name: chip.name.clone(),
            width: chip.main_columns.len(),
            preprocessed_width: chip.preprocessed_columns.len(),
            max_log_height: MAX_TABLE_LOG_HEIGHT,
            opened_at_next_row: chip.opened_at_next_row,
        })
        .collect();
    let node_tables = |kind: NodeKind, parameters: &ProofParameters| {
        node_tables(kind, parameters)
            .into_iter()
            .map(|t| TableEntry {
                name: t.name.to_string(),
                width: t.width,
                preprocessed_width: t.preprocessed_width,
                max_log_height: t.max_log_height,
                opened_at_next_row: t.opened_at_next_row,
            })
            .collect()
    };
    circuits
        .iter()
        .map(|circuit| {
            let bits = unique_decoding_security(&circuit.shape, &circuit.parameters).bits();
            let (log_blowup, num_queries) = (circuit.parameters.log_blowup, circuit.parameters.num_queries);
            // A node circuit is named by its kind; the other circuit is the segment's.
            match NodeKind::ALL.into_iter().find(|kind| kind.name() == circuit.shape.name) {
                None => CircuitEntry {
                    name: "segment",
                    proves: "One segment of the execution respects RV32IM (and the enabled precompiles) from its start state to its end state; its public values are the segment statement.",
                    children: "none (a base proof)",
                    instances: "n, one per segment",
                    parameters_section: "[proof]",
                    log_blowup,
                    num_queries,
                    security_bits: bits,
                    tables: segment_tables.clone(),
                },
                Some(kind) => CircuitEntry {
                    name: kind.name(),
                    proves: kind.proves(),
                    children: kind.children(),
                    instances: match kind {
                        NodeKind::Leaf => "ceil(n / arity): layer 0 of the tree",
                        NodeKind::Internal => "one per node of layers 1 and up (topology.json)",
                        NodeKind::Final => "1",
                    },
                    parameters_section: kind.parameters_section(),
                    log_blowup,
                    num_queries,
                    security_bits: bits,
                    tables: node_tables(kind, &circuit.parameters),
                },
            }
        })
        .collect()
}

/// The recursion topology of a config: the arity, the layers, the node statement's layout and
/// the tree of a few run lengths.
#[derive(Serialize)]
struct TopologyEntry {
    /// Children per node.
    arity: usize,
    /// The configured number of layers (`None`: as many as the run needs).
    layers: Option<usize>,
    /// Public inputs of every node (the node statement), in extension-field slots.
    node_publics: usize,
    /// Where each part of the node statement sits among them.
    statement_layout: Vec<(&'static str, usize, usize)>,
    /// Where each part of a machine state sits within `start` and `end`.
    state_layout: Vec<(&'static str, usize, usize)>,
    /// Nodes per layer (layer 0 the leaves) for runs of a few segment counts, the final node
    /// after the last layer.
    example_runs: Vec<(usize, Vec<usize>)>,
}

fn topology(config: &Config) -> TopologyEntry {
    use zkvm_recursion::node::statement::layout;
    let topology = Topology { arity: config.recursion.arity };
    let range = |name, r: std::ops::Range<usize>| (name, r.start, r.end);
    TopologyEntry {
        arity: topology.arity,
        layers: config.recursion.layers,
        node_publics: layout::NODE_PUBLICS,
        statement_layout: vec![
            range("segment_key", layout::SEGMENT_KEY),
            range("node_keys", layout::NODE_KEYS),
            range("segments", layout::SEGMENTS..layout::SEGMENTS + 1),
            range("start", layout::START),
            range("end", layout::END),
            range("input_length", layout::INPUT_LENGTH),
            range("halted", layout::HALTED..layout::HALTED + 1),
            range("exit_code", layout::EXIT_CODE),
        ],
        state_layout: vec![
            range("pc", layout::PC..layout::PC + 1),
            range("registers", layout::REGISTERS),
            range("input_position", layout::INPUT_POSITION..layout::INPUT_POSITION + 1),
            range("output_position", layout::OUTPUT_POSITION..layout::OUTPUT_POSITION + 1),
            range("memory_root", layout::MEMORY_ROOT),
        ],
        example_runs: [1, 2, 3, 9, 64, 4096].into_iter().map(|n| (n, topology.layer_sizes(n))).collect(),
    }
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
    for (name, contents) in files_of(&spec, &circuits, &config) {
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
