//! `zkvm spec` writes the machine description the whitepaper renders; the committed copy in
//! docs/whitepaper/generated/ must be what the code generates today.

use std::path::Path;
use std::process::Command;

/// Where the whitepaper reads the generated files from.
const COMMITTED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/whitepaper/generated");

/// The generated files that differ from the committed copy when `zkvm spec` runs with `args`.
fn stale_files(args: &[&str], tag: &str) -> Vec<String> {
    let out = std::env::temp_dir().join(format!("zkvm-spec-test-{tag}-{}", std::process::id()));
    let status = Command::new(env!("CARGO_BIN_EXE_zkvm"))
        .args(["spec", "--out"])
        .arg(&out)
        .args(args)
        .status()
        .unwrap();
    assert!(status.success());
    let mut stale = Vec::new();
    let mut names: Vec<String> =
        std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    assert_eq!(
        names,
        ["buses.json", "chips.json", "circuits.json", "security.json", "soundcalc.toml", "topology.json"]
    );
    for name in names {
        let fresh = std::fs::read_to_string(out.join(&name)).unwrap();
        let committed = std::fs::read_to_string(Path::new(COMMITTED).join(&name)).unwrap_or_default();
        // The description names every chip, bus and circuit kind the machine has.
        let expected: &[&str] = match name.as_str() {
            "chips.json" => &["\"register_boundary\"", "\"memory_merkle\""],
            "buses.json" => &["\"memory_merkle\""],
            "circuits.json" => &["\"segment\"", "\"leaf\"", "\"internal\"", "\"final\""],
            _ => &[],
        };
        for word in expected {
            assert!(fresh.contains(word), "{name} lacks {word}");
        }
        if fresh != committed {
            stale.push(name);
        }
    }
    std::fs::remove_dir_all(&out).unwrap();
    stale
}

#[test]
fn the_committed_machine_description_is_current() {
    let stale = stale_files(&[], "default");
    assert!(
        stale.is_empty(),
        "docs/whitepaper/generated/{stale:?} stale: run `cargo run -p zkvm-cli -- spec --out docs/whitepaper/generated` and commit the result"
    );
}

/// The check above is not blind: a changed chipset (the keccak chip added by a config) makes
/// the chip and circuit inventories and the soundness parameters differ from the committed
/// copy, and another arity the topology.
#[test]
fn a_changed_chipset_makes_the_committed_copy_stale() {
    let dir = std::env::temp_dir().join(format!("zkvm-spec-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("keccak.toml");
    std::fs::write(&config, "[plugins.keccak]\n[recursion]\narity = 4\n").unwrap();
    let stale = stale_files(&["--config", config.to_str().unwrap()], "keccak");
    for name in ["chips.json", "circuits.json", "soundcalc.toml", "topology.json"] {
        assert!(stale.iter().any(|s| s == name), "{name} not stale: {stale:?}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
