//! Malformed executables give a typed error, never a panic.

use rand::{Rng, SeedableRng, rngs::StdRng};
use zkvm_core::asm::Assembler;
use zkvm_core::elf::{ElfWriter, PF_R, PF_W, PF_X};
use zkvm_core::{ElfError, Program};

fn valid() -> Vec<u8> {
    let mut asm = Assembler::new(0x10000);
    asm.li(10, 0).halt();
    asm.data(0x20000, vec![1, 2, 3, 4]);
    asm.elf()
}

fn set32(bytes: &mut [u8], at: usize, value: u32) {
    bytes[at..at + 4].copy_from_slice(&value.to_le_bytes());
}

#[test]
fn the_reference_file_loads() {
    let program = Program::from_elf(&valid()).unwrap();
    assert_eq!(program.entry, 0x10000);
    assert_eq!(program.segments.len(), 2);
    assert_eq!(program.code.len(), 1);
}

#[test]
fn every_truncation_is_rejected_as_truncated() {
    let bytes = valid();
    for len in 0..bytes.len() - 4 {
        // The code segment ends the file's second-to-last part; any cut before it loses data.
        match Program::from_elf(&bytes[..len]) {
            Err(ElfError::Truncated { .. }) => {}
            other => panic!("length {len}: {other:?}"),
        }
    }
}

#[test]
fn garbage_and_wrong_formats() {
    assert_eq!(Program::from_elf(b"MZ\x90\x00 this is not an ELF"), Err(ElfError::BadMagic));
    assert_eq!(Program::from_elf(&[]), Err(ElfError::Truncated { what: "ELF header", offset: 0, len: 0 }));
    let mut elf64 = valid();
    elf64[4] = 2;
    assert_eq!(Program::from_elf(&elf64), Err(ElfError::Elf64));
    let mut big_endian = valid();
    big_endian[5] = 2;
    assert_eq!(Program::from_elf(&big_endian), Err(ElfError::NotLittleEndian(2)));
    let mut class = valid();
    class[4] = 7;
    assert_eq!(Program::from_elf(&class), Err(ElfError::BadClass(7)));
    let mut arm = valid();
    arm[18] = 40;
    assert_eq!(Program::from_elf(&arm), Err(ElfError::NotRiscV(40)));
    let mut object = valid();
    object[16] = 1;
    assert_eq!(Program::from_elf(&object), Err(ElfError::NotExecutable(1)));
    let mut rvc = valid();
    set32(&mut rvc, 36, 1);
    assert_eq!(Program::from_elf(&rvc), Err(ElfError::Compressed(1)));
    let mut phentsize = valid();
    phentsize[42] = 56;
    assert_eq!(Program::from_elf(&phentsize), Err(ElfError::BadProgramHeaderSize(56)));
    let mut phoff = valid();
    set32(&mut phoff, 28, 0xffff_fff0);
    assert!(matches!(Program::from_elf(&phoff), Err(ElfError::Truncated { .. })));
}

#[test]
fn real_64_bit_and_big_endian_headers() {
    // The first bytes of an x86-64 executable and of a big-endian MIPS one.
    let mut x86_64 = b"\x7fELF\x02\x01\x01\x00".to_vec();
    x86_64.resize(64, 0);
    assert_eq!(Program::from_elf(&x86_64), Err(ElfError::Elf64));
    let mut mips = b"\x7fELF\x01\x02\x01\x00".to_vec();
    mips.resize(52, 0);
    assert_eq!(Program::from_elf(&mips), Err(ElfError::NotLittleEndian(2)));
}

#[test]
fn inconsistent_segments() {
    let code = vec![0x13, 0, 0, 0]; // nop
    let file_over_mem = ElfWriter::new(0x10000).segment(0x10000, code.clone(), 2, PF_R | PF_X).build();
    assert_eq!(
        Program::from_elf(&file_over_mem),
        Err(ElfError::FileSizeExceedsMemSize { index: 0, file_size: 4, mem_size: 2 })
    );
    let wraps = ElfWriter::new(0x10000)
        .code(0x10000, &[0x13])
        .segment(0xffff_f000, vec![], 0x2000, PF_R | PF_W)
        .build();
    assert!(matches!(Program::from_elf(&wraps), Err(ElfError::AddressOverflow { index: 1, .. })));
    let overlap =
        ElfWriter::new(0x10000).code(0x10000, &[0x13; 8]).segment(0x10010, vec![1], 4, PF_R).build();
    assert_eq!(Program::from_elf(&overlap), Err(ElfError::OverlappingSegments { first: 0, second: 1 }));
    let no_code = ElfWriter::new(0x10000).segment(0x10000, code.clone(), 4, PF_R | PF_W).build();
    assert_eq!(Program::from_elf(&no_code), Err(ElfError::NoCode));
    let misaligned = ElfWriter::new(0x10002).segment(0x10002, code.clone(), 4, PF_R | PF_X).build();
    assert_eq!(Program::from_elf(&misaligned), Err(ElfError::MisalignedCode { index: 0, vaddr: 0x10002 }));
    let entry_outside = ElfWriter::new(0x20000).code(0x10000, &[0x13]).build();
    assert_eq!(Program::from_elf(&entry_outside), Err(ElfError::BadEntry(0x20000)));
    let entry_unaligned = ElfWriter::new(0x10002).code(0x10000, &[0x13, 0x13]).build();
    assert_eq!(Program::from_elf(&entry_unaligned), Err(ElfError::BadEntry(0x10002)));
}

#[test]
fn segments_anywhere_with_zero_filled_bss() {
    let mut code = Assembler::new(0xfff0_0000);
    code.li(1, 0x7000_0000).i(zkvm_core::Opcode::Lw, 10, 1, 0x100).halt();
    let elf = ElfWriter::new(0xfff0_0000)
        .code(0xfff0_0000, &Program::from_elf(&code.elf()).unwrap().code[0].words)
        .segment(0x7000_0000, vec![9; 16], 0x1000, PF_R | PF_W)
        .build();
    let mut executor = zkvm_core::Executor::new(Program::from_elf(&elf).unwrap().into(), vec![]);
    assert_eq!(executor.run(), Ok(0)); // bss beyond the 16 file bytes reads as zero
}

#[test]
fn random_corruption_never_panics() {
    let bytes = valid();
    let mut rng = StdRng::seed_from_u64(7);
    for _ in 0..20_000 {
        let mut mutated = bytes.clone();
        for _ in 0..rng.gen_range(1..8) {
            let at = rng.gen_range(0..mutated.len());
            mutated[at] = rng.r#gen();
        }
        let _ = Program::from_elf(&mutated);
    }
    for len in 0..200 {
        let noise: Vec<u8> = (0..len).map(|_| rng.r#gen()).collect();
        let _ = Program::from_elf(&noise);
        let mut with_magic = b"\x7fELF\x01\x01\x01".to_vec();
        with_magic.extend(&noise);
        let _ = Program::from_elf(&with_magic);
    }
}

#[test]
fn a_huge_executable_memory_size_costs_nothing() {
    // 4 GiB of zero-filled "code": only the file bytes are code.
    let elf = ElfWriter::new(0).segment(0, vec![0x13, 0, 0, 0], u32::MAX, PF_R | PF_X).build();
    let program = Program::from_elf(&elf).unwrap();
    assert_eq!(program.code_len(), 1);
    let mut executor = zkvm_core::Executor::new(program.into(), vec![]);
    assert_eq!(executor.run(), Err(zkvm_core::ExecError::FetchOutsideCode { pc: 4 }));
}
