//! RV32IM semantics, one instruction at a time, on edge-case operands. Expected values are
//! written out from the RISC-V specification, not computed by the code under test.

use zkvm_core::asm::Assembler;
use zkvm_core::isa::{Opcode, reg};
use zkvm_core::{Executor, RegisterState};

const BASE: u32 = 0x10000;
const DATA: u32 = 0x2_0000;
const MIN: u32 = 0x8000_0000;
const MAX: u32 = 0x7fff_ffff;
const NEG1: u32 = u32::MAX;

/// Runs `body` (after x1 = a, x2 = b) and halts; returns the final registers. The halt sequence
/// overwrites t0 (x5) and a0 (x10): bodies leave their results elsewhere.
fn run(a: u32, b: u32, body: impl FnOnce(&mut Assembler)) -> RegisterState {
    let mut asm = Assembler::new(BASE);
    asm.li(1, a).li(2, b);
    body(&mut asm);
    asm.li(reg::A0, 0).halt();
    asm.data(DATA, (0u8..16).map(|i| 0xf0 | i).collect());
    let mut executor = Executor::new(asm.program().into(), vec![]);
    assert_eq!(executor.run(), Ok(0));
    *executor.state()
}

fn rr(op: Opcode, a: u32, b: u32) -> u32 {
    run(a, b, |asm| {
        asm.r(op, 3, 1, 2);
    })
    .regs[3]
}

fn ri(op: Opcode, a: u32, imm: i32) -> u32 {
    run(a, 0, |asm| {
        asm.i(op, 3, 1, imm);
    })
    .regs[3]
}

#[test]
fn add_sub_wrap_around() {
    assert_eq!(rr(Opcode::Add, MAX, 1), MIN);
    assert_eq!(rr(Opcode::Add, NEG1, 1), 0);
    assert_eq!(rr(Opcode::Sub, 0, 1), NEG1);
    assert_eq!(rr(Opcode::Sub, MIN, 1), MAX);
    assert_eq!(ri(Opcode::Addi, 5, -6), NEG1);
    assert_eq!(ri(Opcode::Addi, 0, 2047), 2047);
    assert_eq!(ri(Opcode::Addi, 0, -2048), 0xffff_f800);
}

#[test]
fn logic_ops_use_sign_extended_immediates() {
    assert_eq!(rr(Opcode::Xor, 0xff00_ff00, 0x0ff0_0ff0), 0xf0f0_f0f0);
    assert_eq!(rr(Opcode::Or, 0xff00_0000, 0x0000_00ff), 0xff00_00ff);
    assert_eq!(rr(Opcode::And, 0xff00_ff00, 0x0ff0_0ff0), 0x0f00_0f00);
    assert_eq!(ri(Opcode::Xori, 0x1234_5678, -1), 0xedcb_a987);
    assert_eq!(ri(Opcode::Ori, 0, -2048), 0xffff_f800);
    assert_eq!(ri(Opcode::Andi, 0xffff_ffff, 0x7ff), 0x7ff);
}

#[test]
fn comparisons_distinguish_signed_and_unsigned() {
    assert_eq!(rr(Opcode::Slt, NEG1, 0), 1);
    assert_eq!(rr(Opcode::Sltu, NEG1, 0), 0);
    assert_eq!(rr(Opcode::Slt, MIN, MAX), 1);
    assert_eq!(rr(Opcode::Sltu, MIN, MAX), 0);
    assert_eq!(rr(Opcode::Slt, 5, 5), 0);
    assert_eq!(ri(Opcode::Slti, NEG1, 0), 1);
    // sltiu compares against the sign-extended immediate as unsigned: x < 0xffffffff.
    assert_eq!(ri(Opcode::Sltiu, 5, -1), 1);
    assert_eq!(ri(Opcode::Sltiu, NEG1, -1), 0);
    assert_eq!(ri(Opcode::Sltiu, 0, 1), 1); // seqz
}

