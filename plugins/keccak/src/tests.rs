//! The Keccak precompile: its function is Keccak-f, a program calling it proves and verifies,
//! and tampering with its frame, its rounds or its block structure is rejected.

use std::sync::Arc;

use zkvm_core::Executor;
use zkvm_core::asm::Assembler;
use zkvm_core::isa::{Opcode, reg};
use zkvm_core::precompile::PrecompileSet;
use zkvm_core::prover::testing::{assert_tampers_rejected, run_segment};
use zkvm_core::prover::{MachineAir, ProofParameters, StatementTables, prove_segment, verify_segment};

use super::*;

const DATA: u32 = 0x20000;

fn precompiles() -> Arc<PrecompileSet> {
    Arc::new(PrecompileSet::new().with(DEFAULT_ECALL, Arc::new(KeccakF)).unwrap())
}

#[test]
fn the_function_is_keccak_f() {
    // Keccak-f[1600] of the zero state (the reference's first lane).
    let output = KeccakF.compute(&[0; STATE_WORDS]).unwrap();
    assert_eq!(u64::from(output[0]) | (u64::from(output[1]) << 32), 0xf125_8f79_40e1_dde7);
    let input: Vec<u32> = (0..STATE_WORDS as u32).map(|i| i.wrapping_mul(0x9e37_79b9)).collect();
    let mut state = lanes(&input);
    tiny_keccak::keccakf(&mut state);
    assert_eq!(lanes(&KeccakF.compute(&input).unwrap()), state);
}

/// Permutes a state twice in place, then exits with the xor of its first and last words.
fn keccak_program() -> zkvm_core::Program {
    let mut asm = Assembler::new(0x10000);
    asm.data(DATA, (0..200u32).map(|i| (i * 7 + 3) as u8).collect());
    asm.li(reg::A0, DATA).ecall(DEFAULT_ECALL).ecall(DEFAULT_ECALL);
    asm.i(Opcode::Lw, 11, reg::A0, 0).i(Opcode::Lw, 12, reg::A0, 196);
    asm.r(Opcode::Xor, reg::A0, 11, 12).halt();
    asm.program()
}

fn run() -> (StatementTables, zkvm_core::SegmentTrace, zkvm_memory::merkle::TreeUpdate) {
    run_segment(&keccak_program(), &[], &precompiles())
}

#[test]
fn a_program_calling_keccak_proves_and_verifies() {
    let program = keccak_program();
    let mut executor = Executor::new(program.into(), vec![]).with_precompiles(precompiles());
    let exit = executor.run().unwrap();
    let input: Vec<u32> = (0..50u32)
        .map(|w| u32::from_le_bytes(std::array::from_fn(|b| ((4 * w + b as u32) * 7 + 3) as u8)))
        .collect();
    let twice = KeccakF.compute(&KeccakF.compute(&input).unwrap()).unwrap();
    assert_eq!(exit, twice[0] ^ twice[49]);

    let (tables, segment, memory) = run();
    let (proof, public) = prove_segment(&tables, &segment, &memory, &ProofParameters::TESTING).unwrap();
    assert_eq!(verify_segment(&tables, &proof, &public, &ProofParameters::TESTING), Ok(()));
}

#[test]
fn tampering_with_the_keccak_chip_is_rejected() {
    let run = run();
    let table = MachineAir::chips(&run.0).len() - 1;
    let names = run.0.precompile_chips[0].column_names();
    // Calls start at rows 0 and 24; rows 48.. are padding (64 rows in all).
    let cases: [(usize, &str); 12] = [
        (0, "output[0][0]"),
        (24, "output[49][3]"),
        (0, "input[7][1]"),
        (23, "output[3][2]"),
        (5, "a_prime[1][2][33]"),
        (30, "c[4][63]"),
        (47, "a_prime_prime_prime_0_0_limbs[2]"),
        (12, "step_flags[12]"),
        (1, "is_real"),
        (10, "in_call"),
        (63, "in_call"),
        (50, "preimage[0][0][0]"),
    ];
    assert_tampers_rejected(&run, table, &names, &cases);
}
