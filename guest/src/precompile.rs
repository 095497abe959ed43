//! Wrappers for the precompiles of the standard plugins. Each is an `ecall` under the plugin's
//! default call number; a config that moves a call to another number needs guests built with
//! that number (pass it to [`crate::syscall`] yourself).

/// Default call number of the `keccak` plugin's `keccak_f` call.
pub const KECCAK_F: u32 = 0x100;

/// Applies Keccak-f\[1600\] to `state` in place (lane `x + 5y` at index `x + 5y`), proven by
/// the `keccak` plugin's chip. The machine must have the plugin enabled (`[plugins.keccak]`).
pub fn keccak_f(state: &mut [u64; 25]) {
    // The state is 8-byte aligned, so word-aligned as the precompile requires; the machine
    // reads and writes its 50 words in place.
    crate::syscall(KECCAK_F, 0, state.as_mut_ptr() as u32, 0, 0);
}

/// Default call number of the `sha256` plugin's `sha256_compress` call.
pub const SHA256_COMPRESS: u32 = 0x101;

/// Compresses `block` (16 big-endian message words) into `state` with SHA-256's compression
/// function, proven by the `sha256` plugin's chip (`[plugins.sha256]` must be enabled).
pub fn sha256_compress(state: &mut [u32; 8], block: &[u32; 16]) {
    // The precompile works in place on 24 contiguous words: the state, then the block.
    let mut words = [0u32; 24];
    words[..8].copy_from_slice(state);
    words[8..].copy_from_slice(block);
    crate::syscall(SHA256_COMPRESS, 0, words.as_mut_ptr() as u32, 0, 0);
    state.copy_from_slice(&words[..8]);
}
