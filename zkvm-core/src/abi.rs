//! The guest ABI: how a program talks to the machine.
//!
//! A guest executes `ecall` with the call number in `t0` (x5), arguments in `a0..a2` (x10..x12)
//! and receives its result in `a0`. `a7` (Linux's call-number register) is ignored, so a program
//! may set both and also run under `qemu-riscv32`.
//!
//! | `t0` | call | arguments | result |
//! |---|---|---|---|
//! | 0 | [`HALT`] | `a0` = exit code (0 = success) | never returns |
//! | 1 | [`WRITE`] | `a0` = fd (1 stdout, 2 stderr, 3 public output), `a1` = pointer, `a2` = length | `a0` = length |
//! | 2 | [`READ`] | `a0` = pointer, `a1` = capacity | `a0` = bytes copied |
//!
//! `READ` copies the next `min(capacity, remaining)` bytes of the private input stream to the
//! pointer and returns how many it copied; 0 means the input is exhausted. The input is one byte
//! string given to the machine before execution (`zkvm run --input FILE`).
//!
//! Bytes written to fd 3 form the *public output*: they are part of the statement a proof attests.
//! Bytes written to fds 1 and 2 are only shown to the user.

/// `t0` value of the call that stops the machine with exit code `a0`.
pub const HALT: u32 = 0;
/// `t0` value of the call that writes `a2` bytes at `a1` to file descriptor `a0`.
pub const WRITE: u32 = 1;
/// `t0` value of the call that reads up to `a1` bytes of private input to `a0`.
pub const READ: u32 = 2;

/// File descriptor of the guest's standard output.
pub const FD_STDOUT: u32 = 1;
/// File descriptor of the guest's standard error.
pub const FD_STDERR: u32 = 2;
/// File descriptor of the public output, which the proof commits to.
pub const FD_PUBLIC: u32 = 3;

/// The Linux call numbers a guest may also place in `a7` (ignored by the machine).
pub mod linux {
    /// `exit`.
    pub const EXIT: u32 = 93;
    /// `write`.
    pub const WRITE: u32 = 64;
}
