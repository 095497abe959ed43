//! `zkvm spec` writes the machine description the whitepaper renders; the committed copy in
//! docs/whitepaper/generated/ must be what the code generates today.

use std::path::Path;
use std::process::Command;

/// Where the whitepaper reads the generated files from.
const COMMITTED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/whitepaper/generated");

#[test]
fn the_committed_machine_description_is_current() {
    let out = std::env::temp_dir().join(format!("zkvm-spec-test-{}", std::process::id()));
    let status = Command::new(env!("CARGO_BIN_EXE_zkvm")).args(["spec", "--out"]).arg(&out).status().unwrap();
    assert!(status.success());
    for name in ["chips.json", "buses.json", "soundcalc.toml", "security.json"] {
        let fresh = std::fs::read_to_string(out.join(name)).unwrap();
        let committed = std::fs::read_to_string(Path::new(COMMITTED).join(name)).unwrap_or_default();
        assert!(
            fresh == committed,
            "docs/whitepaper/generated/{name} is stale: run `cargo run -p zkvm-cli -- spec --out docs/whitepaper/generated` and commit the result"
        );
        // The description names every chip and bus the machine has.
        assert!(fresh.contains("\"register_boundary\"") || name != "chips.json");
        assert!(fresh.contains("\"memory_merkle\"") || !name.ends_with("s.json"));
    }
    std::fs::remove_dir_all(&out).unwrap();
}
