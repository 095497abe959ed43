//! Every way a program can fail gives its typed error, with the state left at the fault.

use std::io::Write;

use zkvm_core::asm::Assembler;
use zkvm_core::executor::Sink;
use zkvm_core::isa::{Opcode, UNIMP_WORD, reg};
use zkvm_core::{ExecError, Executor, abi};

const BASE: u32 = 0x10000;
const DATA: u32 = 0x20000;

/// Runs a program of `prefix` then `body`; returns the error, the pc of the first body
/// instruction, and the executor.
fn fail(body: impl FnOnce(&mut Assembler)) -> (ExecError, u32, Executor) {
    let mut asm = Assembler::new(BASE);
    asm.li(1, DATA).li(2, 0x55);
    let body_pc = asm.pc();
    body(&mut asm);
    asm.data(DATA, vec![0; 64]);
    let mut executor = Executor::new(asm.program().into(), vec![]).with_max_cycles(10_000);
    let error = executor.run().expect_err("the program must fail");
    (error, body_pc, executor)
}

#[test]
fn illegal_csr_unimp_and_ebreak() {
    let (e, pc, _) = fail(|a| {
        a.word(0xffff_ffff);
    });
    assert_eq!(e, ExecError::IllegalInstruction { pc, word: 0xffff_ffff });
    let (e, pc, _) = fail(|a| {
        a.word(0xc000_2573);
    });
    assert_eq!(e, ExecError::CsrInstruction { pc, word: 0xc000_2573 });
    let (e, pc, _) = fail(|a| {
        a.word(UNIMP_WORD);
    });
    assert_eq!(e, ExecError::Unimp { pc });
    let (e, pc, _) = fail(|a| {
        a.word(0x0010_0073);
    });
    assert_eq!(e, ExecError::Breakpoint { pc });
    assert!(e.to_string().contains("ebreak at pc 0x00010008"), "{e}");
}

#[test]
fn misaligned_loads_and_stores() {
    let (e, pc, _) = fail(|a| {
        a.i(Opcode::Lw, 3, 1, 2);
    });
    assert_eq!(e, ExecError::MisalignedLoad { pc, addr: DATA + 2, width: 4 });
    let (e, pc, _) = fail(|a| {
        a.i(Opcode::Lhu, 3, 1, 3);
    });
    assert_eq!(e, ExecError::MisalignedLoad { pc, addr: DATA + 3, width: 2 });
    let (e, pc, _) = fail(|a| {
        a.s(Opcode::Sh, 2, 1, 1);
    });
    assert_eq!(e, ExecError::MisalignedStore { pc, addr: DATA + 1, width: 2 });
    let (e, pc, executor) = fail(|a| {
        a.s(Opcode::Sw, 2, 1, 6);
    });
    assert_eq!(e, ExecError::MisalignedStore { pc, addr: DATA + 6, width: 4 });
    // The faulting store changed nothing and the state stands at it.
    assert_eq!(executor.memory().load_word(DATA + 4), 0);
    assert_eq!(executor.state().pc, pc);
}

#[test]
fn misaligned_jumps_and_taken_branches() {
    let (e, pc, _) = fail(|a| {
        a.jal(0, 6);
    });
    assert_eq!(e, ExecError::MisalignedJump { pc, target: pc + 6 });
    let (e, pc, _) = fail(|a| {
        a.i(Opcode::Jalr, 0, 1, 2);
    });
    assert_eq!(e, ExecError::MisalignedJump { pc, target: DATA + 2 });
    let (e, pc, executor) = fail(|a| {
        a.b(Opcode::Bne, 1, 2, 10).li(3, 7).b(Opcode::Beq, 1, 2, 6).i(Opcode::Addi, 3, 0, 9).word(0);
    });
    // The untaken branch with a misaligned offset is fine; the taken one is not.
    assert_eq!(e, ExecError::MisalignedJump { pc, target: pc + 10 });
    assert_eq!(executor.state().regs[3], 0);
}

