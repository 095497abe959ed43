//! `zkvm prove` and `zkvm verify` on programs the prover covers, and their failures.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use zkvm_core::asm::Assembler;
use zkvm_core::isa::{Opcode, reg};

fn zkvm(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zkvm")).args(args).output().expect("zkvm runs")
}

fn temp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zkvm-prove-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A program the prover covers: a loop with a call, exit code 2 * (1 + 2 + ... + 10) = 110.
fn program(seed: i32) -> Vec<u8> {
    let mut asm = Assembler::new(0x10000);
    asm.i(Opcode::Addi, 11, 0, 10).i(Opcode::Addi, 12, 0, seed);
    asm.r(Opcode::Add, 12, 12, 11).i(Opcode::Addi, 11, 11, -1).b(Opcode::Bne, 11, 0, -8);
    asm.jal(reg::RA, 16).r(Opcode::Add, reg::A0, 13, 0).halt();
    asm.r(Opcode::Add, 13, 12, 12).i(Opcode::Jalr, 0, reg::RA, 0);
    asm.elf()
}

fn path(dir: &Path, name: &str) -> String {
    dir.join(name).to_str().unwrap().to_string()
}

fn assert_one_line(output: &Output, status: i32, needle: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(status), "stderr: {stderr}");
    let last = stderr.lines().last().unwrap_or_default();
    assert!(last.starts_with("error: ") && last.contains(needle), "{stderr}");
}

#[test]
fn prove_then_verify() {
    let dir = temp_dir();
    std::fs::write(dir.join("good.elf"), program(0)).unwrap();
    std::fs::write(dir.join("other.elf"), program(1)).unwrap();
    let (elf, other, proof) = (path(&dir, "good.elf"), path(&dir, "other.elf"), path(&dir, "good.proof"));
    let proved = zkvm(&["prove", &elf, "-o", &proof, "--bundle", "--insecure-test-parameters"]);
    assert_eq!(proved.status.code(), Some(0), "{}", String::from_utf8_lossy(&proved.stderr));
    let progress = String::from_utf8_lossy(&proved.stderr);
    for phase in [
        "executing",
        "proving 1 segment(s)",
        "quotient",
        "FRI commit phase",
        "FRI query phase",
        "segment 1/1",
        "proof",
    ] {
        assert!(progress.contains(phase), "no progress line for {phase}: {progress}");
    }
    assert!(!dir.join("good.partial").exists(), "no partial file is left behind");

    let verified = zkvm(&["verify", &proof, "--elf", &elf, "--insecure-test-parameters"]);
    assert_eq!(verified.status.code(), Some(0), "{}", String::from_utf8_lossy(&verified.stderr));
    let report = "valid: exit code 110\nproof: segment bundle\nsegments: 1\ninput: 0 bytes\npublic output (0 bytes): \"\"\n";
    assert_eq!(String::from_utf8_lossy(&verified.stdout), report);

    // Against another program, with other parameters, corrupted or truncated: one-line rejections.
    assert_one_line(
        &zkvm(&["verify", &proof, "--elf", &other, "--insecure-test-parameters"]),
        1,
        "invalid proof",
    );
    assert_one_line(&zkvm(&["verify", &proof, "--elf", &elf]), 1, "other proof parameters");
    let mut bytes = std::fs::read(&proof).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x40;
    std::fs::write(dir.join("flipped.proof"), &bytes).unwrap();
    assert_one_line(
        &zkvm(&["verify", &path(&dir, "flipped.proof"), "--elf", &elf, "--insecure-test-parameters"]),
        1,
        "invalid proof",
    );
    std::fs::write(dir.join("short.proof"), &bytes[..100]).unwrap();
    assert_one_line(
        &zkvm(&["verify", &path(&dir, "short.proof"), "--elf", &elf, "--insecure-test-parameters"]),
        1,
        "truncated",
    );
    std::fs::write(dir.join("junk.proof"), b"junk").unwrap();
    assert_one_line(&zkvm(&["verify", &path(&dir, "junk.proof"), "--elf", &elf]), 1, "not a zkvm proof");
}

#[test]
fn a_guest_with_input_and_output_proves_and_its_input_is_checked() {
    let dir = temp_dir();
    let elf = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/elf/loop.elf");
    let elf = elf.to_str().unwrap();
    let (input, wrong) = (dir.join("rounds.txt"), dir.join("wrong.txt"));
    std::fs::write(&input, "3").unwrap();
    std::fs::write(&wrong, "4").unwrap();
    let proof = path(&dir, "loop.proof");
    let input = input.to_str().unwrap();
    let output =
        zkvm(&["prove", elf, "--input", input, "-o", &proof, "--bundle", "--insecure-test-parameters"]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let verified = zkvm(&["verify", &proof, "--elf", elf, "--input", input, "--insecure-test-parameters"]);
    assert_eq!(verified.status.code(), Some(0), "{}", String::from_utf8_lossy(&verified.stderr));
    let stdout = String::from_utf8_lossy(&verified.stdout);
    assert!(
        stdout.starts_with("valid: exit code 0\nproof: segment bundle\nsegments: 1\ninput: 1 bytes\npublic output (4 bytes): "),
        "{stdout}"
    );
    let wrong = wrong.to_str().unwrap();
    let rejected = zkvm(&["verify", &proof, "--elf", elf, "--input", wrong, "--insecure-test-parameters"]);
    assert_one_line(&rejected, 1, "its input is not the contents of");
}

#[test]
fn a_run_in_many_segments_proves_and_verifies() {
    let dir = temp_dir();
    let elf = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/elf/loop.elf");
    let elf = elf.to_str().unwrap();
    let input = dir.join("thirty-rounds.txt");
    std::fs::write(&input, "30").unwrap();
    let proof = path(&dir, "segments.proof");
    let args = [
        "prove",
        elf,
        "--input",
        input.to_str().unwrap(),
        "-o",
        &proof,
        "--bundle",
        "--insecure-test-parameters",
    ];
    let output = zkvm(&[&args[..], &["--segment-cycles", "256", "--concurrency", "2"]].concat());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("segment 5/5"), "{stderr}");
    let verified = zkvm(&["verify", &proof, "--elf", elf, "--insecure-test-parameters"]);
    assert_eq!(verified.status.code(), Some(0), "{}", String::from_utf8_lossy(&verified.stderr));
    assert!(String::from_utf8_lossy(&verified.stdout).contains("segments: 5\n"));
}

