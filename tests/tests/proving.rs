//! Release-mode proving: every example guest, cut into several segments, proves and verifies as
//! a bundle, and random programs covering every RV32IM instruction prove and verify; the proofs
//! are rejected for another ELF, input, output or exit code.

use std::sync::Arc;

use rand::{SeedableRng, rngs::StdRng};
use zkvm_core::isa::Opcode;
use zkvm_core::prover::{
    BundleError, BundleReader, BundleStatement, BundleWriter, ProofParameters, ProvingOptions, SegmentRecord,
    SegmentStatement, StatementTables, VerifiedExecution, prove_execution, verify_bundle,
};
use zkvm_core::{Executor, Program, Tracer};
use zkvm_tests::{example_elf, random_program::random_elf};

const PARAMETERS: ProofParameters = ProofParameters::TESTING;

/// Proves `program` on `input` in segments of `segment_cycles` and returns the statement and
/// the segment records.
fn prove(program: &Arc<Program>, input: &[u8], segment_cycles: u64) -> (BundleStatement, Vec<SegmentRecord>) {
    let mut executor = Executor::new(program.clone(), input.to_vec());
    executor.run().unwrap();
    let statement = BundleStatement { input: input.to_vec(), output: executor.io.public_output };
    let tables = StatementTables::new(program, &statement.input, &statement.output).unwrap();
    let options = ProvingOptions { segment_cycles, concurrency: 2 };
    let mut records = Vec::new();
    let executor = Executor::new(program.clone(), input.to_vec());
    prove_execution(&tables, executor, &options, &PARAMETERS, |record, _| {
        records.push(record);
        Ok(())
    })
    .unwrap();
    (statement, records)
}

/// The proof file of `records` for `statement`.
fn bundle(statement: &BundleStatement, records: &[SegmentRecord]) -> Vec<u8> {
    let mut writer = BundleWriter::new(Vec::new(), &PARAMETERS, statement).unwrap();
    for record in records {
        writer.write_segment(record).unwrap();
    }
    writer.finish().unwrap()
}

fn verify(program: &Program, bytes: &[u8]) -> Result<VerifiedExecution, BundleError> {
    let mut reader = BundleReader::new(bytes, &PARAMETERS)?;
    verify_bundle(program, &mut reader, &PARAMETERS)
}

fn load(name: &str) -> Arc<Program> {
    let bytes = std::fs::read(example_elf(name)).unwrap();
    Arc::new(Program::from_elf(&bytes).unwrap())
}

#[test]
fn every_example_guest_proves_and_verifies_in_several_segments() {
    // sha256 runs ~12.7 k cycles, hello-c ~1.2 k, loop with 300 rounds ~4.3 k.
    for (name, input, segment_cycles) in
        [("sha256", &b"abc"[..], 4096), ("hello-c", b"hello, world", 512), ("loop", b"300", 1024)]
    {
        let program = load(name);
        let (statement, records) = prove(&program, input, segment_cycles);
        assert!(records.len() >= 3, "{name}: {} segments", records.len());
        let verified = verify(&program, &bundle(&statement, &records)).unwrap();
        assert_eq!(verified, VerifiedExecution { segments: records.len(), exit_code: 0 }, "{name}");
        let last = SegmentStatement::from_public_values(&records.last().unwrap().public_values().unwrap());
        let last = last.unwrap();
        assert_eq!(last.output_position[1] as usize, statement.output.len());
        assert_eq!(last.input_length as usize, input.len());
    }
}

#[test]
fn example_proofs_are_rejected_for_another_elf_input_output_or_exit_code() {
    let program = load("sha256");
    let (statement, records) = prove(&program, b"abc", 4096);
    let bytes = bundle(&statement, &records);
    assert!(verify(&program, &bytes).is_ok());
    // Another ELF.
    assert!(verify(&load("hello-c"), &bytes).is_err());
    // Another public output (one bit changed) or input.
    let mut other = statement.clone();
    other.output[7] ^= 1;
    assert!(verify(&program, &bundle(&other, &records)).is_err());
    let mut other = statement.clone();
    other.input = b"abd".to_vec();
    assert!(verify(&program, &bundle(&other, &records)).is_err());
    // Another exit code (the CPU's public values 2..6 are its bytes) on the last segment.
    let mut reader = BundleReader::new(&bytes[..], &PARAMETERS).unwrap();
    let mut tampered = Vec::new();
    while let Some(record) = reader.next_segment().unwrap() {
        tampered.push(record);
    }
    let last = tampered.pop().unwrap();
    let mut public = last.public_values().unwrap();
    public[1][2] += <zkvm_core::prover::Val as p3_field::PrimeCharacteristicRing>::ONE;
    tampered.push(SegmentRecord::new(last.proof, &public));
    let verdict = verify(&program, &bundle(&statement, &tampered));
    assert!(matches!(verdict, Err(BundleError::Segment { .. })), "{verdict:?}");
}

#[test]
fn random_programs_with_every_instruction_prove_and_verify() {
    let mut executed = std::collections::BTreeSet::new();
    for seed in 0..4u64 {
        let mut rng = StdRng::seed_from_u64(0x5eed_0000 + seed);
        let program = Arc::new(Program::from_elf(&random_elf(&mut rng, 6)).unwrap());
        let (statement, records) = prove(&program, &[], 1 << 21);
        verify(&program, &bundle(&statement, &records)).unwrap();
        let mut tracer = Tracer::new(Executor::new(program.clone(), vec![]), 1 << 21);
        let segment = tracer.next_segment().unwrap().unwrap();
        executed.extend(segment.cycles.iter().map(|c| format!("{:?}", c.step.instruction.opcode)));
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
