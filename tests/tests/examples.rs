//! The example guests in examples/elf/ run and print what they should, on the fast path and on
//! the tracing path. Expected outputs are computed on the host with independent code.

use std::sync::Arc;

use rand::{Rng, SeedableRng, rngs::StdRng};
use sha2::{Digest, Sha256};
use zkvm_core::{Executor, Program, Tracer};
use zkvm_tests::example_elf;

struct Outcome {
    exit_code: u32,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    public_output: Vec<u8>,
}

fn load(name: &str) -> Arc<Program> {
    let path = example_elf(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Arc::new(Program::from_elf(&bytes).unwrap())
}

/// Runs on the fast path, then on the tracing path, and checks both agree.
fn run(name: &str, input: &[u8]) -> Outcome {
    let program = load(name);
    let mut executor = Executor::new(program.clone(), input.to_vec());
    let exit_code = executor.run().unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut tracer = Tracer::new(Executor::new(program, input.to_vec()), 1 << 12);
    let segments: Vec<_> = tracer.by_ref().map(Result::unwrap).collect();
    let traced = tracer.into_executor();
    assert_eq!(segments.last().unwrap().exit_code, Some(exit_code));
    assert_eq!(traced.cycles(), executor.cycles());
    assert_eq!(traced.io.public_output, executor.io.public_output);
    Outcome {
        exit_code,
        stdout: executor.io.stdout.captured().to_vec(),
        stderr: executor.io.stderr.captured().to_vec(),
        public_output: executor.io.public_output.clone(),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn sha256_guest_hashes_its_input() {
    let mut rng = StdRng::seed_from_u64(3);
    let long: Vec<u8> = (0..10_000).map(|_| rng.r#gen()).collect();
    for input in [&b""[..], b"hello", b"abc", &long] {
        let outcome = run("sha256", input);
        let digest = Sha256::digest(input);
        assert_eq!(outcome.exit_code, 0);
        assert_eq!(
            String::from_utf8(outcome.stdout).unwrap(),
            format!("sha256({} bytes) = {}\n", input.len(), hex(&digest))
        );
        assert_eq!(outcome.public_output, digest.to_vec());
        assert!(outcome.stderr.is_empty());
    }
}

/// The loop guest's computation, written again on the host.
fn loop_reference(rounds: u32) -> u32 {
    let (mut x, mut acc) = (0x9e37_79b9u32, 0u32);
    for i in 0..rounds {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        acc = (acc ^ x ^ i).wrapping_mul(0x0100_0193);
    }
    acc
}

#[test]
fn loop_guest_runs_the_requested_rounds() {
    let mut cycles = Vec::new();
    for rounds in [0u32, 1, 1000, 20_000] {
        let outcome = run("loop", format!("{rounds}\n").as_bytes());
        let expected = loop_reference(rounds);
        assert_eq!(outcome.exit_code, 0);
        assert_eq!(
            String::from_utf8(outcome.stdout).unwrap(),
            format!("loop: {rounds} rounds, result {expected:#010x}\n")
        );
        assert_eq!(outcome.public_output, expected.to_le_bytes());
        let mut executor = Executor::new(load("loop"), rounds.to_string().into_bytes());
        executor.run().unwrap();
        cycles.push(executor.cycles());
    }
    // The cycle count grows linearly with the input: that is what makes it the benchmark guest.
    let per_round = (cycles[3] - cycles[2]) / 19_000;
    assert!((8..=16).contains(&per_round), "{per_round} cycles per round");
}

#[test]
fn loop_guest_rejects_bad_input_with_exit_code_1() {
    let outcome = run("loop", b"twelve");
    assert_eq!(outcome.exit_code, 1);
    assert_eq!(outcome.stderr, b"loop: input must be a decimal round count\n");
    assert!(outcome.public_output.is_empty());
}

/// CRC-32 as zlib computes it, table-driven (the guest computes it bit by bit).
fn crc32(data: &[u8]) -> u32 {
    let table: Vec<u32> = (0..256u32)
        .map(|n| (0..8).fold(n, |c, _| if c & 1 == 1 { 0xedb8_8320 ^ (c >> 1) } else { c >> 1 }))
        .collect();
    !data.iter().fold(!0u32, |crc, &b| table[((crc ^ u32::from(b)) & 0xff) as usize] ^ (crc >> 8))
}

#[test]
fn c_guest_prints_length_and_crc32() {
    assert_eq!(crc32(b"hello"), 0x3610_a686); // the well-known value
    for input in [&b""[..], b"hello", &[0xab; 3000]] {
        let outcome = run("hello-c", input);
        let crc = crc32(input);
        assert_eq!(outcome.exit_code, 0);
        assert_eq!(
            String::from_utf8(outcome.stdout).unwrap(),
            format!("hello from C: {} bytes, crc32 {crc:08x}\n", input.len())
        );
        assert_eq!(outcome.public_output, crc.to_le_bytes());
    }
}
