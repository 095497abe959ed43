//! `zkvm prove` writes one final proof by default (the segment proofs aggregated by the
//! config's recursion tree) and `zkvm verify` checks it against the ELF, the input and the
//! config; a changed byte, another ELF, another input or another topology is rejected.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn zkvm(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zkvm")).args(args).output().expect("zkvm runs")
}

fn temp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zkvm-final-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_str().unwrap().to_string()
}

fn example(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/elf").join(name).to_str().unwrap().to_string()
}

/// Fast, insecure parameters everywhere (8 queries), two segments of the loop guest.
const SMALL: &str = "[segment]\ncycles = 512\n\n\
    [proof]\npreset = \"insecure-test\"\nnum_queries = 8\n\n\
    [recursion]\narity = ARITY\n\
    [recursion.aggregation]\npreset = \"insecure-test\"\nnum_queries = 8\n\
    [recursion.final]\npreset = \"insecure-test\"\nnum_queries = 8\n";

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn the_final_proof_verifies_against_its_elf_input_and_config_only() {
    let dir = temp_dir();
    let config = write(&dir, "small.toml", SMALL.replace("ARITY", "2"));
    let input = write(&dir, "rounds.txt", "3");
    let (elf, proof) = (example("loop.elf"), dir.join("loop.proof").to_str().unwrap().to_string());
    let proved = zkvm(&["prove", &elf, "--input", &input, "-o", &proof, "--config", &config]);
    let progress = stderr(&proved);
    assert_eq!(proved.status.code(), Some(0), "{progress}");
    for line in [
        "proving 2 segment(s)",
        "segment 2/2",
        "node circuits and their keys built",
        "layer 1 node 1/1 proven",
        "aggregation layer 1: 1 node(s)",
        "final node proven",
        "final proof of",
    ] {
        assert!(progress.contains(line), "no progress line {line:?}: {progress}");
    }
    assert!(!dir.join("loop.partial").exists(), "no partial file is left behind");
    let bytes = std::fs::read(&proof).unwrap();
    assert_eq!(&bytes[..8], b"ZKVMFINL");

    let verified = zkvm(&["verify", &proof, "--elf", &elf, "--input", &input, "--config", &config]);
    let report = String::from_utf8_lossy(&verified.stdout);
    assert_eq!(verified.status.code(), Some(0), "{}", stderr(&verified));
    assert!(stderr(&verified).contains("key built in"), "no progress line: {}", stderr(&verified));
    for line in ["valid: exit code 0", "proof: final proof", "segments: 2", "input: 1 bytes"] {
        assert!(report.contains(line), "{line:?} missing: {report}");
    }

    // Each of these is an invalid proof (exit 1, one line), never accepted, never a panic.
    let rejected = |args: &[&str], needle: &str| {
        let output = zkvm(args);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {}", stderr(&output));
        assert!(stderr(&output).contains(needle), "{args:?}: {}", stderr(&output));
    };
    rejected(&["verify", &proof, "--elf", &example("hello-c.elf"), "--config", &config], "invalid proof");
    let other_input = write(&dir, "other.txt", "4");
    rejected(&["verify", &proof, "--elf", &elf, "--input", &other_input, "--config", &config], "input");
    let arity3 = write(&dir, "arity3.toml", SMALL.replace("ARITY", "3"));
    rejected(&["verify", &proof, "--elf", &elf, "--config", &arity3], "other aggregation parameters");
    rejected(&["verify", &proof, "--elf", &elf], "other aggregation parameters");
    let short = write(&dir, "short.proof", &bytes[..bytes.len() - 1]);
    rejected(&["verify", &short, "--elf", &elf, "--config", &config], "truncated");
    // One flipped byte in the input, the segment heights, the exit code and the proof body.
    for at in [40, bytes.len() / 3, bytes.len() / 2, bytes.len() - 100] {
        let mut flipped = bytes.clone();
        flipped[at] ^= 0x10;
        let file = write(&dir, "flipped.proof", &flipped);
        rejected(&["verify", &file, "--elf", &elf, "--config", &config], "invalid proof");
    }
}

#[test]
fn a_config_whose_layers_do_not_fit_the_run_is_refused_before_aggregating() {
    let dir = temp_dir();
    let config = write(&dir, "layers.toml", SMALL.replace("ARITY", "2\nlayers = 3"));
    let input = write(&dir, "rounds.txt", "3");
    let proof = dir.join("never.proof").to_str().unwrap().to_string();
    let output = zkvm(&["prove", &example("loop.elf"), "--input", &input, "-o", &proof, "--config", &config]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("recursion.layers = 3"), "{}", stderr(&output));
    assert!(!Path::new(&proof).exists());
}
