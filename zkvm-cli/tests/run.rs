//! `zkvm run` as a user sees it: guest output byte for byte, the exit status, one-line errors.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use zkvm_core::asm::Assembler;
use zkvm_core::isa::reg;

fn zkvm() -> Command {
    Command::new(env!("CARGO_BIN_EXE_zkvm"))
}

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/elf").join(format!("{name}.elf"))
}

fn temp_file(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zkvm-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn run(args: &[&str]) -> Output {
    zkvm().args(args).output().expect("zkvm runs")
}

/// The command failed with `status` and exactly one line on stderr containing `needle`.
fn assert_one_line_error(output: &Output, status: i32, needle: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(status), "stderr: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line expected: {stderr}");
    assert!(stderr.starts_with("error: ") && stderr.contains(needle), "{stderr}");
}

#[test]
fn guest_output_is_passed_through_byte_for_byte() {
    let input = temp_file("hello.txt", b"hello");
    let output = run(&["run", example("sha256").to_str().unwrap(), "--input", input.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        output.stdout,
        b"sha256(5 bytes) = 2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824\n"
    );
    assert!(output.stderr.is_empty(), "{}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn every_example_guest_runs_from_the_command_line() {
    let hello = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/inputs/hello.txt");
    let rounds = temp_file("rounds-10.txt", b"10");
    let cases = [
        (
            "sha256",
            &hello,
            "sha256(5 bytes) = 2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824\n",
        ),
        ("hello-c", &hello, "hello from C: 5 bytes, crc32 3610a686\n"),
        ("loop", &rounds, "loop: 10 rounds, result 0xd440a583\n"),
    ];
    for (guest, input, expected) in cases {
        let output = run(&["run", example(guest).to_str().unwrap(), "--input", input.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(0), "{guest}");
        assert_eq!(String::from_utf8_lossy(&output.stdout), expected, "{guest}");
    }
}

#[test]
fn stats_go_to_stderr_only() {
    let input = temp_file("rounds.txt", b"1000");
    let output =
        run(&["run", example("loop").to_str().unwrap(), "--input", input.to_str().unwrap(), "--stats"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(output.stdout.starts_with(b"loop: 1000 rounds"));
    let stderr = String::from_utf8(output.stderr).unwrap();
    for needle in
        ["cycles: ", "M cycles/s", "arithmetic", "shift", "branch", "public output (4 bytes)", "exit code: 0"]
    {
        assert!(stderr.contains(needle), "missing {needle:?} in {stderr}");
    }
}

#[test]
fn the_exit_status_is_the_guests_exit_code() {
    let input = temp_file("bad.txt", b"not a number");
    let output = run(&["run", example("loop").to_str().unwrap(), "--input", input.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(output.stderr, b"loop: input must be a decimal round count\n");
    for (code, status) in [(0u32, 0), (7, 7), (255, 255), (256, 255), (0xdead_beef, 255)] {
        let mut asm = Assembler::new(0x10000);
        asm.li(reg::A0, code).halt();
        let elf = temp_file(&format!("exit-{code}.elf"), &asm.elf());
        let output = run(&["run", elf.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(status), "exit code {code}");
    }
}

#[test]
fn unreadable_and_malformed_files_are_one_line_errors() {
    assert_one_line_error(
        &run(&["run", "/nonexistent/guest.elf"]),
        2,
        "cannot read ELF file /nonexistent/guest.elf",
    );
    let garbage = temp_file("garbage.elf", b"this is not an executable at all");
    assert_one_line_error(&run(&["run", garbage.to_str().unwrap()]), 2, "not an ELF file");
    let mut elf64 = b"\x7fELF\x02\x01\x01".to_vec();
    elf64.resize(64, 0);
    let elf64 = temp_file("elf64.elf", &elf64);
    assert_one_line_error(&run(&["run", elf64.to_str().unwrap()]), 2, "64-bit ELF");
    let truncated = temp_file("truncated.elf", &std::fs::read(example("sha256")).unwrap()[..100]);
    assert_one_line_error(&run(&["run", truncated.to_str().unwrap()]), 2, "truncated ELF");
    let missing_input = run(&["run", example("sha256").to_str().unwrap(), "--input", "/nonexistent/input"]);
    assert_one_line_error(&missing_input, 2, "cannot read input file");
}

#[test]
fn guest_faults_are_one_line_errors_with_status_3() {
    let input = temp_file("many.txt", b"100000000");
    let limited = run(&[
        "run",
        example("loop").to_str().unwrap(),
        "--input",
        input.to_str().unwrap(),
        "--max-cycles",
        "5000",
    ]);
    assert_one_line_error(&limited, 3, "cycle limit of 5000 reached without halting");
    let mut asm = Assembler::new(0x10000);
    asm.li(reg::A0, 1).word(0xffff_ffff);
    let illegal = temp_file("illegal.elf", &asm.elf());
    assert_one_line_error(
        &run(&["run", illegal.to_str().unwrap()]),
        3,
        "illegal instruction 0xffffffff at pc 0x00010004",
    );
    let mut asm = Assembler::new(0x10000);
    asm.word(0xc000_1073);
    let unimp = temp_file("unimp.elf", &asm.elf());
    assert_one_line_error(&run(&["run", unimp.to_str().unwrap()]), 3, "unimp instruction at pc 0x00010000");
}
