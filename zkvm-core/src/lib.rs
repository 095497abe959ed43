//! The zkvm machine: an RV32IM interpreter with the guest ABI, ELF loading and the execution
//! traces the prover is built from.
//!
//! ```no_run
//! use std::sync::Arc;
//! use zkvm_core::{Executor, Program};
//!
//! let elf = std::fs::read("examples/elf/sha256.elf").unwrap();
//! let program = Arc::new(Program::from_elf(&elf).unwrap());
//! let mut executor = Executor::new(program, b"hello".to_vec());
//! let exit_code = executor.run().unwrap();
//! assert_eq!(exit_code, 0);
//! println!("{}", String::from_utf8_lossy(executor.io.stdout.captured()));
//! ```

pub mod abi;
pub mod asm;
pub mod chips;
pub mod elf;
pub mod executor;
pub mod isa;
pub mod memory;
pub mod precompile;
pub mod prover;
pub mod soundness;

pub use elf::{ElfError, Program};
pub use executor::{ExecError, Executor, RegisterState, ResumePoint, RunStatus, SegmentTrace, Tracer};
pub use isa::{Instruction, Opcode};
pub use memory::Memory;
