//! Any byte string given to the ELF loader yields a program or a typed error, never a panic;
//! a program that loads runs for a bounded number of cycles without panicking either.
#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use zkvm_core::{Executor, Program};

fuzz_target!(|data: &[u8]| {
    if let Ok(program) = Program::from_elf(data) {
        let mut executor = Executor::new(Arc::new(program), Vec::new()).with_max_cycles(4096);
        let _ = executor.run();
    }
});
