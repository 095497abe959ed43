//! Plugins loaded at run time: the template plugin (`plugins/template`, built here as a shared
//! library) is loaded from a config and a guest using its precompile proves and verifies; a
//! library built for another ABI version, one missing its entry function, a missing file and a
//! misnamed section are refused with clear errors; a library whose traces violate its own
//! constraints never yields an accepted proof.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, OnceLock};

use zkvm_core::asm::Assembler;
use zkvm_core::isa::{Opcode, reg};
use zkvm_core::precompile::PrecompileSet;
use zkvm_core::prover::{
    BundleReader, BundleStatement, BundleWriter, ProofParameters, ProvingOptions, StatementTables,
    prove_execution, verify_bundle_with,
};
use zkvm_core::{Executor, Program};
use zkvm_plugins::Config;

const PARAMETERS: ProofParameters = ProofParameters::TESTING;
const ADD256: u32 = 0x200;
const DATA: u32 = 0x20000;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Builds the template plugin with `features` and copies the library to `NAME.so` (or the
/// platform's extension) beside its build directory; returns that path.
fn build(features: &str, name: &str) -> PathBuf {
    let target = root().join("target").join("plugin-template");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(cargo);
    command.args(["build", "--release", "--quiet", "--locked", "--manifest-path"]);
    command.arg(root().join("plugins/template/Cargo.toml")).arg("--target-dir").arg(&target);
    if !features.is_empty() {
        command.args(["--features", features]);
    }
    let status = command.status().expect("cargo runs");
    assert!(status.success(), "building the template plugin with features `{features}` failed");
    let built = target.join("release").join(format!(
        "{}zkvm_plugin_template.{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_EXTENSION
    ));
    let copy = target.join(format!("{name}.{}", std::env::consts::DLL_EXTENSION));
    std::fs::copy(&built, &copy).expect("the library was built");
    copy
}

struct Libraries {
    good: PathBuf,
    wrong_abi: PathBuf,
    no_entry: PathBuf,
    bad_trace: PathBuf,
}

/// The four variants, built once (one after the other: they share a build directory).
fn libraries() -> &'static Libraries {
    static LIBRARIES: OnceLock<Libraries> = OnceLock::new();
    LIBRARIES.get_or_init(|| Libraries {
        wrong_abi: build("wrong-abi", "wrong-abi"),
        no_entry: build("no-entry", "no-entry"),
        bad_trace: build("bad-trace", "bad-trace"),
        good: build("", "good"),
    })
}

fn config(name: &str, library: &Path) -> String {
    format!("[plugins.{name}]\npath = \"{}\"\n", library.display())
}

/// Adds b = 2^255 + 5 to a = 2^256 - 3 twice (so 2^256 wraps) and exits with the low word.
fn add_program() -> Program {
    let mut bytes = vec![0xffu8; 32];
    bytes[0] = 0xfd;
    let mut b = vec![0u8; 32];
    b[0] = 5;
    b[31] = 0x80;
    bytes.extend(b);
    let mut asm = Assembler::new(0x10000);
    asm.data(DATA, bytes);
    asm.li(reg::A0, DATA).ecall(ADD256).ecall(ADD256).i(Opcode::Lw, reg::A0, reg::A0, 0).halt();
    asm.program()
}

/// Proves `program` with `precompiles` and verifies the bundle; `Err` with the reason when
/// either step refuses.
fn prove_and_verify(program: &Program, precompiles: &Arc<PrecompileSet>) -> Result<u32, String> {
    let program = Arc::new(program.clone());
    let mut executor = Executor::new(Arc::clone(&program), vec![]).with_precompiles(Arc::clone(precompiles));
    executor.run().map_err(|e| e.to_string())?;
    let statement = BundleStatement { input: vec![], output: executor.io.public_output };
    let tables = StatementTables::new(&program, &[], &statement.output)
        .unwrap()
        .with_precompiles(Arc::clone(precompiles))
        .map_err(|e| e.to_string())?;
    let mut writer = BundleWriter::new(Vec::new(), &PARAMETERS, &statement).unwrap();
    let options = ProvingOptions { segment_cycles: 1 << 16, concurrency: 1 };
    prove_execution(
        &tables,
        Executor::new(Arc::clone(&program), vec![]),
        &options,
        &PARAMETERS,
        |record, _| writer.write_segment(&record),
    )
    .map_err(|e| e.to_string())?;
    let bytes = writer.finish().unwrap();
    let mut reader = BundleReader::new(&bytes[..], &PARAMETERS).unwrap();
    verify_bundle_with(&program, precompiles, &mut reader, &PARAMETERS)
        .map(|verified| verified.exit_code)
        .map_err(|e| e.to_string())
}

#[test]
fn the_template_plugin_loads_from_a_config_and_its_guest_proves() {
    let text = config("add256", &libraries().good);
    let config = Config::parse(&text, "add256.toml").unwrap();
    let entry = config.plugins.iter().find(|p| p.name == "add256").expect("loaded");
    assert_eq!(entry.ecalls, [("add256".to_string(), ADD256)]);
    let precompiles = config.precompiles().unwrap();
    // a = 2^256 - 3, b = 2^255 + 5: a + 2b = 2^257 + 7 = 7 modulo 2^256.
    assert_eq!(prove_and_verify(&add_program(), &precompiles), Ok(7));
    // Without the plugin the guest stops at the unknown call.
    let error = prove_and_verify(&add_program(), &Arc::default()).unwrap_err();
    assert!(error.contains("unknown ecall number 512"), "{error}");
}

#[test]
fn libraries_for_another_abi_or_without_an_entry_are_refused() {
    let cases = [
        (
            config("add256", &libraries().wrong_abi),
            "was built for plugin ABI version 2; this zkvm loads version 1",
        ),
        (config("add256", &libraries().no_entry), "has no `zkvm_plugin_abi_version` function"),
        (config("add256", Path::new("/nonexistent/libnothing.so")), "cannot load /nonexistent/libnothing.so"),
        (config("adder", &libraries().good), "the library's plugin is named `add256`"),
    ];
    for (text, expected) in cases {
        let error = Config::parse(&text, "bad.toml").unwrap_err();
        let message = error.to_string();
        assert!(message.starts_with("bad.toml:2: plugins."), "{message}");
        assert!(message.contains(".path: ") && message.contains(expected), "{message}");
    }
}

#[test]
fn a_plugin_violating_its_own_constraints_yields_no_accepted_proof() {
    let text = config("add256", &libraries().bad_trace);
    let precompiles = Config::parse(&text, "bad-trace.toml").unwrap().precompiles().unwrap();
    let verdict = prove_and_verify(&add_program(), &precompiles);
    assert!(verdict.is_err(), "a proof of a trace breaking the plugin's constraints was accepted");
}
