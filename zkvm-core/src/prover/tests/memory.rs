//! Loads, stores and I/O: the RAM argument (load/store chip, RAM boundary, memory tree) and
//! the io table prove; tampering with any of them, or claiming other input or output, is
//! rejected.

use super::*;
use crate::abi;

const DATA: u32 = 0x2_0000;
pub(super) const BUFFER: u32 = 0x3_0000;

/// Every load and store at every offset its width allows, on an initialized data word (so the
/// memory image is used), then a read of the input word by word, committing each byte read.
pub(super) fn memory_program() -> crate::Program {
    let mut asm = Assembler::new(0x10000);
    asm.data(DATA, vec![0x81, 0x7f, 0xff, 0x00, 0x12, 0x34, 0x56, 0x78]);
    asm.li(1, DATA).li(2, BUFFER).li(3, 0xa5c3_e10f);
    for (op, offsets) in [
        (Opcode::Lb, &[0, 1, 2, 3][..]),
        (Opcode::Lbu, &[0, 1, 2, 3]),
        (Opcode::Lh, &[0, 2]),
        (Opcode::Lhu, &[0, 2]),
        (Opcode::Lw, &[0, 4]),
    ] {
        for &offset in offsets {
            asm.i(op, 20, 1, offset).r(Opcode::Xor, 21, 21, 20).r(Opcode::Add, 21, 21, 21);
        }
    }
    asm.s(Opcode::Sw, 3, 2, 0).s(Opcode::Sb, 21, 2, 1).s(Opcode::Sb, 21, 2, 3).s(Opcode::Sh, 1, 2, 2);
    asm.s(Opcode::Sh, 3, 2, 4).s(Opcode::Sw, 21, 2, -4);
    asm.i(Opcode::Lw, 22, 2, 0).i(Opcode::Lw, 23, 2, 4).i(Opcode::Lw, 24, 2, -4);
    // Read two input words and commit their first five bytes.
    asm.ecall(abi::INPUT_LENGTH).i(Opcode::Addi, 25, reg::A0, 0);
    for k in 0..2 {
        asm.ecall(abi::READ_WORD).s(Opcode::Sw, reg::A0, 2, 8 + 4 * k);
    }
    for k in 0..5 {
        asm.i(Opcode::Lbu, reg::A0, 2, 8 + k).ecall(abi::COMMIT);
    }
    asm.li(reg::A0, 1).li(reg::A1, BUFFER).li(reg::A2, 4).ecall(abi::WRITE);
    asm.r(Opcode::Xor, reg::A0, 21, 22).r(Opcode::Xor, reg::A0, reg::A0, 23).r(
        Opcode::Add,
        reg::A0,
        reg::A0,
        25,
    );
    asm.halt();
    asm.program()
}

const INPUT: &[u8] = b"hello";

#[test]
fn a_memory_and_io_program_proves_and_verifies() {
    let program = memory_program();
    let mut executor = Executor::new(program.clone().into(), INPUT.to_vec());
    executor.run().unwrap();
    assert_eq!(executor.io.public_output, INPUT);
    assert_proves_and_verifies(&program, INPUT);
}

#[test]
fn another_input_or_output_or_image_does_not_accept_the_proof() {
    let program = memory_program();
    let (tables, segment, memory) = run(&program, INPUT);
    let (proof, public) = prove_segment(&tables, &segment, &memory, &ProofParameters::TESTING).unwrap();
    assert_eq!(verify_segment(&tables, &proof, &public, &ProofParameters::TESTING), Ok(()));
    let output = INPUT;
    for (input, output) in [(&b"hellp"[..], output), (b"hello!", output), (INPUT, b"hellp"), (INPUT, b"hell")]
    {
        let other = StatementTables::new(&program, input, output).unwrap();
        let verdict = verify_segment(&other, &proof, &public, &ProofParameters::TESTING);
        assert!(verdict.is_err(), "input {input:?} output {output:?}");
    }
    // A segment proof does not name the image: the bundle does, by the first segment's start
    // memory root, which must be the root of the program's image.
    let mut changed = program.clone();
    let data = changed.segments.iter_mut().find(|s| s.vaddr == DATA).unwrap();
    data.data[0] ^= 1;
    let bytes = bundle_bytes(&program, INPUT, zkvm_memory::MAX_SEGMENT_CYCLES);
    assert!(verify_bytes(&program, &bytes).is_ok());
    let verdict = verify_bytes(&changed, &bytes);
    assert!(matches!(verdict, Err(BundleError::Chain { index: 0, .. })), "{verdict:?}");
}

