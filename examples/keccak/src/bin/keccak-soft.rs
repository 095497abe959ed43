//! Keccak-256 of the input with Keccak-f computed in software (`tiny-keccak`), for comparison
//! with the precompile; prints the digest in hex and commits its 32 bytes.
#![no_std]
#![no_main]

zkvm_guest::entry!(main);

fn main() {
    let input = zkvm_guest::read_to_end();
    let digest = keccak::keccak256(&input, tiny_keccak::keccakf);
    keccak::report(input.len(), &digest);
}
