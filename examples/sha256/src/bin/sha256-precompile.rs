//! SHA-256 of the input with the sha256 plugin's compression precompile (needs
//! `[plugins.sha256]` in the config); prints the digest in hex and commits its 32 bytes, like
//! the `sha256` guest, which computes it in software.
#![no_std]
#![no_main]

use zkvm_guest::precompile::sha256_compress;

zkvm_guest::entry!(main);

/// SHA-256's initial state.
const IV: [u32; 8] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

/// The 16 big-endian words of a 64-byte block.
fn words(block: &[u8]) -> [u32; 16] {
    core::array::from_fn(|i| u32::from_be_bytes([block[4 * i], block[4 * i + 1], block[4 * i + 2], block[4 * i + 3]]))
}

fn sha256(message: &[u8]) -> [u8; 32] {
    let mut state = IV;
    let mut blocks = message.chunks_exact(64);
    for block in &mut blocks {
        sha256_compress(&mut state, &words(block));
    }
    // Padding: 0x80, zeros, and the message length in bits (big-endian) in the last 8 bytes,
    // over one or two blocks.
    let rest = blocks.remainder();
    let mut tail = [0u8; 128];
    tail[..rest.len()].copy_from_slice(rest);
    tail[rest.len()] = 0x80;
    let length = if rest.len() < 56 { 64 } else { 128 };
    tail[length - 8..length].copy_from_slice(&((message.len() as u64) * 8).to_be_bytes());
    for block in tail[..length].chunks_exact(64) {
        sha256_compress(&mut state, &words(block));
    }
    let mut digest = [0u8; 32];
    for (chunk, word) in digest.chunks_exact_mut(4).zip(state) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    digest
}

fn main() {
    let input = zkvm_guest::read_to_end();
    let digest = sha256(&input);
    zkvm_guest::print!("sha256({} bytes) = ", input.len());
    for byte in digest.iter() {
        zkvm_guest::print!("{byte:02x}");
    }
    zkvm_guest::println!();
    zkvm_guest::commit(&digest);
}
