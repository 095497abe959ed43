//! The guest ABI: HALT, WRITE, READ_WORD, INPUT_LENGTH and COMMIT as documented in `zkvm_core::abi`.

use zkvm_core::asm::Assembler;
use zkvm_core::isa::{Opcode, reg};
use zkvm_core::{Executor, RunStatus, abi};

const BASE: u32 = 0x10000;
const BUF: u32 = 0x30000;

#[test]
fn write_goes_to_the_right_stream_and_leaves_a0() {
    let mut asm = Assembler::new(BASE);
    for (fd, text) in [(1, &b"out"[..]), (2, b"err"), (1, b"!")] {
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
    assert!(executor.io.public_output.is_empty());
    assert_eq!(executor.state().regs[21], 1); // a0 after the last WRITE to fd 1: the fd
    assert_eq!(executor.state().regs[22], 2);
    assert_eq!(executor.exit_code(), Some(0x1234));
}

#[test]
fn commit_appends_bytes_to_the_public_output() {
    let mut asm = Assembler::new(BASE);
    for byte in [0x70, 0x75, 0x62, 0xff] {
        asm.li(reg::A0, byte).ecall(abi::COMMIT);
    }
    asm.i(Opcode::Addi, 20, reg::A0, 0).li(reg::A0, 0).halt();
    let mut executor = Executor::new(asm.program().into(), vec![]);
    assert_eq!(executor.run(), Ok(0));
    assert_eq!(executor.io.public_output, b"pub\xff");
    assert_eq!(executor.state().regs[20], 0xff, "COMMIT leaves a0 as it was");
}

#[test]
fn read_word_returns_input_words_zero_padded_and_input_length_the_length() {
    let mut asm = Assembler::new(BASE);
    asm.ecall(abi::INPUT_LENGTH).i(Opcode::Addi, 19, reg::A0, 0);
    for i in 0..2u8 {
        asm.ecall(abi::READ_WORD).i(Opcode::Addi, 20 + i, reg::A0, 0);
    }
    asm.li(reg::A0, 0).halt();
    let mut executor = Executor::new(asm.program().into(), b"abcdef".to_vec());
    assert_eq!(executor.run(), Ok(0));
    assert_eq!(executor.state().regs[19], 6);
    assert_eq!(executor.state().regs[20], u32::from_le_bytes(*b"abcd"));
    assert_eq!(executor.state().regs[21], u32::from_le_bytes(*b"ef\0\0"));
    assert_eq!(executor.io.input_position, 8);
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
