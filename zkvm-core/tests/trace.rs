//! The tracing path: segments replay exactly what the fast path executes.

use std::collections::HashMap;
use std::sync::Arc;

use zkvm_core::asm::Assembler;
use zkvm_core::isa::{Opcode, reg};
use zkvm_core::{Executor, Program, SegmentTrace, Tracer, abi};

const BASE: u32 = 0x10000;
const BUF: u32 = 0x40000;

/// Emits `bne rs1, x0, target`: the backward branch that closes a loop starting at `target`.
fn loop_back(asm: &mut Assembler, rs1: u8, target: u32) {
    let offset = target as i32 - asm.pc() as i32;
    asm.b(Opcode::Bne, rs1, 0, offset);
}

/// A program that reads its input word by word, sums it with byte loads into a word store,
/// writes part of it to stdout and commits it as public output, and loops long enough to span
/// many segments.
fn program() -> Arc<Program> {
    let mut asm = Assembler::new(BASE);
    // x9 = input length, x8 = its words; store each word read at BUF, BUF+4, ...
    asm.ecall(abi::INPUT_LENGTH).i(Opcode::Addi, 9, reg::A0, 0);
    asm.i(Opcode::Addi, 8, 9, 3).i(Opcode::Srli, 8, 8, 2).li(1, BUF);
    let read = asm.pc();
    asm.ecall(abi::READ_WORD).s(Opcode::Sw, reg::A0, 1, 0).i(Opcode::Addi, 1, 1, 4);
    asm.i(Opcode::Addi, 8, 8, -1);
    loop_back(&mut asm, 8, read);
    asm.li(1, BUF).li(3, 0);
    // loop: x3 += lbu(x1); sb x3 -> 0x100(x1); x1++; x9--; bnez x9
    asm.i(Opcode::Lbu, 4, 1, 0).r(Opcode::Add, 3, 3, 4).s(Opcode::Sb, 3, 1, 0x100);
    asm.i(Opcode::Addi, 1, 1, 1).i(Opcode::Addi, 9, 9, -1).b(Opcode::Bne, 9, 0, -20);
    asm.li(6, BUF + 0x200).s(Opcode::Sw, 3, 6, 0);
    asm.li(reg::A0, abi::FD_STDOUT).li(reg::A1, BUF + 0x102).li(reg::A2, 13).ecall(abi::WRITE);
    // Commit the same 13 bytes.
    asm.li(1, BUF + 0x102).li(9, 13);
    let commit = asm.pc();
    asm.i(Opcode::Lbu, reg::A0, 1, 0).ecall(abi::COMMIT).i(Opcode::Addi, 1, 1, 1);
    asm.i(Opcode::Addi, 9, 9, -1);
    loop_back(&mut asm, 9, commit);
    asm.r(Opcode::Mulhu, 11, 3, 3).r(Opcode::Divu, 12, 11, 3);
    asm.li(reg::A0, 0).halt();
    Arc::new(asm.program())
}

/// Checks the invariants the memory argument and the chips rely on, across all segments:
/// registers and memory replay from the events, and each segment starts where the last ended.
fn check_segments(program: &Program, segments: &[SegmentTrace]) {
    let mut regs = [0u32; 32];
    let mut pc = program.entry;
    let mut memory: HashMap<u32, u32> = HashMap::new();
    let initial = zkvm_core::Memory::from_program(program);
    let mut cycle = 0u64;
    for (k, segment) in segments.iter().enumerate() {
        assert_eq!(segment.index, k);
        assert_eq!(segment.start_cycle, cycle);
        assert_eq!(segment.start.pc, pc, "segment {k} starts where the last ended");
        assert_eq!(segment.start.regs, regs);
        for &(address, value) in &segment.memory_before {
            let expected = memory.get(&address).copied().unwrap_or_else(|| initial.load_word(address));
            assert_eq!(value, expected, "segment {k}: initial value of {address:#x}");
        }
        let mut local: HashMap<u32, u32> = segment.memory_before.iter().copied().collect();
        let mut next_access = 0;
        for event in &segment.cycles {
            let step = &event.step;
            assert_eq!(step.pc, pc);
            assert_eq!(step.instruction, zkvm_core::isa::decode(step.word).unwrap());
            assert_eq!(step.rs1_value, regs[usize::from(step.instruction.rs1)]);
            assert_eq!(step.rs2_value, regs[usize::from(step.instruction.rs2)]);
            assert_eq!(event.first_access as usize, next_access, "accesses are consecutive");
            for access in &segment.accesses[event.accesses()] {
                assert_eq!(access.address % 4, 0);
                assert_eq!(local[&access.address], access.before, "value read = value last written");
                local.insert(access.address, access.after);
            }
            next_access = event.accesses().end;
            if step.instruction.opcode == Opcode::Ecall {
                let call =
                    &segment.ecalls.iter().find(|e| segment.cycles[e.cycle as usize] == *event).unwrap();
                if call.record.call != abi::HALT {
                    regs[usize::from(reg::A0)] = call.record.result;
                }
            } else {
                regs[usize::from(step.instruction.rd)] = step.rd_value;
            }
            regs[0] = 0;
            pc = step.next_pc;
            cycle += 1;
        }
        assert_eq!(next_access, segment.accesses.len());
        assert_eq!(segment.end.regs, regs);
        for &(address, value) in &segment.memory_after {
            assert_eq!(local[&address], value, "final value of {address:#x}");
        }
        memory.extend(segment.memory_after.iter().copied());
        if k + 1 < segments.len() {
            assert_eq!(segment.exit_code, None);
        }
    }
}

