//! Random RV32IM programs that end by printing their registers and data memory, so that two
//! implementations can be compared by their output alone.
//!
//! Each generated ELF holds several programs back to back. A program sets x1..x30 to random
//! values biased towards edge cases, runs a random straight-line body (forward branches and
//! jumps only, so it always terminates), then stores x1..x31 after the data area and writes data
//! area + registers to stdout. The ELF ends with an exit. Memory accesses go through x31, which
//! holds the data area's address and is never written. Every call sets both `t0` (this machine)
//! and `a7` (Linux), so the same file runs under `qemu-riscv32`.

use rand::Rng;
use rand::seq::SliceRandom;
use zkvm_core::asm::Assembler;
use zkvm_core::isa::{Opcode, reg};

/// Address of the generated code.
pub const CODE: u32 = 0x10000;
/// Address of the data area.
pub const DATA: u32 = 0x40000;
/// Size of the data area the programs load from and store to.
pub const DATA_SIZE: u32 = 1024;
/// Bytes one program prints: the data area, then x1..x31.
pub const DUMP_SIZE: u32 = DATA_SIZE + 31 * 4;
const BASE_REG: u8 = 31;

const ALU_RR: [Opcode; 18] = [
    Opcode::Add,
    Opcode::Sub,
    Opcode::Xor,
    Opcode::Or,
    Opcode::And,
    Opcode::Slt,
    Opcode::Sltu,
    Opcode::Sll,
    Opcode::Srl,
    Opcode::Sra,
    Opcode::Mul,
    Opcode::Mulh,
    Opcode::Mulhsu,
    Opcode::Mulhu,
    Opcode::Div,
    Opcode::Divu,
    Opcode::Rem,
    Opcode::Remu,
];
const ALU_RI: [Opcode; 6] =
    [Opcode::Addi, Opcode::Xori, Opcode::Ori, Opcode::Andi, Opcode::Slti, Opcode::Sltiu];
const SHIFT_I: [Opcode; 3] = [Opcode::Slli, Opcode::Srli, Opcode::Srai];
const BRANCHES: [Opcode; 6] =
    [Opcode::Beq, Opcode::Bne, Opcode::Blt, Opcode::Bge, Opcode::Bltu, Opcode::Bgeu];
const LOADS: [(Opcode, u32); 5] =
    [(Opcode::Lb, 1), (Opcode::Lbu, 1), (Opcode::Lh, 2), (Opcode::Lhu, 2), (Opcode::Lw, 4)];
const STORES: [(Opcode, u32); 3] = [(Opcode::Sb, 1), (Opcode::Sh, 2), (Opcode::Sw, 4)];

/// A register value, half the time one of the usual edge cases.
pub fn edge_value(rng: &mut impl Rng) -> u32 {
    const EDGES: [u32; 16] = [
        0,
        1,
        2,
        u32::MAX,
        u32::MAX - 1,
        0x8000_0000,
        0x7fff_ffff,
        0x8000_0001,
        0x7f,
        0x80,
        0xff,
        0xffff,
        0x8000,
        31,
        32,
        0xffff_ffe0,
    ];
    match rng.gen_range(0..4) {
        0 | 1 => *EDGES.choose(rng).expect("non-empty"),
        2 => rng.gen_range(0..64),
        _ => rng.r#gen(),
    }
}

fn imm12(rng: &mut impl Rng) -> i32 {
    const EDGES: [i32; 8] = [0, 1, -1, 2047, -2048, 31, -32, 0x7ff & !0xf];
    if rng.gen_bool(0.4) { *EDGES.choose(rng).expect("non-empty") } else { rng.gen_range(-2048..2048) }
}

fn any_reg(rng: &mut impl Rng) -> u8 {
    rng.gen_range(0..32)
}

/// A destination: any register but the data pointer (x0 included, to check it stays zero).
fn dest_reg(rng: &mut impl Rng) -> u8 {
    rng.gen_range(0..BASE_REG)
}

