//! Hashes its private input with SHA-256 (the `sha2` crate), prints the digest in hex on stdout
//! and commits the 32 digest bytes as public output.
#![no_std]
#![no_main]

use sha2::{Digest, Sha256};

zkvm_guest::entry!(main);

fn main() {
    let input = zkvm_guest::read_to_end();
    let digest = Sha256::digest(&input);
    zkvm_guest::print!("sha256({} bytes) = ", input.len());
    for byte in digest.iter() {
        zkvm_guest::print!("{byte:02x}");
    }
    zkvm_guest::println!();
    zkvm_guest::commit(&digest);
}
