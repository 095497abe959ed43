//! The keccak and sha256-precompile example guests with their plugins enabled by a config: they
//! prove and verify in several segments, their public output is the host's hash of the input,
//! and the proof is rejected under a chipset without the plugin or with its call moved; the
//! software variants compute the same digests in more cycles.

use std::sync::Arc;

use tiny_keccak::{Hasher, Keccak};
use zkvm_core::precompile::PrecompileSet;
use zkvm_core::prover::{
    BundleError, BundleReader, BundleStatement, BundleWriter, ProofParameters, ProvingOptions,
    StatementTables, VerifiedExecution, prove_execution, verify_bundle_with,
};
use zkvm_core::{Executor, Program};
use zkvm_plugin_keccak as _;
use zkvm_plugin_sha256 as _;
use zkvm_plugins::Config;
use zkvm_tests::example_elf;

const PARAMETERS: ProofParameters = ProofParameters::TESTING;

fn load(name: &str) -> Arc<Program> {
    let bytes = std::fs::read(example_elf(name)).unwrap();
    Arc::new(Program::from_elf(&bytes).unwrap())
}

fn keccak256(input: &[u8]) -> Vec<u8> {
    let mut hasher = Keccak::v256();
    hasher.update(input);
    let mut digest = [0u8; 32];
    hasher.finalize(&mut digest);
    digest.to_vec()
}

/// The precompiles of the config `text`.
fn precompiles(text: &str) -> Arc<PrecompileSet> {
    Config::parse(text, "test.toml").unwrap().precompiles().unwrap()
}

/// Runs `program` on `input` with `precompiles`; returns the cycles and the public output.
fn run(program: &Arc<Program>, input: &[u8], precompiles: &Arc<PrecompileSet>) -> (u64, Vec<u8>) {
    let mut executor =
        Executor::new(Arc::clone(program), input.to_vec()).with_precompiles(Arc::clone(precompiles));
    executor.run().unwrap();
    (executor.cycles(), executor.io.public_output)
}

/// Proves `program` on `input` (committing `output`) with `precompiles` in `segments` segments
/// and returns the proof file.
fn prove_bundle(
    program: &Arc<Program>,
    input: &[u8],
    output: Vec<u8>,
    precompiles: &Arc<PrecompileSet>,
    cycles: u64,
    segments: usize,
) -> Vec<u8> {
    let statement = BundleStatement { input: input.to_vec(), output };
    let tables = StatementTables::new(program, &statement.input, &statement.output).unwrap();
    let tables = tables.with_precompiles(Arc::clone(precompiles)).unwrap();
    let options = ProvingOptions { segment_cycles: cycles.div_ceil(segments as u64), concurrency: 2 };
    let mut writer = BundleWriter::new(Vec::new(), &PARAMETERS, &statement).unwrap();
    let executor = Executor::new(Arc::clone(program), input.to_vec());
    let proved =
        prove_execution(&tables, executor, &options, &PARAMETERS, |record, _| writer.write_segment(&record))
            .unwrap();
    assert_eq!(proved.segments, segments);
    writer.finish().unwrap()
}

/// Verifies the proof file `bytes` of `program` with `precompiles` enabled.
fn verify(
    program: &Program,
    bytes: &[u8],
    precompiles: &Arc<PrecompileSet>,
) -> Result<VerifiedExecution, BundleError> {
    let mut reader = BundleReader::new(bytes, &PARAMETERS)?;
    verify_bundle_with(program, precompiles, &mut reader, &PARAMETERS)
}

#[test]
fn the_keccak_guest_proves_with_its_plugin_and_matches_the_host() {
    let program = load("keccak");
    let enabled = precompiles("[plugins.keccak]\n");
    let input: Vec<u8> = (0..300u32).map(|i| (i * 31 % 251) as u8).collect(); // three blocks
    let (cycles, output) = run(&program, &input, &enabled);
    assert_eq!(output, keccak256(&input));

    let bytes = prove_bundle(&program, &input, output, &enabled, cycles, 3);
    assert_eq!(verify(&program, &bytes, &enabled).unwrap().segments, 3);
    let without = verify(&program, &bytes, &Arc::default());
    assert!(matches!(without, Err(BundleError::Segment { index: 0, .. })), "{without:?}");
    let moved = precompiles("[plugins.keccak]\necalls = { keccak_f = 0x101 }\n");
    let verdict = verify(&program, &bytes, &moved);
    assert!(matches!(verdict, Err(BundleError::Segment { .. })), "{verdict:?}");
}

#[test]
fn the_software_keccak_guest_agrees_in_more_cycles() {
    let input = vec![0xa5u8; 1000];
    let enabled = precompiles("[plugins.keccak]\n");
    let (with, output) = run(&load("keccak"), &input, &enabled);
    let (without, soft_output) = run(&load("keccak-soft"), &input, &Arc::default());
    assert_eq!(output, keccak256(&input));
    assert_eq!(soft_output, output);
    assert!(without > 2 * with, "precompile: {with} cycles, software: {without}");
}

#[test]
fn the_sha256_guest_proves_with_its_plugin_and_matches_the_host() {
    use sha2::{Digest, Sha256};
    let program = load("sha256-precompile");
    let enabled = precompiles("[plugins.sha256]\n");
    let input: Vec<u8> = (0..200u32).map(|i| (i * 17 % 253) as u8).collect(); // four blocks with padding
    let (cycles, output) = run(&program, &input, &enabled);
    assert_eq!(output, Sha256::digest(&input).to_vec());
    let (software_cycles, software_output) = run(&load("sha256"), &input, &Arc::default());
    assert_eq!(software_output, output);
    assert!(software_cycles > 2 * cycles, "precompile: {cycles} cycles, software: {software_cycles}");

    let bytes = prove_bundle(&program, &input, output, &enabled, cycles, 2);
    assert_eq!(verify(&program, &bytes, &enabled).unwrap().segments, 2);
    assert!(matches!(verify(&program, &bytes, &Arc::default()), Err(BundleError::Segment { .. })));
    let moved = precompiles("[plugins.sha256]\necalls = { sha256_compress = 0x180 }\n");
    assert!(matches!(verify(&program, &bytes, &moved), Err(BundleError::Segment { .. })));
}

/// The keccak and sha256 chips span a call over a block of rows, so their proofs open them at
/// the next row's point too: evaluated on random cells, every next-row cell either chip reads
/// is one it lists (`main_next_row_columns`: the block flag, `in_call` and the plugin
/// constraints' next-row reads), so no read goes unopened, and it reads none of its next
/// preprocessed row (it has none).
#[test]
fn the_plugin_chips_list_every_next_row_cell_they_read() {
    use p3_air::BaseAir;
    use zkvm_core::prover::{MachineAir, Val};
    let enabled = precompiles("[plugins.keccak]\n[plugins.sha256]\n");
    let program = load("keccak");
    let tables = StatementTables::new(&program, &[], &[]).unwrap().with_precompiles(enabled).unwrap();
    let chips: Vec<MachineAir> =
        MachineAir::chips(&tables).into_iter().filter(|c| matches!(c, MachineAir::Precompile(_))).collect();
    assert_eq!(chips.len(), 2);
    for chip in &chips {
        let opens = zkvm_bus::row::check_next_row_lists::<Val, _>(chip)
            .unwrap_or_else(|e| panic!("{}: {e}", chip.name()));
        assert!(opens, "{} reads its next row", chip.name());
        assert!(BaseAir::<Val>::preprocessed_next_row_columns(chip).is_empty(), "{}", chip.name());
    }
}
