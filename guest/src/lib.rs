//! The zkvm guest runtime.
//!
//! A guest program is a `no_std` binary that names its entry function with [`entry!`]:
//!
//! ```ignore
//! #![no_std]
//! #![no_main]
//! zkvm_guest::entry!(main);
//! fn main() {
//!     let input = zkvm_guest::read_to_end();
//!     zkvm_guest::println!("read {} bytes", input.len());
//!     zkvm_guest::commit(&input);
//! }
//! ```
//!
//! The runtime sets up the stack and global pointer, runs `main`, and halts with exit code 0
//! when it returns (101 if it panics, after printing the panic message on stderr). The calls
//! follow the machine's guest ABI: call number in `t0`, arguments in `a0..a2`, result in `a0`.
#![no_std]

#[cfg(feature = "alloc")]
extern crate alloc;

#[cfg(feature = "alloc")]
mod heap;
mod io;
pub mod precompile;

pub use io::{Stderr, Stdout, commit, eprint_str, input_length, print_str, read, read_exact, write};
#[cfg(feature = "alloc")]
pub use io::read_to_end;

/// Call numbers (`t0`) of the guest ABI.
pub mod call {
    /// Stop with exit code `a0`.
    pub const HALT: u32 = 0;
    /// Show `a2` bytes at `a1` on file descriptor `a0` (not proven).
    pub const WRITE: u32 = 1;
    /// Return the next four input bytes in `a0`.
    pub const READ_WORD: u32 = 2;
    /// Return the input's length in bytes in `a0`.
    pub const INPUT_LENGTH: u32 = 3;
    /// Append the byte in `a0` to the public output.
    pub const COMMIT: u32 = 4;
}

/// File descriptors of the `WRITE` call.
pub mod fd {
    /// Standard output.
    pub const STDOUT: u32 = 1;
    /// Standard error.
    pub const STDERR: u32 = 2;
}

/// Performs an `ecall`. `linux` goes to `a7`, so that the same binary can run under
/// `qemu-riscv32` for the calls Linux shares (exit, write); the zkvm ignores it.
#[inline(always)]
pub fn syscall(call: u32, linux: u32, a0: u32, a1: u32, a2: u32) -> u32 {
    let result;
    // SAFETY: `ecall` transfers control to the machine, which reads t0/a0..a2 and writes a0 only.
    unsafe {
        core::arch::asm!(
            "ecall",
            in("t0") call,
            in("a7") linux,
            inlateout("a0") a0 => result,
            in("a1") a1,
            in("a2") a2,
            options(nostack),
        );
    }
    result
}

/// Halts the machine with `code` (0 means success).
pub fn exit(code: u32) -> ! {
    syscall(call::HALT, 93, code, 0, 0);
    // HALT never returns; should a host resume anyway, stay here.
    loop {
        core::hint::spin_loop();
    }
}

/// Defines the program's entry point: `entry!(main)` runs `fn main()` and halts with code 0.
#[macro_export]
macro_rules! entry {
    ($main:path) => {
        #[unsafe(no_mangle)]
        extern "C" fn __zkvm_main() -> ! {
            let main: fn() = $main;
            main();
            $crate::exit(0)
        }
    };
}

/// Prints to the guest's stdout (fd 1), like `std::print!`.
#[macro_export]
macro_rules! print {
    ($($arg:tt)*) => {{
        use core::fmt::Write as _;
        let _ = write!($crate::Stdout, $($arg)*);
    }};
}

/// Prints a line to the guest's stdout (fd 1), like `std::println!`.
#[macro_export]
macro_rules! println {
    ($($arg:tt)*) => {{
        use core::fmt::Write as _;
        let _ = writeln!($crate::Stdout, $($arg)*);
    }};
}

/// Prints a line to the guest's stderr (fd 2), like `std::eprintln!`.
#[macro_export]
macro_rules! eprintln {
    ($($arg:tt)*) => {{
        use core::fmt::Write as _;
        let _ = writeln!($crate::Stderr, $($arg)*);
    }};
}

core::arch::global_asm!(
    ".section .text.init, \"ax\"",
    ".global _start",
    "_start:",
    ".option push",
    ".option norelax",
    "    la gp, __global_pointer$",
    ".option pop",
    "    la sp, __stack_top",
    "    call __zkvm_main",
    "1:  j 1b",
);

#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    use core::fmt::Write as _;
    let _ = writeln!(Stderr, "guest panicked: {info}");
    exit(101)
}
