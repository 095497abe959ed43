//! Keccak-256 of the input with the keccak precompile (needs `[plugins.keccak]` in the config);
//! prints the digest in hex and commits its 32 bytes.
#![no_std]
#![no_main]

zkvm_guest::entry!(main);

fn main() {
    let input = zkvm_guest::read_to_end();
    let digest = keccak::keccak256(&input, zkvm_guest::precompile::keccak_f);
    keccak::report(input.len(), &digest);
}
