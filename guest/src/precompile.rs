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
