//! Puts the linker script where the linker finds it; a guest links with `-C link-arg=-Tlink.x`
//! (set in examples/.cargo/config.toml and by scripts/build-guests.sh).
use std::path::PathBuf;

fn main() {
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("link.x"), include_bytes!("link.x")).expect("OUT_DIR is writable");
    println!("cargo:rustc-link-search={}", out.display());
    println!("cargo:rerun-if-changed=link.x");
}
