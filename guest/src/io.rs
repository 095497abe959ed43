//! Input and output through the machine's calls: `READ_WORD` and `INPUT_LENGTH` for the input,
//! `COMMIT` for the public output, `WRITE` for what the user sees.

use core::sync::atomic::{AtomicU32, Ordering};

use crate::{call, fd, syscall};

/// Writes `bytes` to file descriptor `fd` (see [`crate::fd`]); shown to the user, not proven.
pub fn write(fd: u32, bytes: &[u8]) {
    syscall(call::WRITE, 64, fd, bytes.as_ptr() as u32, bytes.len() as u32);
}

/// Appends `bytes` to the public output, which the proof attests (one `COMMIT` per byte).
pub fn commit(bytes: &[u8]) {
    for &byte in bytes {
        syscall(call::COMMIT, 0, u32::from(byte), 0, 0);
    }
}

/// Writes a string to stdout.
pub fn print_str(s: &str) {
    write(fd::STDOUT, s.as_bytes());
}

/// Writes a string to stderr.
pub fn eprint_str(s: &str) {
    write(fd::STDERR, s.as_bytes());
}

/// How many input bytes this runtime has handed out (the machine's position is this rounded up
/// to a word: a partly used word's other bytes wait in `PENDING`).
static CONSUMED: AtomicU32 = AtomicU32::new(0);
/// The last word read from the machine, whose bytes from `CONSUMED % 4` on are not handed out yet.
static PENDING: AtomicU32 = AtomicU32::new(0);

/// The length of the whole input in bytes.
pub fn input_length() -> usize {
    syscall(call::INPUT_LENGTH, 0, 0, 0, 0) as usize
}

/// Reads up to `buf.len()` bytes of input; returns how many were read (0 at the end).
pub fn read(buf: &mut [u8]) -> usize {
    let consumed = CONSUMED.load(Ordering::Relaxed) as usize;
    let count = buf.len().min(input_length() - consumed);
    let mut pending = PENDING.load(Ordering::Relaxed);
    for (i, byte) in buf[..count].iter_mut().enumerate() {
        let offset = (consumed + i) % 4;
        if offset == 0 {
            pending = syscall(call::READ_WORD, 0, 0, 0, 0);
        }
        *byte = (pending >> (8 * offset)) as u8;
    }
    PENDING.store(pending, Ordering::Relaxed);
    CONSUMED.store((consumed + count) as u32, Ordering::Relaxed);
    count
}

/// Fills `buf` from the input; returns false if the input ended first.
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

/// Reads the rest of the input.
#[cfg(feature = "alloc")]
pub fn read_to_end() -> alloc::vec::Vec<u8> {
    let remaining = input_length() - CONSUMED.load(Ordering::Relaxed) as usize;
    let mut data = alloc::vec![0u8; remaining];
    let n = read(&mut data);
    data.truncate(n);
    data
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
