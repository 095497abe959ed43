//! `--config`: settings come from the TOML file, CLI flags override them, and a bad file stops
//! every command with one line naming the file, the line and the key.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn zkvm(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zkvm")).args(args).output().expect("zkvm runs")
}

fn temp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zkvm-config-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn loop_elf() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/elf/loop.elf").to_str().unwrap().to_string()
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn the_config_sets_segment_size_and_parameters_and_flags_override_it() {
    let dir = temp_dir();
    let config =
        write(&dir, "small.toml", "[segment]\ncycles = 256\n\n[proof]\npreset = \"insecure-test\"\n");
    let input = write(&dir, "rounds.txt", "30");
    let proof = dir.join("small.proof").to_str().unwrap().to_string();
    let elf = loop_elf();
    let proved = zkvm(&["prove", &elf, "--input", &input, "-o", &proof, "--bundle", "--config", &config]);
    let stderr = String::from_utf8_lossy(&proved.stderr);
    assert_eq!(proved.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("proving 5 segment(s) of up to 256 cycles"), "{stderr}");
    let verified = zkvm(&["verify", &proof, "--elf", &elf, "--config", &config]);
    assert_eq!(verified.status.code(), Some(0), "{}", String::from_utf8_lossy(&verified.stderr));
    // Without the config the verifier expects the default parameters.
    let default = zkvm(&["verify", &proof, "--elf", &elf]);
    assert_eq!(default.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&default.stderr).contains("other proof parameters"));
    // A flag beats the config.
    let flagged = zkvm(&[
        "prove",
        &elf,
        "--input",
        &input,
        "-o",
        &proof,
        "--bundle",
        "--config",
        &config,
        "--segment-cycles",
        "512",
    ]);
    let stderr = String::from_utf8_lossy(&flagged.stderr);
    assert!(stderr.contains("proving 3 segment(s) of up to 512 cycles"), "{stderr}");
}

#[test]
fn a_bad_config_stops_every_command_with_its_line_and_key() {
    let dir = temp_dir();
    let bad = write(&dir, "bad.toml", "# settings\n[segment]\ncycles = 0\n");
    let elf = loop_elf();
    let proof = dir.join("never.proof").to_str().unwrap().to_string();
    let ckpt_dir = dir.join("never").to_str().unwrap().to_string();
    let spec_dir = dir.join("spec").to_str().unwrap().to_string();
    let missing = dir.join("missing.ckpt").to_str().unwrap().to_string();
    let commands: [Vec<&str>; 8] = [
        vec!["run", &elf],
        vec!["prove", &elf, "-o", &proof],
        vec!["verify", &proof, "--elf", &elf],
        vec!["checkpoint", &elf, "--out", &ckpt_dir],
        vec!["prove-segment", &missing, "--elf", &elf],
        vec!["join", &ckpt_dir, "-o", &proof],
        vec!["plugins"],
        vec!["spec", "--out", &spec_dir],
    ];
    for mut command in commands {
        command.extend(["--config", &bad]);
        let output = zkvm(&command);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{command:?}: {stderr}");
        let expected = format!("error: {bad}:3: segment.cycles: 0 is out of range (1 ..= 2097152)\n");
        assert_eq!(stderr, expected, "{command:?}");
    }
    assert!(!Path::new(&proof).exists());
    let unknown = write(&dir, "unknown.toml", "[plugins.keccak_typo]\n");
    let output = zkvm(&["plugins", "--config", &unknown]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("unknown.toml:1: plugins.keccak_typo: no plugin named `keccak_typo`"),
        "{stderr}"
    );
}

#[test]
fn plugins_lists_the_chipset_with_chips_buses_and_ecalls() {
    let output = zkvm(&["plugins"]);
    assert_eq!(output.status.code(), Some(0));
    let listing = String::from_utf8_lossy(&output.stdout);
    assert!(listing.contains("config: <default>"), "{listing}");
    assert!(listing.contains("rv32im "), "{listing}");
    assert!(listing.contains("(always enabled)"), "{listing}");
    for line in ["0 halt", "4 commit", "memory_merkle", "buses: memory_leaf, merkle_node"] {
        assert!(listing.contains(line), "no `{line}` in {listing}");
    }
}

#[test]
fn the_shipped_example_config_is_the_default() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/configs/zkvm.toml");
    let mut config = zkvm_plugins::Config::from_file(&path).unwrap();
    config.source = "<default>".into();
    assert_eq!(config, zkvm_plugins::Config::default());
}

#[test]
fn a_plugin_enabled_by_the_config_proves_its_guest() {
    let dir = temp_dir();
    let config = write(&dir, "keccak.toml", "[plugins.keccak]\n\n[proof]\npreset = \"insecure-test\"\n");
    let input = write(&dir, "abc.txt", "abc");
    let elf = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/elf/keccak.elf");
    let elf = elf.to_str().unwrap();
    let proof = dir.join("keccak.proof").to_str().unwrap().to_string();
    let proved = zkvm(&["prove", elf, "--input", &input, "-o", &proof, "--bundle", "--config", &config]);
    assert_eq!(proved.status.code(), Some(0), "{}", String::from_utf8_lossy(&proved.stderr));
    let verified = zkvm(&["verify", &proof, "--elf", elf, "--config", &config]);
    let report = String::from_utf8_lossy(&verified.stdout);
    assert_eq!(verified.status.code(), Some(0), "{}", String::from_utf8_lossy(&verified.stderr));
    // Keccak-256("abc").
    assert!(report.contains("4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"), "{report}");
    // Without the plugin the guest cannot run, and its proof does not verify.
    let run = zkvm(&["run", elf, "--input", &input]);
    assert_eq!(run.status.code(), Some(3));
    let insecure = write(&dir, "plain.toml", "[proof]\npreset = \"insecure-test\"\n");
    let rejected = zkvm(&["verify", &proof, "--elf", elf, "--config", &insecure]);
    assert_eq!(rejected.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&rejected.stderr).contains("tables"));
    // The listing marks the plugin enabled, with its call number.
    let listing = zkvm(&["plugins", "--config", &config]);
    let listing = String::from_utf8_lossy(&listing.stdout);
    assert!(listing.contains("keccak 0.1.0 (enabled)") && listing.contains("256 keccak_f"), "{listing}");
}
