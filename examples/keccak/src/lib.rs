//! Keccak-256 (the original Keccak padding, as Ethereum uses it) over any permutation: the
//! precompile's or the software one.
#![no_std]

/// Bytes absorbed per permutation (1088-bit rate).
const RATE: usize = 136;

/// Keccak-256 of `input`, with `permute` as Keccak-f\[1600\].
pub fn keccak256(input: &[u8], permute: impl Fn(&mut [u64; 25])) -> [u8; 32] {
    let mut state = [0u64; 25];
    let mut blocks = input.chunks_exact(RATE);
    for block in &mut blocks {
        absorb(&mut state, block);
        permute(&mut state);
    }
    // Pad the last, partial block: 0x01 after the message, 0x80 in the rate's last byte.
    let rest = blocks.remainder();
    let mut last = [0u8; RATE];
    last[..rest.len()].copy_from_slice(rest);
    last[rest.len()] ^= 0x01;
    last[RATE - 1] ^= 0x80;
    absorb(&mut state, &last);
    permute(&mut state);
    let mut digest = [0u8; 32];
    for (chunk, lane) in digest.chunks_exact_mut(8).zip(state) {
        chunk.copy_from_slice(&lane.to_le_bytes());
    }
    digest
}

/// XORs one rate-sized block into the state, lane by lane, little-endian.
fn absorb(state: &mut [u64; 25], block: &[u8]) {
    for (lane, bytes) in state.iter_mut().zip(block.chunks_exact(8)) {
        let mut word = [0u8; 8];
        word.copy_from_slice(bytes);
        *lane ^= u64::from_le_bytes(word);
    }
}

/// Prints the digest in hex and commits it as the public output.
pub fn report(input_len: usize, digest: &[u8; 32]) {
    zkvm_guest::print!("keccak256({input_len} bytes) = ");
    for byte in digest {
        zkvm_guest::print!("{byte:02x}");
    }
    zkvm_guest::println!();
    zkvm_guest::commit(digest);
}
