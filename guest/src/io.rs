//! Input and output through the machine's `READ` and `WRITE` calls.

use crate::{call, fd, syscall};

/// Writes `bytes` to file descriptor `fd` (see [`crate::fd`]).
pub fn write(fd: u32, bytes: &[u8]) {
    syscall(call::WRITE, 64, fd, bytes.as_ptr() as u32, bytes.len() as u32);
}

/// Appends `bytes` to the public output, which the proof commits to.
pub fn commit(bytes: &[u8]) {
    write(fd::PUBLIC, bytes);
}

/// Writes a string to stdout.
pub fn print_str(s: &str) {
    write(fd::STDOUT, s.as_bytes());
}

/// Writes a string to stderr.
pub fn eprint_str(s: &str) {
    write(fd::STDERR, s.as_bytes());
}

/// Reads up to `buf.len()` bytes of private input; returns how many were read (0 at the end).
pub fn read(buf: &mut [u8]) -> usize {
    syscall(call::READ, 0, buf.as_mut_ptr() as u32, buf.len() as u32, 0) as usize
}

/// Fills `buf` from the private input; returns false if the input ended first.
pub fn read_exact(buf: &mut [u8]) -> bool {
    let mut filled = 0;
    while filled < buf.len() {
        let n = read(&mut buf[filled..]);
        if n == 0 {
            return false;
        }
        filled += n;
    }
    true
}

/// Reads the rest of the private input.
#[cfg(feature = "alloc")]
pub fn read_to_end() -> alloc::vec::Vec<u8> {
    let mut data = alloc::vec::Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = read(&mut chunk);
        if n == 0 {
            return data;
        }
        data.extend_from_slice(&chunk[..n]);
    }
}

/// The guest's stdout, for `core::fmt::Write`.
pub struct Stdout;

impl core::fmt::Write for Stdout {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        print_str(s);
        Ok(())
    }
}

/// The guest's stderr, for `core::fmt::Write`.
pub struct Stderr;

impl core::fmt::Write for Stderr {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        eprint_str(s);
        Ok(())
    }
}
