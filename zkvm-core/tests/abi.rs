//! The guest ABI: HALT, WRITE and READ as documented in `zkvm_core::abi`.

use zkvm_core::asm::Assembler;
use zkvm_core::isa::{Opcode, reg};
use zkvm_core::{Executor, RunStatus, abi};

const BASE: u32 = 0x10000;
const BUF: u32 = 0x30000;

#[test]
fn write_goes_to_the_right_stream_and_returns_the_length() {
    let mut asm = Assembler::new(BASE);
    for (fd, text) in [(1, &b"out"[..]), (2, b"err"), (3, b"pub"), (1, b"!")] {
        asm.data(BUF + 0x100 * fd + text.len() as u32 * 0x10, text.to_vec());
        asm.li(reg::A0, fd).li(reg::A1, BUF + 0x100 * fd + text.len() as u32 * 0x10);
        asm.li(reg::A2, text.len() as u32).li(reg::A7, 64).ecall(abi::WRITE);
        asm.i(Opcode::Addi, 20 + fd as u8, reg::A0, 0);
    }
    asm.li(reg::A0, 0x1234).halt();
    let mut executor = Executor::new(asm.program().into(), vec![]);
    assert_eq!(executor.run(), Ok(0x1234));
    assert_eq!(executor.io.stdout.captured(), b"out!");
    assert_eq!(executor.io.stderr.captured(), b"err");
    assert_eq!(executor.io.public_output, b"pub");
    assert_eq!(executor.state().regs[21], 1); // a0 after the last WRITE to fd 1: its length
    assert_eq!(executor.state().regs[23], 3);
    assert_eq!(executor.exit_code(), Some(0x1234));
}

#[test]
fn read_copies_up_to_capacity_and_returns_zero_at_the_end() {
    let mut asm = Assembler::new(BASE);
    // Three reads of capacity 4 into BUF+1 (unaligned), BUF+5, BUF+9 from a 6-byte input.
    for (i, dest) in [BUF + 1, BUF + 5, BUF + 9].into_iter().enumerate() {
        asm.li(reg::A0, dest).li(reg::A1, 4).ecall(abi::READ).i(Opcode::Addi, 20 + i as u8, reg::A0, 0);
    }
    asm.li(reg::A0, 0).halt();
    let mut executor = Executor::new(asm.program().into(), b"abcdef".to_vec());
    assert_eq!(executor.run(), Ok(0));
    assert_eq!(&executor.state().regs[20..23], &[4, 2, 0]);
    assert_eq!(executor.memory().read_bytes(BUF, 12), b"\0abcdef\0\0\0\0\0");
    assert_eq!(executor.io.input_position, 6);
}

#[test]
fn a7_is_ignored_and_halt_keeps_a_wide_exit_code() {
    let mut asm = Assembler::new(BASE);
    asm.li(reg::A7, 64).li(reg::A0, 0xdead_beef).halt();
    let mut executor = Executor::new(asm.program().into(), vec![]);
    assert_eq!(executor.run(), Ok(0xdead_beef));
    // The machine stays halted: running again reports the same exit.
    assert_eq!(executor.run_for(10), Ok(RunStatus::Halted(0xdead_beef)));
}

#[test]
fn running_in_chunks_equals_running_at_once() {
    let mut asm = Assembler::new(BASE);
    asm.li(1, 1000).i(Opcode::Addi, 2, 2, 3).i(Opcode::Addi, 1, 1, -1).b(Opcode::Bne, 1, 0, -8);
    asm.i(Opcode::Addi, reg::A0, 2, 0).halt();
    let program = std::sync::Arc::new(asm.program());
    let mut whole = Executor::new(program.clone(), vec![]);
    let code = whole.run().unwrap();
    let mut chunked = Executor::new(program, vec![]);
    let mut chunks = 0;
    while chunked.run_for(7).unwrap() == RunStatus::Paused {
        chunks += 1;
    }
    assert_eq!(code, 3000);
    assert_eq!(chunked.exit_code(), Some(code));
    assert_eq!(chunked.cycles(), whole.cycles());
    assert_eq!(chunks, whole.cycles().div_ceil(7) - 1);
}
