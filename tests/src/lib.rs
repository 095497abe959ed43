//! Helpers shared by the end-to-end tests: where the repository's files are, and random
//! program generation for differential testing.

use std::path::PathBuf;

pub mod random_program;

/// The repository root.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

/// Path of a committed example guest ELF by name (`examples/elf/NAME.elf`).
pub fn example_elf(name: &str) -> PathBuf {
    repo_root().join("examples").join("elf").join(format!("{name}.elf"))
}