#[test]
fn segments_replay_the_fast_path() {
    let program = program();
    let input = b"the quick brown fox".to_vec();
    let mut fast = Executor::new(program.clone(), input.clone());
    let exit = fast.run().unwrap();
    for segment_cycles in [1, 7, 64, 1 << 20] {
        let mut tracer = Tracer::new(Executor::new(program.clone(), input.clone()), segment_cycles);
        let segments: Vec<SegmentTrace> = tracer.by_ref().map(Result::unwrap).collect();
        assert_eq!(segments.len() as u64, fast.cycles().div_ceil(segment_cycles));
        assert!(segments.iter().all(|s| s.cycles.len() as u64 <= segment_cycles));
        check_segments(&program, &segments);
        let last = segments.last().unwrap();
        assert_eq!(last.exit_code, Some(exit));
        assert_eq!(last.end, *fast.state());
        let executor = tracer.into_executor();
        assert_eq!(executor.io.public_output, fast.io.public_output);
        assert_eq!(executor.io.stdout.captured(), fast.io.stdout.captured());
        let read: usize = segments.iter().map(|s| s.input.len()).sum();
        assert_eq!(read, input.len());
        let written: usize = segments.iter().map(|s| s.public_output.len()).sum();
        assert_eq!(written, 13);
    }
}

#[test]
fn ecalls_record_their_call_and_result_and_touch_no_memory() {
    let program = program();
    let mut tracer = Tracer::new(Executor::new(program, b"0123456789".to_vec()), 1 << 20);
    let segment = tracer.next_segment().unwrap().unwrap();
    let calls: Vec<u32> = segment.ecalls.iter().map(|e| e.record.call).collect();
    let mut expected = vec![abi::INPUT_LENGTH, abi::READ_WORD, abi::READ_WORD, abi::READ_WORD, abi::WRITE];
    expected.extend([abi::COMMIT; 13]);
    expected.push(abi::HALT);
    assert_eq!(calls, expected);
    assert_eq!(segment.ecalls[0].record.result, 10);
    assert_eq!(segment.ecalls[3].record.result, u32::from_le_bytes(*b"89\0\0"));
    for call in &segment.ecalls {
        assert!(segment.cycles[call.cycle as usize].accesses().is_empty(), "{:?}", call.record);
    }
    assert!(tracer.next_segment().unwrap().is_none(), "one segment holds the whole run");
}

#[test]
fn a_fault_in_a_later_segment_is_reported() {
    let mut asm = Assembler::new(BASE);
    asm.li(1, 100).i(Opcode::Addi, 1, 1, -1).b(Opcode::Bne, 1, 0, -4).word(0);
    let mut tracer = Tracer::new(Executor::new(asm.program().into(), vec![]), 50);
    let mut completed = 0;
    let error = loop {
        match tracer.next_segment() {
            Ok(Some(_)) => completed += 1,
            Ok(None) => panic!("the program cannot halt"),
            Err(error) => break error,
        }
    };
    assert_eq!(completed, 4); // 201 cycles of loop: segments 0..3 complete, segment 4 faults
    assert_eq!(error, zkvm_core::ExecError::IllegalInstruction { pc: BASE + 12, word: 0 });
}
