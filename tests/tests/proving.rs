//! Release-mode proving: every example guest, and random programs covering every RV32IM
//! instruction with edge-case operands, prove as one segment and verify; the proofs are
//! rejected for another ELF, input, output or exit code.

use std::sync::Arc;

use rand::{SeedableRng, rngs::StdRng};
use zkvm_core::isa::Opcode;
use zkvm_core::prover::{
    ProofParameters, SegmentProof, SegmentStatement, StatementTables, Val, prove_segment, verify_segment,
};
use zkvm_core::{Executor, Program, Tracer};
use zkvm_tests::{example_elf, random_program::random_elf};

const PARAMETERS: ProofParameters = ProofParameters::TESTING;

struct Proven {
    tables: StatementTables,
    proof: SegmentProof,
    public_values: Vec<Vec<Val>>,
    output: Vec<u8>,
    opcodes: Vec<Opcode>,
}

/// Runs `program` on `input` as one segment, proves it and checks the proof verifies.
fn prove(program: &Arc<Program>, input: &[u8]) -> Proven {
    let mut tracer = Tracer::new(Executor::new(program.clone(), input.to_vec()), 1 << 21);
    let segment = tracer.next_segment().unwrap().unwrap();
    assert!(segment.exit_code.is_some(), "the run fits in one segment");
    let output = tracer.into_executor().io.public_output;
    let tables = StatementTables::new(program, input, &output).unwrap();
    let (proof, public_values) = prove_segment(&tables, &segment, &PARAMETERS).unwrap();
    assert_eq!(verify_segment(&tables, &proof, &public_values, &PARAMETERS), Ok(()));
    let opcodes = segment.cycles.iter().map(|c| c.step.instruction.opcode).collect();
    Proven { tables, proof, public_values, output, opcodes }
}

fn load(name: &str) -> Arc<Program> {
    let bytes = std::fs::read(example_elf(name)).unwrap();
    Arc::new(Program::from_elf(&bytes).unwrap())
}

#[test]
fn every_example_guest_proves_and_verifies() {
    for (name, input) in [("sha256", &b"abc"[..]), ("hello-c", b"hello, world"), ("loop", b"300")] {
        let program = load(name);
        let proven = prove(&program, input);
        let statement = SegmentStatement::from_public_values(&proven.public_values).unwrap();
        assert_eq!(statement.exit_code, 0, "{name}");
        assert_eq!(statement.output_position[1] as usize, proven.output.len());
        assert_eq!(statement.input_length as usize, input.len());
    }
}

#[test]
fn example_proofs_are_rejected_for_another_elf_output_or_exit_code() {
    let program = load("sha256");
    let proven = prove(&program, b"abc");
    let verify = |tables: &StatementTables, public: &[Vec<Val>]| {
        verify_segment(tables, &proven.proof, public, &PARAMETERS)
    };
    // Another ELF.
    let other = StatementTables::new(&load("hello-c"), b"abc", &proven.output).unwrap();
    assert!(verify(&other, &proven.public_values).is_err());
    // Another public output (one bit changed) or input.
    let mut output = proven.output.clone();
    output[7] ^= 1;
    let other = StatementTables::new(&program, b"abc", &output).unwrap();
    assert!(verify(&other, &proven.public_values).is_err());
    let other = StatementTables::new(&program, b"abd", &proven.output).unwrap();
    assert!(verify(&other, &proven.public_values).is_err());
    // Another exit code (the CPU's public values 2..6 are its bytes).
    let mut public = proven.public_values.clone();
    public[1][2] += <Val as p3_field::PrimeCharacteristicRing>::ONE;
    assert!(verify(&proven.tables, &public).is_err());
}

#[test]
fn random_programs_with_every_instruction_prove_and_verify() {
    let mut executed = std::collections::BTreeSet::new();
    for seed in 0..4u64 {
        let mut rng = StdRng::seed_from_u64(0x5eed_0000 + seed);
        let program = Arc::new(Program::from_elf(&random_elf(&mut rng, 6)).unwrap());
        let proven = prove(&program, &[]);
        executed.extend(proven.opcodes.iter().map(|op| format!("{op:?}")));
    }
    let skipped = [Opcode::Ebreak, Opcode::Invalid];
    let missing: Vec<String> = Opcode::ALL
        .iter()
        .filter(|op| !skipped.contains(op))
        .map(|op| format!("{op:?}"))
        .filter(|op| !executed.contains(op))
        .collect();
    assert!(missing.is_empty(), "instructions never proven: {missing:?}");
}
