//! The guest ABI: how a program talks to the machine.
//!
//! A guest executes `ecall` with the call number in `t0` (x5), arguments in `a0..a2` (x10..x12)
//! and receives its result in `a0`. `a7` (Linux's call-number register) is ignored, so a program
//! may set both and also run under `qemu-riscv32`.
//!
//! | `t0` | call | arguments | result |
//! |---|---|---|---|
//! | 0 | [`HALT`] | `a0` = exit code (0 = success) | never returns |
//! | 1 | [`WRITE`] | `a0` = fd (1 stdout, 2 stderr), `a1` = pointer, `a2` = length | `a0` unchanged |
//! | 2 | [`READ_WORD`] | — | `a0` = the next four input bytes |
//! | 3 | [`INPUT_LENGTH`] | — | `a0` = length of the input in bytes |
//! | 4 | [`COMMIT`] | `a0` = one byte (0..256) | `a0` unchanged |
//!
//! The *input* is one byte string given to the machine before execution (`zkvm run --input
//! FILE`). `READ_WORD` returns its next four bytes as a little-endian word (bytes past the end read
//! as 0) and advances the input position by four; reading a word that starts at or past the end
//! is an error. The input is part of the statement a proof attests: the verifier sees it.
//!
//! `COMMIT` appends one byte to the *public output*, which the proof also attests. `WRITE` only
//! shows bytes to the user: it changes no guest state, so the proof ignores what it prints.
//!
//! Every call moves at most one word between the guest and the machine, through `a0`: the
//! proof checks each call with a single row and no access to guest memory.

/// `t0` value of the call that stops the machine with exit code `a0`.
pub const HALT: u32 = 0;
/// `t0` value of the call that shows `a2` bytes at `a1` on file descriptor `a0` (1 or 2).
pub const WRITE: u32 = 1;
/// `t0` value of the call that returns the next input word in `a0`.
pub const READ_WORD: u32 = 2;
/// `t0` value of the call that returns the input's length in bytes in `a0`.
pub const INPUT_LENGTH: u32 = 3;
/// `t0` value of the call that appends the byte in `a0` to the public output.
pub const COMMIT: u32 = 4;

/// Longest buffer one `WRITE` may show (1 MiB); a longer one is a fault, so a guest cannot make
/// the host copy gigabytes in one cycle.
pub const MAX_WRITE_BYTES: u32 = 1 << 20;

/// Most bytes the host keeps of one captured output stream (64 MiB); writing more is a fault.
pub const MAX_CAPTURED_BYTES: usize = 64 << 20;

/// File descriptor of the guest's standard output.
pub const FD_STDOUT: u32 = 1;
/// File descriptor of the guest's standard error.
pub const FD_STDERR: u32 = 2;

/// The Linux call numbers a guest may also place in `a7` (ignored by the machine).
pub mod linux {
    /// `exit`.
    pub const EXIT: u32 = 93;
    /// `write`.
    pub const WRITE: u32 = 64;
}