#[test]
fn shifts_use_the_low_five_bits_of_the_amount() {
    assert_eq!(rr(Opcode::Sll, 1, 33), 2);
    assert_eq!(rr(Opcode::Sll, 1, 31), MIN);
    assert_eq!(rr(Opcode::Srl, MIN, 32), MIN);
    assert_eq!(rr(Opcode::Srl, MIN, 31), 1);
    assert_eq!(rr(Opcode::Sra, MIN, 31), NEG1);
    assert_eq!(rr(Opcode::Sra, MIN, 0xffff_ffe4), 0xf800_0000); // amount 4
    assert_eq!(ri(Opcode::Slli, 3, 30), 0xc000_0000);
    assert_eq!(ri(Opcode::Srli, NEG1, 28), 0xf);
    assert_eq!(ri(Opcode::Srai, 0x8000_0f00, 8), 0xff80_000f);
}

#[test]
fn multiplication_high_words() {
    assert_eq!(rr(Opcode::Mul, 0x1234_5678, 0x9abc_def0), 0x242d_2080);
    assert_eq!(rr(Opcode::Mul, MIN, NEG1), MIN);
    assert_eq!(rr(Opcode::Mulh, NEG1, NEG1), 0); // (-1)(-1) = 1
    assert_eq!(rr(Opcode::Mulh, MIN, MIN), 0x4000_0000); // 2^62
    assert_eq!(rr(Opcode::Mulh, MIN, MAX), 0xc000_0000); // -2^62 + 2^31
    assert_eq!(rr(Opcode::Mulhu, NEG1, NEG1), 0xffff_fffe);
    assert_eq!(rr(Opcode::Mulhsu, NEG1, NEG1), NEG1); // -1 * (2^32 - 1)
    assert_eq!(rr(Opcode::Mulhsu, MIN, NEG1), 0x8000_0000); // -2^31 * (2^32 - 1)
    assert_eq!(rr(Opcode::Mulhsu, 2, NEG1), 1);
}

#[test]
fn division_by_zero_and_overflow_follow_the_specification() {
    assert_eq!(rr(Opcode::Div, 7, 0), NEG1);
    assert_eq!(rr(Opcode::Divu, 7, 0), NEG1);
    assert_eq!(rr(Opcode::Rem, 7, 0), 7);
    assert_eq!(rr(Opcode::Remu, 7, 0), 7);
    assert_eq!(rr(Opcode::Div, MIN, NEG1), MIN);
    assert_eq!(rr(Opcode::Rem, MIN, NEG1), 0);
    assert_eq!(rr(Opcode::Div, (-7i32) as u32, 2), (-3i32) as u32); // rounds toward zero
    assert_eq!(rr(Opcode::Rem, (-7i32) as u32, 2), NEG1); // sign of the dividend
    assert_eq!(rr(Opcode::Rem, 7, (-2i32) as u32), 1);
    assert_eq!(rr(Opcode::Divu, NEG1, 2), MAX);
    assert_eq!(rr(Opcode::Remu, NEG1, 10), 5);
}

#[test]
fn x0_is_hard_wired_to_zero() {
    let state = run(5, 6, |asm| {
        asm.r(Opcode::Add, 0, 1, 2).i(Opcode::Addi, 3, 0, 0).u(Opcode::Lui, 0, 0xfffff);
        asm.i(Opcode::Lw, 0, 0, 0); // loads into x0 are discarded too (address 0 reads 0)
        asm.jal(0, 4);
    });
    assert_eq!(state.regs[0], 0);
    assert_eq!(state.regs[3], 0);
}

#[test]
fn loads_sign_and_zero_extend() {
    // DATA holds bytes f0 f1 f2 ... ff.
    let state = run(DATA, 0, |asm| {
        asm.i(Opcode::Lb, 3, 1, 1).i(Opcode::Lbu, 4, 1, 1).i(Opcode::Lh, 6, 1, 2).i(Opcode::Lhu, 7, 1, 2);
        asm.i(Opcode::Lw, 8, 1, 4);
        asm.i(Opcode::Lb, 9, 1, 0x40); // beyond the segment's file bytes: zero
    });
    assert_eq!(state.regs[3], 0xffff_fff1);
    assert_eq!(state.regs[4], 0xf1);
    assert_eq!(state.regs[6], 0xffff_f3f2);
    assert_eq!(state.regs[7], 0xf3f2);
    assert_eq!(state.regs[8], 0xf7f6_f5f4);
    assert_eq!(state.regs[9], 0);
}