#[test]
fn fetch_outside_code() {
    let (e, pc, _) = fail(|a| {
        a.jal(0, 0x1000);
    });
    assert_eq!(e, ExecError::FetchOutsideCode { pc: pc + 0x1000 });
    // Falling off the end of the code.
    let (e, pc, _) = fail(|a| {
        a.i(Opcode::Addi, 3, 0, 1);
    });
    assert_eq!(e, ExecError::FetchOutsideCode { pc: pc + 4 });
    // Jumping into a data segment.
    let (e, _, _) = fail(|a| {
        a.i(Opcode::Jalr, 0, 1, 0);
    });
    assert_eq!(e, ExecError::FetchOutsideCode { pc: DATA });
}

#[test]
fn cycle_limit_stops_exactly_at_the_limit() {
    let (e, pc, executor) = fail(|a| {
        a.jal(0, 0);
    });
    assert_eq!(e, ExecError::CycleLimit { limit: 10_000, pc });
    assert_eq!(executor.cycles(), 10_000);
}

#[test]
fn unknown_ecalls_bad_descriptors_wild_buffers_and_bad_io() {
    let (e, _, _) = fail(|a| {
        a.ecall(99);
    });
    assert!(matches!(e, ExecError::UnknownEcall { number: 99, .. }), "{e:?}");
    let (e, _, _) = fail(|a| {
        a.li(reg::A0, 7).li(reg::A1, DATA).li(reg::A2, 1).ecall(abi::WRITE);
    });
    assert!(matches!(e, ExecError::BadFileDescriptor { fd: 7, .. }), "{e:?}");
    let (e, _, _) = fail(|a| {
        a.li(reg::A0, 1).li(reg::A1, 0xffff_ff00).li(reg::A2, 0x1000).ecall(abi::WRITE);
    });
    assert!(matches!(e, ExecError::BufferOutOfRange { ptr: 0xffff_ff00, len: 0x1000, .. }), "{e:?}");
    // One WRITE may show at most 1 MiB (found by the ELF fuzzer: a 4 GiB write made the host
    // copy the address space).
    let (e, _, _) = fail(|a| {
        a.li(reg::A0, 1).li(reg::A1, 0).li(reg::A2, abi::MAX_WRITE_BYTES + 1).ecall(abi::WRITE);
    });
    assert!(matches!(e, ExecError::WriteTooLong { len, .. } if len == abi::MAX_WRITE_BYTES + 1), "{e:?}");
    // Captured output stops at 64 MiB: 65 writes of 1 MiB overflow it.
    let (e, _, _) = fail(|a| {
        a.li(reg::A0, 1).li(reg::A1, 0).li(reg::A2, abi::MAX_WRITE_BYTES).li(6, 65);
        let start = a.pc();
        a.ecall(abi::WRITE).i(Opcode::Addi, 6, 6, -1);
        let offset = start as i32 - a.pc() as i32;
        a.b(Opcode::Bne, 6, 0, offset);
    });
    assert!(matches!(e, ExecError::HostOutput(_)), "{e:?}");
    // The input given by `fail` is empty: the first READ_WORD is past its end.
    let (e, _, _) = fail(|a| {
        a.ecall(abi::READ_WORD);
    });
    assert!(matches!(e, ExecError::InputExhausted { length: 0, .. }), "{e:?}");
    let (e, _, _) = fail(|a| {
        a.li(reg::A0, 256).ecall(abi::COMMIT);
    });
    assert!(matches!(e, ExecError::NotAByte { value: 256, .. }), "{e:?}");
}

struct Broken;
impl Write for Broken {
    fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
        Err(std::io::Error::new(std::io::ErrorKind::BrokenPipe, "pipe closed"))
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn host_output_failure_is_an_error_not_a_panic() {
    let mut asm = Assembler::new(BASE);
    asm.li(reg::A0, 1).li(reg::A1, BASE).li(reg::A2, 4).ecall(abi::WRITE).halt();
    let mut executor = Executor::new(asm.program().into(), vec![]);
    executor.io.stdout = Sink::Stream(Box::new(Broken));
    assert!(matches!(executor.run(), Err(ExecError::HostOutput(m)) if m.contains("pipe closed")));
}