#[test]
fn a_run_stopped_in_segment_k_says_so_and_leaves_no_proof() {
    let dir = temp_dir();
    let elf = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/elf/loop.elf");
    let input = dir.join("many-rounds.txt");
    std::fs::write(&input, "300000").unwrap();
    let proof = path(&dir, "long.proof");
    let output = zkvm(&[
        "prove",
        elf.to_str().unwrap(),
        "--input",
        input.to_str().unwrap(),
        "-o",
        &proof,
        "--insecure-test-parameters",
        "--segment-cycles",
        "100",
        "--max-cycles",
        "1050",
    ]);
    assert_one_line(&output, 3, "segment 10 (cycle 1050): cycle limit");
    assert!(!Path::new(&proof).exists(), "no proof file is written");
    assert!(!dir.join("long.partial").exists(), "no partial file is left behind");

    // An illegal instruction after 50 instructions, in segment 2 of 20-cycle segments.
    let mut asm = Assembler::new(0x10000);
    for _ in 0..50 {
        asm.i(Opcode::Addi, 1, 1, 1);
    }
    asm.word(0xffff_ffff);
    std::fs::write(dir.join("illegal.elf"), asm.elf()).unwrap();
    let proof = path(&dir, "illegal.proof");
    let args = ["prove", &path(&dir, "illegal.elf"), "-o", &proof, "--segment-cycles", "20"];
    assert_one_line(&zkvm(&args), 3, "segment 2 (cycle 50): illegal instruction");
    assert!(!Path::new(&proof).exists(), "no proof file is written");
}

#[test]
fn segments_proven_alone_from_checkpoints_join_into_a_proof_that_verifies() {
    let dir = temp_dir().join("checkpoints");
    let elf = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/elf/loop.elf");
    let elf = elf.to_str().unwrap();
    let input = dir.with_extension("input");
    std::fs::write(&input, "30").unwrap();
    let (dir_arg, input) = (dir.to_str().unwrap(), input.to_str().unwrap());
    let made = zkvm(&["checkpoint", elf, "--input", input, "--out", dir_arg, "--segment-cycles", "256"]);
    let stderr = String::from_utf8_lossy(&made.stderr);
    assert_eq!(made.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("5 checkpoint(s) written"), "{stderr}");

    // Proven one by one, last first, as independent processes would.
    for k in (0..5).rev() {
        let checkpoint = path(&dir, &format!("segment-{k:06}.ckpt"));
        let proved = zkvm(&["prove-segment", &checkpoint, "--elf", elf, "--insecure-test-parameters"]);
        assert_eq!(proved.status.code(), Some(0), "{}", String::from_utf8_lossy(&proved.stderr));
        assert!(dir.join(format!("segment-{k:06}.proof")).exists());
    }
    let proof = path(&dir, "../joined.proof");
    let joined = zkvm(&["join", dir_arg, "-o", &proof, "--insecure-test-parameters"]);
    assert_eq!(joined.status.code(), Some(0), "{}", String::from_utf8_lossy(&joined.stderr));
    let verified = zkvm(&["verify", &proof, "--elf", elf, "--input", input, "--insecure-test-parameters"]);
    assert_eq!(verified.status.code(), Some(0), "{}", String::from_utf8_lossy(&verified.stderr));
    assert!(String::from_utf8_lossy(&verified.stdout).contains("segments: 5\n"));

    // A checkpoint of another program, a corrupt checkpoint, a missing segment proof.
    std::fs::write(dir.join("../other.elf"), program(0)).unwrap();
    let first = path(&dir, "segment-000000.ckpt");
    let other = ["prove-segment", &first, "--elf", &path(&dir, "../other.elf"), "--insecure-test-parameters"];
    assert_one_line(&zkvm(&other), 2, "made for another program");
    std::fs::write(dir.join("../corrupt.ckpt"), b"ZKVMCKPT\x01\x00\x00\x00\xff\xff").unwrap();
    let corrupt =
        ["prove-segment", &path(&dir, "../corrupt.ckpt"), "--elf", elf, "--insecure-test-parameters"];
    assert_one_line(&zkvm(&corrupt), 2, "truncated");
    std::fs::remove_file(dir.join("segment-000004.proof")).unwrap();
    let joined = zkvm(&["join", dir_arg, "-o", &path(&dir, "../gap.proof"), "--insecure-test-parameters"]);
    assert_one_line(&joined, 2, "segment 4 has a checkpoint");
    assert!(!dir.join("../gap.proof").exists());
}
