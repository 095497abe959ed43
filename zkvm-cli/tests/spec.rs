//! `zkvm spec` writes the machine description the whitepaper renders; the committed copy in
//! docs/whitepaper/generated/ must be what the code generates today.

use std::path::Path;
use std::process::Command;

/// Where the whitepaper reads the generated files from.
const COMMITTED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/whitepaper/generated");

/// The generated files that differ from the committed copy when `zkvm spec` runs with `args`.
fn stale_files(args: &[&str], tag: &str) -> Vec<&'static str> {
    let out = std::env::temp_dir().join(format!("zkvm-spec-test-{tag}-{}", std::process::id()));
    let status = Command::new(env!("CARGO_BIN_EXE_zkvm"))
        .args(["spec", "--out"])
        .arg(&out)
        .args(args)
        .status()
        .unwrap();
    assert!(status.success());
    let mut stale = Vec::new();
    for name in ["chips.json", "buses.json", "soundcalc.toml", "security.json"] {
        let fresh = std::fs::read_to_string(out.join(name)).unwrap();
        let committed = std::fs::read_to_string(Path::new(COMMITTED).join(name)).unwrap_or_default();
        if fresh != committed {
            stale.push(name);
        }
        // The description names every chip and bus the machine has.
        assert!(fresh.contains("\"register_boundary\"") || name != "chips.json");
        assert!(fresh.contains("\"memory_merkle\"") || !name.ends_with("s.json"));
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
/// the chip inventory and the soundness parameters differ from the committed copy.
#[test]
fn a_changed_chipset_makes_the_committed_copy_stale() {
    let dir = std::env::temp_dir().join(format!("zkvm-spec-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("keccak.toml");
    std::fs::write(&config, "[plugins.keccak]\n").unwrap();
    let stale = stale_files(&["--config", config.to_str().unwrap()], "keccak");
    assert!(stale.contains(&"chips.json"), "{stale:?}");
    assert!(stale.contains(&"soundcalc.toml"), "{stale:?}");
}