/// Appends one program of `body_len` random instructions plus its initialisation and dump.
pub fn append_program(asm: &mut Assembler, rng: &mut impl Rng, body_len: usize) {
    asm.li(BASE_REG, DATA);
    for r in 1..BASE_REG {
        asm.li(r, edge_value(rng));
    }
    // Word indices that a forward branch or jump lands on: a `jalr` must not be one of them,
    // or it would run without the `auipc` that sets its base.
    let mut targets = std::collections::HashSet::new();
    let mut remaining = body_len;
    while remaining > 0 {
        let here = asm.len();
        // Forward control transfers skip at most to the end of the body.
        let max_skip = remaining.min(4) as i32;
        match rng.gen_range(0..100) {
            0..=29 => {
                asm.r(*ALU_RR.choose(rng).expect("non-empty"), dest_reg(rng), any_reg(rng), any_reg(rng));
            }
            30..=44 => {
                asm.i(*ALU_RI.choose(rng).expect("non-empty"), dest_reg(rng), any_reg(rng), imm12(rng));
            }
            45..=52 => {
                asm.i(
                    *SHIFT_I.choose(rng).expect("non-empty"),
                    dest_reg(rng),
                    any_reg(rng),
                    rng.gen_range(0..32),
                );
            }
            53..=56 => {
                let op = if rng.r#gen() { Opcode::Lui } else { Opcode::Auipc };
                asm.u(op, dest_reg(rng), rng.gen_range(0..1 << 20));
            }
            57..=68 => {
                let (op, width) = *LOADS.choose(rng).expect("non-empty");
                let offset = rng.gen_range(0..DATA_SIZE / width) * width;
                asm.i(op, dest_reg(rng), BASE_REG, offset as i32);
            }
            69..=80 => {
                let (op, width) = *STORES.choose(rng).expect("non-empty");
                let offset = rng.gen_range(0..DATA_SIZE / width) * width;
                asm.s(op, any_reg(rng), BASE_REG, offset as i32);
            }
            81..=90 => {
                let op = *BRANCHES.choose(rng).expect("non-empty");
                let (a, b) = (any_reg(rng), if rng.gen_bool(0.2) { 0 } else { any_reg(rng) });
                let skip = rng.gen_range(1..=max_skip);
                targets.insert(here + skip as usize);
                asm.b(op, a, b, 4 * skip);
            }
            91..=94 => {
                let skip = rng.gen_range(1..=max_skip);
                targets.insert(here + skip as usize);
                asm.jal(dest_reg(rng), 4 * skip);
            }
            95..=97 if remaining >= 2 && !targets.contains(&(here + 1)) => {
                // auipc t, 0; jalr rd, t, off: lands 1..=3 instructions after the jalr.
                let temp = rng.gen_range(1..BASE_REG);
                let after = rng.gen_range(1..=(remaining as i32 - 1).min(3));
                let offset = 4 + 4 * after + rng.gen_range(0..2); // bit 0 is cleared by jalr
                targets.insert(here + 1 + after as usize);
                asm.u(Opcode::Auipc, temp, 0).i(Opcode::Jalr, dest_reg(rng), temp, offset);
                remaining -= 1;
            }
            _ => {
                asm.word(0x0ff0_000f); // fence
            }
        }
        remaining -= 1;
    }
    for r in 1..=BASE_REG {
        asm.s(Opcode::Sw, r, BASE_REG, (DATA_SIZE + 4 * (u32::from(r) - 1)) as i32);
    }
    asm.li(reg::A0, 1).i(Opcode::Addi, reg::A1, BASE_REG, 0).li(reg::A2, DUMP_SIZE).li(reg::A7, 64);
    asm.ecall(zkvm_core::abi::WRITE);
}

/// An ELF of `programs` random programs (bodies of 20 to 150 instructions), then an exit.
pub fn random_elf(rng: &mut impl Rng, programs: usize) -> Vec<u8> {
    let mut asm = Assembler::new(CODE);
    for _ in 0..programs {
        let body = rng.gen_range(20..150);
        append_program(&mut asm, rng, body);
    }
    asm.li(reg::A0, 0).li(reg::A7, 93).halt();
    let data: Vec<u8> = (0..DUMP_SIZE).map(|_| rng.r#gen()).collect();
    asm.data(DATA, data);
    asm.elf()
}
