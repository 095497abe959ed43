//! Differential test against `qemu-riscv32` (Debian's qemu-user): thousands of random RV32IM
//! programs must leave the same registers and memory on both machines.
//!
//! Set `ZKVM_DIFF_PROGRAMS` to change the number of programs (default 5000).

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use rand::{SeedableRng, rngs::StdRng};
use zkvm_core::{Executor, Program};
use zkvm_tests::random_program::{DUMP_SIZE, random_elf};

const PROGRAMS_PER_ELF: usize = 10;

fn qemu_output(path: &Path) -> Vec<u8> {
    let output = Command::new("qemu-riscv32").arg(path).output().unwrap_or_else(|e| {
        panic!("cannot run qemu-riscv32 ({e}): install qemu-user (scripts/test.sh installs it)")
    });
    assert!(output.status.success(), "qemu-riscv32 failed on {}: {:?}", path.display(), output);
    output.stdout
}

fn zkvm_output(elf: &[u8]) -> Vec<u8> {
    let program = Program::from_elf(elf).expect("generated ELF loads");
    let mut executor = Executor::new(program.into(), vec![]);
    assert_eq!(executor.run(), Ok(0));
    executor.io.stdout.captured().to_vec()
}

fn first_difference(ours: &[u8], theirs: &[u8]) -> String {
    let at = ours.iter().zip(theirs).position(|(a, b)| a != b).unwrap_or(ours.len().min(theirs.len()));
    let program = at / DUMP_SIZE as usize;
    let offset = at % DUMP_SIZE as usize;
    let what = match offset.checked_sub(1024) {
        Some(reg_offset) => format!("register x{}", reg_offset / 4 + 1),
        None => format!("data byte {offset}"),
    };
    format!(
        "program {program} of the ELF differs first at {what} (zkvm {} bytes, qemu {} bytes)",
        ours.len(),
        theirs.len()
    )
}

#[test]
fn random_programs_agree_with_qemu() {
    let programs: usize =
        std::env::var("ZKVM_DIFF_PROGRAMS").ok().and_then(|v| v.parse().ok()).unwrap_or(5000);
    let files = programs.div_ceil(PROGRAMS_PER_ELF);
    let dir = std::env::temp_dir().join(format!("zkvm-differential-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get()).max(2);
    std::thread::scope(|scope| {
        for worker in 0..threads {
            let dir = &dir;
            scope.spawn(move || {
                for file in (worker..files).step_by(threads) {
                    let mut rng = StdRng::seed_from_u64(0x5eed_0000 + file as u64);
                    let elf = random_elf(&mut rng, PROGRAMS_PER_ELF);
                    let path = dir.join(format!("random-{file}.elf"));
                    std::fs::write(&path, &elf).unwrap();
                    // qemu-user, like the kernel, only runs files marked executable.
                    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
                    let ours = zkvm_output(&elf);
                    let theirs = qemu_output(&path);
                    assert_eq!(ours.len(), PROGRAMS_PER_ELF * DUMP_SIZE as usize);
                    if ours != theirs {
                        let keep = dir.with_extension(format!("failing-{file}.elf"));
                        let _ = std::fs::copy(&path, &keep);
                        panic!(
                            "seed file {file}: {} (kept as {})",
                            first_difference(&ours, &theirs),
                            keep.display()
                        );
                    }
                    std::fs::remove_file(&path).unwrap();
                }
            });
        }
    });
    let _ = std::fs::remove_dir(&dir);
}