#[test]
fn stores_write_only_their_width() {
    let state = run(DATA, 0x1234_5678, |asm| {
        asm.s(Opcode::Sb, 2, 1, 1).s(Opcode::Sh, 2, 1, 6).s(Opcode::Sw, 2, 1, 8);
        asm.i(Opcode::Lw, 3, 1, 0).i(Opcode::Lw, 4, 1, 4).i(Opcode::Lw, 6, 1, 8);
        asm.s(Opcode::Sw, 2, 1, -4).i(Opcode::Lw, 7, 1, -4); // negative offset
    });
    assert_eq!(state.regs[3], 0xf3f2_78f0);
    assert_eq!(state.regs[4], 0x5678_f5f4);
    assert_eq!(state.regs[6], 0x1234_5678);
    assert_eq!(state.regs[7], 0x1234_5678);
}

#[test]
fn branches_compare_signed_and_unsigned() {
    // For each branch: x3 = 1 if taken (skips `addi x3, x0, 2`), else 2.
    let cases = [
        (Opcode::Beq, 5, 5, true),
        (Opcode::Beq, 5, 6, false),
        (Opcode::Bne, 5, 6, true),
        (Opcode::Blt, NEG1, 0, true),
        (Opcode::Bltu, NEG1, 0, false),
        (Opcode::Bge, 0, NEG1, true),
        (Opcode::Bge, 3, 3, true),
        (Opcode::Bgeu, 0, NEG1, false),
        (Opcode::Bgeu, NEG1, NEG1, true),
    ];
    for (op, a, b, taken) in cases {
        let state = run(a, b, |asm| {
            asm.i(Opcode::Addi, 3, 0, 1).b(op, 1, 2, 8).i(Opcode::Addi, 3, 0, 2);
        });
        assert_eq!(state.regs[3], if taken { 1 } else { 2 }, "{op:?} {a:#x} {b:#x}");
    }
    // A backward branch: count down from 3.
    let state = run(3, 0, |asm| {
        asm.i(Opcode::Addi, 4, 4, 1).i(Opcode::Addi, 1, 1, -1).b(Opcode::Bne, 1, 0, -8);
    });
    assert_eq!(state.regs[4], 3);
}

#[test]
fn jumps_link_and_jalr_clears_bit_zero() {
    let state = run(0, 0, |asm| {
        let start = asm.pc();
        asm.jal(4, 8).i(Opcode::Addi, 3, 0, 1); // the addi is skipped
        assert_eq!(asm.pc(), start + 8);
        asm.u(Opcode::Auipc, 6, 0); // x6 = pc of this auipc
        asm.i(Opcode::Jalr, 7, 6, 13); // target = x6 + 13 with bit 0 cleared = x6 + 12
        asm.i(Opcode::Addi, 3, 3, 2); // skipped
        asm.i(Opcode::Addi, 3, 3, 4); // the jalr lands here
    });
    let jal_pc = BASE + 8; // after `li x1, 0` and `li x2, 0`
    let auipc_pc = jal_pc + 8;
    assert_eq!(state.regs[4], jal_pc + 4);
    assert_eq!(state.regs[6], auipc_pc);
    assert_eq!(state.regs[7], auipc_pc + 8);
    assert_eq!(state.regs[3], 4);
}

#[test]
fn lui_auipc_and_fence() {
    let state = run(0, 0, |asm| {
        asm.u(Opcode::Lui, 3, 0xabcde).u(Opcode::Auipc, 4, 0xfffff);
        asm.word(0x0ff0_000f); // fence: no effect
    });
    assert_eq!(state.regs[3], 0xabcd_e000);
    assert_eq!(state.regs[4], (BASE + 12).wrapping_add(0xffff_f000));
}
