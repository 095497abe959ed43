//! The SHA-256 precompile: its function is SHA-256's compression, its trace satisfies its
//! constraints row by row, a program calling it proves and verifies, and tampering with its
//! frame, rounds, schedule or carries is rejected.

use std::sync::Arc;

use p3_field::PrimeCharacteristicRing;
use sha2::{Digest, Sha256};
use zkvm_core::Executor;
use zkvm_core::asm::Assembler;
use zkvm_core::isa::{Opcode, reg};
use zkvm_core::precompile::{
    PrecompileCall, PrecompileChip, PrecompileSet, Scope, evaluate_rows, precompile_trace,
};
use zkvm_core::prover::testing::{assert_tampers_rejected, run_segment};
use zkvm_core::prover::{MachineAir, ProofParameters, StatementTables, Val, prove_segment, verify_segment};

use super::*;

const IV: [u32; 8] =
    [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
const DATA: u32 = 0x20000;

/// The padded one-block message "abc" as big-endian words.
fn abc_block() -> [u32; 16] {
    let mut block = [0u32; 16];
    block[0] = 0x6162_6380;
    block[15] = 24;
    block
}

#[test]
fn the_function_is_sha256_compression() {
    let mut input = IV.to_vec();
    input.extend(abc_block());
    let output = compress(&input);
    let digest: Vec<u8> = output[..8].iter().flat_map(|w| w.to_be_bytes()).collect();
    assert_eq!(digest, Sha256::digest(b"abc").to_vec());
    assert_eq!(&output[8..], &input[8..]);
}

#[test]
fn every_row_of_a_trace_satisfies_the_constraints() {
    let chip = PrecompileChip::new(DEFAULT_ECALL, Arc::new(Sha256Compress)).unwrap();
    let mut input = IV.to_vec();
    input.extend(abc_block());
    let output = compress(&input);
    let call = PrecompileCall {
        clk: 0,
        pc: 0,
        pointer: 0,
        input: input.clone(),
        output,
        accesses: vec![Default::default(); WORDS],
    };
    // Two calls and padding: 256 rows.
    let trace = precompile_trace(&chip, &[call.clone(), call], 0).unwrap();
    let width = trace.width;
    let height = trace.values.len() / width;
    for row in 0..height {
        let local = &trace.values[row * width..(row + 1) * width];
        let next_row = (row + 1) % height;
        let next = &trace.values[next_row * width..(next_row + 1) * width];
        for (index, (scope, value)) in
            evaluate_rows(&chip.constraints, local, next, row == 0, row == height - 1).into_iter().enumerate()
        {
            let applies = match scope {
                Scope::EveryRow => true,
                Scope::Transition => row != height - 1,
                Scope::FirstRow => row == 0,
                Scope::LastRow => row == height - 1,
            };
            assert!(!applies || value == Val::ZERO, "row {row}: constraint {index} ({scope:?}) is {value}");
        }
    }
}

fn precompiles() -> Arc<PrecompileSet> {
    Arc::new(PrecompileSet::new().with(DEFAULT_ECALL, Arc::new(Sha256Compress)).unwrap())
}

/// Compresses the "abc" block into the IV twice, then exits with the first state word.
fn sha_program() -> zkvm_core::Program {
    let mut asm = Assembler::new(0x10000);
    let words: Vec<u32> = IV.iter().copied().chain(abc_block()).collect();
    asm.data(DATA, words.iter().flat_map(|w| w.to_le_bytes()).collect());
    asm.li(reg::A0, DATA).ecall(DEFAULT_ECALL).ecall(DEFAULT_ECALL);
    asm.i(Opcode::Lw, reg::A0, reg::A0, 0).halt();
    asm.program()
}

fn run() -> (StatementTables, zkvm_core::SegmentTrace, zkvm_memory::merkle::TreeUpdate) {
    run_segment(&sha_program(), &[], &precompiles())
}

#[test]
fn a_program_calling_the_compression_proves_and_verifies() {
    let mut executor = Executor::new(sha_program().into(), vec![]).with_precompiles(precompiles());
    let exit = executor.run().unwrap();
    let mut input = IV.to_vec();
    input.extend(abc_block());
    assert_eq!(exit, compress(&compress(&input))[0]);
    let (tables, segment, memory) = run();
    let (proof, public) = prove_segment(&tables, &segment, &memory, &ProofParameters::TESTING).unwrap();
    assert_eq!(verify_segment(&tables, &proof, &public, &ProofParameters::TESTING), Ok(()));
}

#[test]
fn tampering_with_the_sha256_chip_is_rejected() {
    let run = run();
    let table = MachineAir::chips(&run.0).len() - 1;
    let names = run.0.precompile_chips[0].column_names();
    // Calls at rows 0 and 64 (128 rows).
    let cases: [(usize, &str); 14] = [
        (0, "output[0][0]"),
        (64, "output[7][3]"),
        (0, "output[12][1]"),
        (0, "input[3][2]"),
        (64, "input[20][0]"),
        (10, "a[0][5]"),
        (30, "e[3][31]"),
        (20, "w[9][17]"),
        (40, "new_w[0]"),
        (63, "new_a[12]"),
        (5, "carry_e[1][0]"),
        (63, "feed_forward[2][0]"),
        (17, "round[17]"),
        (65, "is_real"),
    ];
    assert_tampers_rejected(&run, table, &names, &cases);
}