#[test]
fn tampering_with_the_load_store_chip_is_rejected() {
    use crate::chips::load_store::LoadStoreColumns;
    use zkvm_bus::columns::Columns;
    // Rows: lb x4, lbu x4, lh x2, lhu x2, lw x2, sw, sb, sb, sh, sh, sw, lw x3, sw x2, lbu x5.
    let cases = [
        (0, "rd[1]"),
        (1, "loaded[0]"),
        (2, "offset_bit[1]"),
        (3, "byte_select[3]"),
        (3, "sign"),
        (5, "word_low"),
        (8, "loaded[1]"),
        (9, "address[0]"),
        (9, "address_carry[1]"),
        (12, "prev[2]"),
        (14, "value[0]"),
        (14, "loaded[0]"),
        (15, "value[1]"),
        (15, "is_sb"),
        (17, "rs2[0]"),
        (18, "imm[0]"),
        (19, "access.prev_timestamp"),
        (19, "access.diff_lo"),
    ];
    assert_tampers_rejected_with(
        &memory_program(),
        INPUT,
        "load_store",
        &LoadStoreColumns::<Val>::names(),
        &cases,
    );
}

#[test]
fn tampering_with_the_ram_boundary_and_io_table_is_rejected() {
    use zkvm_bus::columns::Columns;
    use zkvm_memory::ram_boundary::RamBoundaryColumns;
    // RAM boundary rows: the 8 words of the data leaf, of the leaf below the buffer (the word
    // at BUFFER - 4) and of the buffer's leaf, whose last word the program never touches.
    let (data_row, buffer_row, untouched_row, padding_row) = (0, 16, 23, 24);
    let cases = [
        (data_row, "initial[0]"),
        (data_row, "address"),
        (data_row, "last[3]"),
        (buffer_row, "last_timestamp"),
        (buffer_row, "initial[1]"),
        (untouched_row, "last[0]"),
        (untouched_row, "initial[2]"),
        (untouched_row, "is_real"),
        (padding_row, "is_real"),
    ];
    let program = memory_program();
    assert_tampers_rejected_with(
        &program,
        INPUT,
        "ram_boundary",
        &RamBoundaryColumns::<Val>::names(),
        &cases,
    );
    // io table rows: input words 0 and 1, then the five output bytes.
    let multiplicity = ["multiplicity".to_string()];
    let io_cases = [(0, "multiplicity"), (3, "multiplicity"), (6, "multiplicity")];
    assert_tampers_rejected_with(&program, INPUT, "io_table", &multiplicity, &io_cases);
}

#[test]
fn tampering_with_the_ecall_chip_is_rejected() {
    use crate::chips::ecall::EcallColumns;
    use zkvm_bus::columns::Columns;
    // Rows: INPUT_LENGTH, READ_WORD x2, COMMIT x5, WRITE, HALT.
    let cases = [
        (0, "result[0]"),
        (0, "is_input_length"),
        (1, "result[1]"),
        (2, "position"),
        (2, "stream_access.prev_timestamp"),
        (3, "a0[0]"),
        (4, "is_commit"),
        (8, "is_write"),
        (8, "a0[0]"),
        (9, "is_halt"),
        (9, "result[0]"),
        (9, "position"),
    ];
    assert_tampers_rejected_with(&memory_program(), INPUT, "ecall", &EcallColumns::<Val>::names(), &cases);
}

#[test]
fn every_sampled_byte_flip_of_a_memory_and_io_proof_is_rejected() {
    assert_byte_flips_rejected(&memory_program(), INPUT, 600);
}
