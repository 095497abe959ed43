//! End to end: programs of ALU instructions and HALT prove and verify; tampered traces and
//! wrong public values are rejected.

use super::*;
use crate::asm::Assembler;
use crate::isa::{Opcode, reg};
use crate::{Executor, SegmentTrace, Tracer};
use p3_field::PrimeCharacteristicRing;
use zkvm_memory::merkle::TreeUpdate;

/// Index of the named chip's table in `MachineAir::chips` order.
fn table(name: &str) -> usize {
    let chips = MachineAir::chips(&run(&alu_program(), &[]).0);
    chips.iter().position(|c| c.name() == name).unwrap()
}

fn alu_program() -> crate::Program {
    // Only instructions the slice proves: ALU operations and HALT (no lui, so 12-bit constants).
    let mut asm = Assembler::new(0x10000);
    asm.i(Opcode::Addi, 1, 0, -1234).i(Opcode::Addi, 2, 0, 2000).r(Opcode::Sub, 1, 1, 2);
    for op in [Opcode::Add, Opcode::Sub, Opcode::Xor, Opcode::Or, Opcode::And] {
        asm.r(op, 3, 1, 2).r(Opcode::Add, 4, 4, 3);
    }
    for op in [Opcode::Addi, Opcode::Xori, Opcode::Ori, Opcode::Andi] {
        asm.i(op, 3, 1, -1234).r(Opcode::Sub, 4, 4, 3);
    }
    asm.r(Opcode::Add, 0, 1, 2); // a write to x0 is discarded
    asm.i(Opcode::Addi, reg::A0, 4, 0).halt();
    asm.program()
}

/// Runs `program` on `input` as one segment; returns the statement's tables, the segment and
/// the memory tree's update by it.
fn run(program: &crate::Program, input: &[u8]) -> (StatementTables, SegmentTrace, TreeUpdate) {
    let mut tracer =
        Tracer::new(Executor::new(program.clone().into(), input.to_vec()), zkvm_memory::MAX_SEGMENT_CYCLES);
    let segment = tracer.next_segment().unwrap().unwrap();
    let memory = image_tree(program).update(&segment.leaves).unwrap();
    let executor = tracer.into_executor();
    let tables = StatementTables::new(program, input, &executor.io.public_output).unwrap();
    (tables, segment, memory)
}

#[test]
fn the_public_value_tables_are_where_their_constants_say() {
    assert_eq!(table("cpu"), air::CPU_TABLE);
    assert_eq!(table("ecall"), air::ECALL_TABLE);
    assert_eq!(table("memory_merkle"), air::MERKLE_TABLE);
    assert_eq!(table("register_boundary"), air::REGISTER_TABLE);
}

#[test]
fn an_alu_program_proves_and_verifies() {
    let program = alu_program();
    let (chip, segment, memory) = run(&program, &[]);
    let (proof, public) = prove_segment(&chip, &segment, &memory, &ProofParameters::TESTING).unwrap();
    assert_eq!(verify_segment(&chip, &proof, &public, &ProofParameters::TESTING), Ok(()));
    // The exit code is among the public values, little-endian bytes.
    let mut executor = Executor::new(program.into(), vec![]);
    let exit = executor.run().unwrap();
    assert_eq!(public[1][2..6], exit.to_le_bytes().map(Val::from_u8));
}

/// A final FRI polynomial longer than a table is a typed error naming the table, before any
/// proving work (FRI takes no codeword shorter than the final one).
#[test]
fn a_final_polynomial_longer_than_a_table_is_refused() {
    let (chip, segment, memory) = run(&alu_program(), &[]);
    let parameters = ProofParameters { log_final_poly_len: 8, ..ProofParameters::TESTING };
    let refused = prove_segment(&chip, &segment, &memory, &parameters);
    assert!(
        matches!(&refused, Err(ProveError::ShortTable { log_height, log_final_poly_len: 8, .. }) if *log_height <= 8),
        "{:?}",
        refused.map(|_| ())
    );
    // One below the shortest table proves.
    let shortest =
        traces_shape(&generate_traces(&chip, &segment, &memory).unwrap()).into_iter().min().unwrap();
    let parameters = ProofParameters { log_final_poly_len: shortest - 1, ..ProofParameters::TESTING };
    let (proof, public) = prove_segment(&chip, &segment, &memory, &parameters).unwrap();
    assert_eq!(verify_segment(&chip, &proof, &public, &parameters), Ok(()));
}

#[test]
fn a_wrong_exit_code_or_pc_is_rejected() {
    let program = alu_program();
    let (chip, segment, memory) = run(&program, &[]);
    let (proof, public) = prove_segment(&chip, &segment, &memory, &ProofParameters::TESTING).unwrap();
    for (table, index) in [
        (1, 2),
        (1, 0),
        (1, 1),
        (table("register_boundary"), 4 * 4),
        (table("register_boundary"), 128 + 4 * 10),
    ] {
        let mut wrong = public.clone();
        wrong[table][index] += Val::ONE;
        let verdict = verify_segment(&chip, &proof, &wrong, &ProofParameters::TESTING);
        assert!(matches!(verdict, Err(VerifyError::Invalid(_))), "table {table} value {index}: {verdict:?}");
    }
}

#[test]
fn another_program_does_not_accept_the_proof() {
    let program = alu_program();
    let (chip, segment, memory) = run(&program, &[]);
    let (proof, public) = prove_segment(&chip, &segment, &memory, &ProofParameters::TESTING).unwrap();
    let mut other = Assembler::new(0x10000);
    other.i(Opcode::Addi, 1, 0, -1234).i(Opcode::Addi, 2, 0, 2001).li(reg::A0, 0).halt();
    let other = run(&other.program(), &[]).0;
    assert!(verify_segment(&other, &proof, &public, &ProofParameters::TESTING).is_err());
}

/// Claimed table heights are checked before any cryptography: above the cap, or tall enough
/// together that LogUp multiplicities could wrap around the field, is a typed rejection.
#[test]
fn claimed_heights_beyond_the_lookup_bound_are_rejected() {
    let program = alu_program();
    let (chip, segment, memory) = run(&program, &[]);
    let (proof, public) = prove_segment(&chip, &segment, &memory, &ProofParameters::TESTING).unwrap();
    let airs = MachineAir::chips(&chip);
    let free = |air: &MachineAir| p3_air::BaseAir::<Val>::preprocessed_trace(air).is_none();
    // Every table whose height the prover chooses at its cap (the CPU at its own): each height
    // is allowed, but together the query-side multiplicities could reach p.
    let mut tall = proof;
    for (bits, air) in tall.degree_bits.iter_mut().zip(&airs) {
        if matches!(air, MachineAir::Cpu(_)) {
            *bits = zkvm_memory::MAX_SEGMENT_CYCLES.trailing_zeros() as usize;
        } else if free(air) {
            *bits = MAX_TABLE_LOG_HEIGHT;
        }
    }
    let verdict = verify_segment(&chip, &tall, &public, &ProofParameters::TESTING);
    assert!(matches!(verdict, Err(VerifyError::LookupHeights(_))), "{verdict:?}");
    // One table above the cap is refused by the cap itself.
    let alu = table("alu");
    tall.degree_bits[alu] = MAX_TABLE_LOG_HEIGHT + 1;
    let verdict = verify_segment(&chip, &tall, &public, &ProofParameters::TESTING);
    assert!(matches!(verdict, Err(VerifyError::Height { .. })), "{verdict:?}");
}

/// Tampers one cell of one table's valid trace, proves anyway, and expects rejection.
fn tampered(table: usize, row: usize, column: usize, delta: u32) -> Result<(), VerifyError> {
    let program = alu_program();
    let (chip, segment, memory) = run(&program, &[]);
    let mut traces = generate_traces(&chip, &segment, &memory).unwrap();
    let width = traces.traces[table].width;
    traces.traces[table].values[row * width + column] += Val::from_u32(delta);
    let proof = prove_traces(&chip, &traces, &ProofParameters::TESTING).unwrap();
    verify_segment(&chip, &proof, &traces.public_values, &ProofParameters::TESTING)
}

#[test]
fn tampering_with_any_chip_is_rejected() {
    use crate::chips::alu::AluColumns;
    use crate::chips::cpu::CpuColumns;
    use zkvm_bus::columns::Columns;
    let cpu_names = CpuColumns::<Val>::names();
    let alu_names = AluColumns::<Val>::names();
    let column = |names: &[String], name: &str| names.iter().position(|n| n == name).unwrap();
    let cases = [
        (1, 3, column(&cpu_names, "is_real")),
        (1, 5, column(&cpu_names, "pc")),
        (1, 5, column(&cpu_names, "next_pc")),
        (1, 4, column(&cpu_names, "opcode")),
        (1, 4, column(&cpu_names, "imm[1]")),
        (1, 4, column(&cpu_names, "rd_value[0]")),
        (1, 4, column(&cpu_names, "rs1_value[2]")),
        (1, 4, column(&cpu_names, "rs1_access.prev_timestamp")),
        (1, 4, column(&cpu_names, "rd_access.diff_lo")),
        (1, 4, column(&cpu_names, "rd_prev_value[3]")),
        (2, 0, column(&alu_names, "rd[1]")),
        (2, 1, column(&alu_names, "carry[0]")),
        (2, 2, column(&alu_names, "is_xor")),
        (2, 2, column(&alu_names, "is_or")),
        (2, 0, column(&alu_names, "imm[0]")),
        (table("ecall"), 0, 2),                               // ecall: a0[0]
        (table("ecall"), 0, 6),                               // ecall: result[0]
        (table("ecall"), 0, 10),                              // ecall: is_halt
        (0, 3, 0),                                            // program multiplicity
        (table("byte_table"), 5, 0),                          // byte table multiplicity
        (table("range16"), 9, 0),                             // range16 multiplicity
        (table("register_boundary"), 0, 1 + 4 * 5 + 2),       // register boundary: an initial byte
        (table("register_boundary"), 0, 1 + 128 + 128 + 3),   // register boundary: last_timestamp[x3]
        (table("register_boundary"), 0, 1 + 128 + 4 * 3 + 1), // register boundary: last[x3][1]
    ];
    for (table, row, column) in cases {
        let verdict = tampered(table, row, column, 1);
        assert!(
            matches!(verdict, Err(VerifyError::Invalid(_))),
            "table {table} row {row} column {column}: {verdict:?}"
        );
    }
}

/// Proves `program`'s run as one segment and checks the proof verifies.
fn assert_proves_and_verifies(program: &crate::Program, input: &[u8]) {
    let (chip, segment, memory) = run(program, input);
    let (proof, public) = prove_segment(&chip, &segment, &memory, &ProofParameters::TESTING).unwrap();
    assert_eq!(verify_segment(&chip, &proof, &public, &ProofParameters::TESTING), Ok(()));
}

/// For each `(row, column)` case, changes that one cell of the named chip's valid trace (by
/// one, staying a small value), proves anyway, and expects the verifier to reject the proof.
fn assert_tampers_rejected(
    program: &crate::Program,
    chip_name: &str,
    names: &[String],
    cases: &[(usize, &str)],
) {
    assert_tampers_rejected_with(program, &[], chip_name, names, cases);
}

/// [`assert_tampers_rejected`] for a program run on `input`.
fn assert_tampers_rejected_with(
    program: &crate::Program,
    input: &[u8],
    chip_name: &str,
    names: &[String],
    cases: &[(usize, &str)],
) {
    let (chip, segment, memory) = run(program, input);
    let valid = generate_traces(&chip, &segment, &memory).unwrap();
    let index = table(chip_name);
    for &(row, name) in cases {
        let column = names.iter().position(|n| n == name).unwrap_or_else(|| panic!("no column {name}"));
        let mut traces =
            SegmentTraces { traces: valid.traces.clone(), public_values: valid.public_values.clone() };
        let width = traces.traces[index].width;
        let cell = &mut traces.traces[index].values[row * width + column];
        *cell = if *cell == Val::ZERO { Val::ONE } else { *cell - Val::ONE };
        let proof = prove_traces(&chip, &traces, &ProofParameters::TESTING).unwrap();
        let verdict = verify_segment(&chip, &proof, &traces.public_values, &ProofParameters::TESTING);
        assert!(matches!(verdict, Err(VerifyError::Invalid(_))), "{chip_name} row {row} {name}: {verdict:?}");
    }
}

/// Upper immediates and jumps: lui (via li), auipc, jal forward, jalr to an odd offset (bit 0
/// cleared), a call-and-return through ra.
fn jump_program() -> crate::Program {
    let mut asm = Assembler::new(0x10000);
    asm.li(11, 0x8765_4321).li(12, 0xfff0_0000);
    asm.u(Opcode::Auipc, 6, 0x12345); // x6 = pc + 0x12345000
    asm.jal(5, 8).i(Opcode::Addi, 3, 0, 99); // skipped
    asm.u(Opcode::Auipc, 8, 0).i(Opcode::Jalr, 7, 8, 13).i(Opcode::Addi, 3, 0, 98); // lands after it
    // Call a "function" placed after the halt (addi + li t0 + ecall = 12 bytes past the
    // return address): jal ra, +16; then halt with the a0 it computed.
    asm.jal(reg::RA, 16);
    asm.i(Opcode::Addi, reg::A0, reg::A0, 0).halt();
    asm.r(Opcode::Add, reg::A0, 11, 12).i(Opcode::Jalr, 0, reg::RA, 0); // function: a0 = x11 + x12; ret
    asm.program()
}

#[test]
fn a_jump_program_proves_and_verifies() {
    let program = jump_program();
    let mut executor = Executor::new(program.clone().into(), vec![]);
    let exit = executor.run().unwrap();
    assert_eq!(exit, 0x8765_4321u32.wrapping_add(0xfff0_0000));
    assert_proves_and_verifies(&program, &[]);
}

#[test]
fn tampering_with_the_jump_chip_is_rejected() {
    use crate::chips::jump::JumpColumns;
    use zkvm_bus::columns::Columns;
    // Rows of the jump table: lui, lui, auipc, jal, auipc, jalr, jal, jalr(ret)...
    let cases = [
        (0, "rd[3]"),
        (2, "sum[2]"),
        (2, "sum_carry[0]"),
        (3, "pc_bytes[1]"),
        (3, "link_carry[0]"),
        (3, "is_jal"),
        (5, "sum_bit0"),
        (5, "sum_half0"),
        (5, "rs1[0]"),
        (1, "is_lui"),
        (1, "imm[2]"),
    ];
    assert_tampers_rejected(&jump_program(), "jump", &JumpColumns::<Val>::names(), &cases);
}

/// Every comparison and branch, taken and not taken, on signed/unsigned edge cases, and a
/// backward loop. x20 accumulates a checksum of the outcomes.
fn branch_program() -> crate::Program {
    let mut asm = Assembler::new(0x10000);
    asm.li(11, 0xffff_fff0).li(12, 5).li(13, 0x8000_0000).li(14, 0x7fff_ffff);
    for (op, a, b) in [
        (Opcode::Slt, 11, 12),
        (Opcode::Sltu, 11, 12),
        (Opcode::Slt, 13, 14),
        (Opcode::Sltu, 13, 14),
        (Opcode::Slt, 12, 12),
    ] {
        asm.r(op, 15, a, b).r(Opcode::Add, 20, 20, 20).r(Opcode::Add, 20, 20, 15);
    }
    for (op, a, imm) in
        [(Opcode::Slti, 11, -1), (Opcode::Sltiu, 12, -1), (Opcode::Slti, 14, 0), (Opcode::Sltiu, 0, 1)]
    {
        asm.i(op, 15, a, imm).r(Opcode::Add, 20, 20, 20).r(Opcode::Add, 20, 20, 15);
    }
    // Each branch skips `addi x20, x20, 1` when taken.
    for (op, a, b) in [
        (Opcode::Beq, 12, 12),
        (Opcode::Beq, 11, 12),
        (Opcode::Bne, 11, 12),
        (Opcode::Blt, 11, 12),
        (Opcode::Blt, 12, 11),
        (Opcode::Bge, 14, 13),
        (Opcode::Bltu, 11, 12),
        (Opcode::Bgeu, 11, 12),
        (Opcode::Bgeu, 0, 12),
    ] {
        asm.r(Opcode::Add, 20, 20, 20).b(op, a, b, 8).i(Opcode::Addi, 20, 20, 1);
    }
    // A backward loop: x16 counts 5 down to 0, x17 sums.
    asm.i(Opcode::Addi, 16, 0, 5).r(Opcode::Add, 17, 17, 16).i(Opcode::Addi, 16, 16, -1).b(
        Opcode::Bne,
        16,
        0,
        -8,
    );
    asm.r(Opcode::Add, reg::A0, 20, 17).halt();
    asm.program()
}

#[test]
fn a_branch_program_proves_and_verifies() {
    assert_proves_and_verifies(&branch_program(), &[]);
}

#[test]
fn tampering_with_the_branch_chip_is_rejected() {
    use crate::chips::branch::BranchColumns;
    use zkvm_bus::columns::Columns;
    // Rows: 0..5 register comparisons, 5..9 immediate ones, 9.. branches, then the loop's bne.
    let cases = [
        (0, "less_signed"),
        (1, "carry[3]"),
        (2, "sign1"),
        (3, "diff[1]"),
        (5, "sign2"),
        (9, "equal"),
        // Pinned only where diff is not zero (on an equal row it is a free witness).
        (10, "diff_sum_inverse"),
        (10, "taken"),
        (11, "is_bne"),
        (12, "imm[0]"),
        (13, "carry[1]"),
        (14, "rs2[3]"),
    ];
    assert_tampers_rejected(&branch_program(), "branch", &BranchColumns::<Val>::names(), &cases);
}

/// Every multiplication on signed/unsigned edge cases; the exit code folds the results.
fn mul_program() -> crate::Program {
    let mut asm = Assembler::new(0x10000);
    let values = [0u32, 1, 0xffff_ffff, 0x8000_0000, 0x7fff_ffff, 0x1234_5678, 0x9abc_def0];
    for (n, &v) in values.iter().enumerate() {
        asm.li(11 + n as u8, v);
    }
    for op in [Opcode::Mul, Opcode::Mulh, Opcode::Mulhsu, Opcode::Mulhu] {
        for (a, b) in [(13, 13), (14, 14), (13, 15), (16, 17), (12, 17), (17, 14)] {
            asm.r(op, 20, a, b).r(Opcode::Xor, 21, 21, 20).r(Opcode::Add, 21, 21, 21);
        }
    }
    asm.r(Opcode::Add, reg::A0, 21, 0).halt();
    asm.program()
}

#[test]
fn a_multiply_program_proves_and_verifies() {
    assert_proves_and_verifies(&mul_program(), &[]);
}

#[test]
fn tampering_with_the_multiply_chip_is_rejected() {
    use crate::chips::mul::MulColumns;
    use zkvm_bus::columns::Columns;
    // Rows 0..6 mul, 6..12 mulh, 12..18 mulhsu, 18..24 mulhu.
    let cases = [
        (0, "product[0]"),
        (1, "carry[2]"),
        (6, "b_high"),
        (7, "sign_b"),
        (8, "c_high"),
        (13, "product[5]"),
        (14, "is_mulhsu"),
        (19, "carry[6]"),
        (20, "c[3]"),
        (21, "product[7]"),
    ];
    assert_tampers_rejected(&mul_program(), "mul", &MulColumns::<Val>::names(), &cases);
}

#[test]
fn proof_files_round_trip_and_every_sampled_byte_flip_is_rejected() {
    assert_byte_flips_rejected(&alu_program(), &[], 300);
}

/// Proves `program` on `input` with small segments and returns the proof file's bytes.
pub(super) fn bundle_bytes(program: &crate::Program, input: &[u8], segment_cycles: u64) -> Vec<u8> {
    let parameters = ProofParameters::TESTING;
    let mut executor = Executor::new(program.clone().into(), input.to_vec());
    executor.run().unwrap();
    let statement = BundleStatement { input: input.to_vec(), output: executor.io.public_output };
    let tables = StatementTables::new(program, &statement.input, &statement.output).unwrap();
    let mut writer = BundleWriter::new(Vec::new(), &parameters, &statement).unwrap();
    let options = ProvingOptions { segment_cycles, concurrency: 2 };
    let executor = Executor::new(program.clone().into(), input.to_vec());
    prove_execution(&tables, executor, &options, &parameters, |record, _| writer.write_segment(&record))
        .unwrap();
    writer.finish().unwrap()
}

/// Reads and verifies a proof file of `program`.
pub(super) fn verify_bytes(program: &crate::Program, bytes: &[u8]) -> Result<VerifiedExecution, BundleError> {
    let mut reader = BundleReader::new(bytes, &ProofParameters::TESTING)?;
    verify_bundle(program, &mut reader, &ProofParameters::TESTING)
}

/// Proves `program`'s run on `input` into a proof file (segments of `segment_cycles`), checks
/// that it verifies, then flips `samples` evenly spaced bytes one at a time: each flipped file
/// is refused by the reader or rejected by the verifier, never accepted and never a panic (the
/// test harness would report a panic as a failure). Truncated files and garbage are refused too.
fn assert_byte_flips_rejected(program: &crate::Program, input: &[u8], samples: usize) {
    let bytes = bundle_bytes(program, input, zkvm_memory::MAX_SEGMENT_CYCLES);
    verify_bytes(program, &bytes).unwrap();
    let parameters = ProofParameters::TESTING;

    let step = (bytes.len() / samples).max(1);
    let mut reached_the_verifier = 0;
    for position in (0..bytes.len()).step_by(step) {
        let mut flipped = bytes.clone();
        flipped[position] ^= 0x5a;
        match verify_bytes(program, &flipped) {
            Ok(_) => panic!("flip at byte {position} was accepted"),
            Err(BundleError::Segment { .. } | BundleError::Chain { .. }) => reached_the_verifier += 1,
            Err(_) => {}
        }
    }
    assert!(
        reached_the_verifier > samples / 6,
        "most flips should reach the verifier, {reached_the_verifier} of {samples} did"
    );

    for garbage in [&b""[..], b"ZKVMPROF", &bytes[..bytes.len() / 2], &bytes[..bytes.len() - 1], &[0xff; 64]]
    {
        assert!(verify_bytes(program, garbage).is_err());
    }
    let mut trailing = bytes.clone();
    trailing.push(0);
    assert!(matches!(verify_bytes(program, &trailing), Err(BundleError::File(ProofFileError::Trailing))));
    // Random bytes of many lengths, bare, behind the valid file's 20-byte header (magic,
    // version, parameter digest) or behind its first 64 bytes: refused or rejected, never a
    // panic.
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut random_byte = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 24) as u8
    };
    for length in [1, 7, 63, 64, 65, 200, 4096, bytes.len() - 64, bytes.len()] {
        for prefix in [0, 20, 64] {
            let mut garbage = bytes[..prefix].to_vec();
            garbage.extend((0..length).map(|_| random_byte()));
            assert!(verify_bytes(program, &garbage).is_err());
        }
    }
    let other = ProofParameters { num_queries: 41, ..parameters };
    assert!(matches!(BundleReader::new(&bytes[..], &other), Err(ProofFileError::Parameters { .. })));
}

/// Proving throughput on the loop guest (examples/elf/loop.elf, 12 cycles per round) at 2^18,
/// 2^20 and 2^21 cycles with the default parameters, and the committed trace cells per cycle
/// (main, preprocessed and LogUp columns, the latter counted as 5 base columns each). Run with
/// `cargo test --release -p zkvm-core --lib prover::tests::proving_throughput -- --ignored
/// --nocapture`.
#[test]
#[ignore = "benchmark: prints proving figures"]
#[allow(clippy::print_stdout)] // printing the figures is the point
fn proving_throughput() {
    let elf = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/elf/loop.elf");
    let program = crate::Program::from_elf(&std::fs::read(elf).unwrap()).unwrap();
    for log_cycles in [18u32, 20, 21] {
        let rounds = ((1u32 << log_cycles) - 1000) / 12; // just under 2^log_cycles cycles
        let (chip, segment, memory) = run(&program, rounds.to_string().as_bytes());
        let started = std::time::Instant::now();
        let traces = generate_traces(&chip, &segment, &memory).unwrap();
        let trace_time = started.elapsed().as_secs_f64();
        let cycles = segment.cycles.len();
        print_table_shapes(&chip, &traces, cycles);
        let started = std::time::Instant::now();
        let proof = prove_traces(&chip, &traces, &ProofParameters::DEFAULT).unwrap();
        let prove_time = started.elapsed().as_secs_f64();
        let bytes = postcard::to_allocvec(&SegmentRecord::new(proof, &traces.public_values)).unwrap();
        let record: SegmentRecord = postcard::from_bytes(&bytes).unwrap();
        let started = std::time::Instant::now();
        let public_values = record.public_values().unwrap();
        verify_segment(&chip, &record.proof, &public_values, &ProofParameters::DEFAULT).unwrap();
        let verify_time = started.elapsed().as_secs_f64();
        println!(
            "cycles {cycles} (2^{log_cycles}): traces {trace_time:.2} s, prove {prove_time:.2} s = {:.0} cycles/s, verify {:.1} ms, proof {} KiB",
            cycles as f64 / prove_time,
            verify_time * 1e3,
            bytes.len() / 1024
        );
    }
}

/// Prints each table's height and committed columns (main, preprocessed, LogUp running-sum
/// columns in the degree-5 extension) and the committed base-field cells per cycle.
#[allow(clippy::print_stdout)]
fn print_table_shapes(chip: &StatementTables, traces: &SegmentTraces, cycles: usize) {
    use p3_air::BaseAir;
    let airs = MachineAir::chips(chip);
    let degrees: Vec<usize> =
        traces.traces.iter().map(|t| (t.values.len() / t.width).trailing_zeros() as usize).collect();
    let config = ProofParameters::DEFAULT.config().unwrap();
    let log_blowup = ProofParameters::DEFAULT.log_blowup;
    let data = crate::prover::packing::packed_prover_data(&config, &airs, &degrees, log_blowup).unwrap();
    let mut cells = 0usize;
    for (index, air) in airs.iter().enumerate() {
        let preprocessed = BaseAir::<Val>::preprocessed_trace(air).map_or(0, |t| t.width);
        let logup = data.common.lookups[index].len();
        let main = traces.traces[index].width;
        cells += (main + preprocessed + 5 * logup) << degrees[index];
        println!(
            "  {:18} 2^{:<2} rows: {main:3} main, {preprocessed:2} preprocessed, {logup:2} LogUp columns",
            air.name(),
            degrees[index]
        );
    }
    println!("  committed trace cells per cycle: {:.1}", cells as f64 / cycles as f64);
}

/// Every shift on edge-case values and amounts (including amounts above 31, which use only
/// their low 5 bits); the exit code folds the results.
fn shift_program() -> crate::Program {
    let mut asm = Assembler::new(0x10000);
    asm.li(11, 0x8765_4321).li(12, 0x7fff_fffe).li(13, 0xffff_ffff).li(14, 1);
    for amount in [0u32, 1, 7, 8, 15, 31, 32, 33, 0xffff_ffe5] {
        asm.li(15, amount);
        for op in [Opcode::Sll, Opcode::Srl, Opcode::Sra] {
            for value in [11, 12, 13, 14] {
                asm.r(op, 20, value, 15).r(Opcode::Xor, 21, 21, 20).r(Opcode::Add, 21, 21, 21);
            }
        }
    }
    for amount in [0, 4, 31] {
        for op in [Opcode::Slli, Opcode::Srli, Opcode::Srai] {
            asm.i(op, 20, 11, amount).r(Opcode::Xor, 21, 21, 20);
        }
    }
    asm.r(Opcode::Add, reg::A0, 21, 0).halt();
    asm.program()
}

#[test]
fn a_shift_program_proves_and_verifies() {
    assert_proves_and_verifies(&shift_program(), &[]);
}

#[test]
fn tampering_with_the_shift_chip_is_rejected() {
    use crate::chips::shift::ShiftColumns;
    use zkvm_bus::columns::Columns;
    // Rows: per amount, sll x4, srl x4, sra x4. Amount 7 starts at row 24.
    let cases = [
        (24, "rd[0]"),
        (24, "amount_bit[0]"),
        (25, "pow_low"),
        (26, "product_carry[1]"),
        (28, "quotient[0]"),
        (29, "remainder[0]"),
        (30, "slack[0]"),
        (31, "slack_carry[0]"),
        (32, "negate"),
        (34, "msb"),
        (34, "is_sra"),
        (35, "amount_rest"),
        (36, "pow[1]"),
    ];
    assert_tampers_rejected(&shift_program(), "shift", &ShiftColumns::<Val>::names(), &cases);
}

mod checkpoint;
mod continuation;
mod divrem;
mod memory;
mod messages;
mod packing;

/// Every chip's proofs open its main and preprocessed traces at the next row's point only if
/// its constraints or messages read that row (`main_next_row_columns` and
/// `preprocessed_next_row_columns`, which the prover, the verifier and the recursion circuits'
/// verifier follow): evaluated on random cells, a change to any next-row cell the chip does not
/// list leaves everything it asserts and sends unchanged, and a chip that lists columns reads
/// some. The cpu, memory-Merkle and register-boundary chips read their next main row, and so
/// does a precompile whose calls span blocks of rows or whose constraints read the next row; a
/// one-row precompile does not; no chip reads a next preprocessed row.
#[test]
fn a_chip_opens_the_next_row_only_where_it_reads_it() {
    use crate::precompile::PrecompileSet;
    use p3_air::BaseAir;
    use std::sync::Arc;
    use zkvm_bus::row::check_next_row_lists;
    let one_row = crate::precompile::tests::Shaped { words: 4, compute_width: 2, rows: 1 };
    let precompiles = PrecompileSet::default()
        .with(0x200, Arc::new(one_row))
        .and_then(|set| set.with(0x201, Arc::new(TwoRowCounter)))
        .unwrap();
    let tables = run(&alu_program(), &[]).0.with_precompiles(Arc::new(precompiles)).unwrap();
    let chips = MachineAir::chips(&tables);
    for chip in &chips {
        let name = chip.name();
        let opens = check_next_row_lists::<Val, _>(chip).unwrap_or_else(|e| panic!("{name}: {e}"));
        let expected = matches!(name, "cpu" | "memory_merkle" | "register_boundary" | "two_row_counter");
        assert_eq!(opens, expected, "{name}");
        assert!(BaseAir::<Val>::preprocessed_next_row_columns(chip).is_empty(), "{name}");
    }
    let names: Vec<&str> = chips.iter().map(MachineAir::name).collect();
    assert!(names.contains(&"shaped") && names.contains(&"two_row_counter"), "{names:?}");
}

/// A precompile of two rows per call (compute columns: the block's first- and last-row flags
/// and a counter) whose constraint reads the next row: the counter steps by one within a block.
struct TwoRowCounter;

impl crate::precompile::Precompile for TwoRowCounter {
    fn name(&self) -> &str {
        "two_row_counter"
    }
    fn words(&self) -> usize {
        1
    }
    fn compute(&self, input: &[u32]) -> Result<Vec<u32>, String> {
        Ok(input.to_vec())
    }
    fn compute_width(&self) -> usize {
        3
    }
    fn compute_column_names(&self) -> Vec<String> {
        ["first", "last", "counter"].map(String::from).to_vec()
    }
    fn constraints(&self, layout: &crate::precompile::FrameLayout) -> crate::precompile::ConstraintSystem {
        use crate::precompile::{ConstraintBuilder, Scope};
        let at = layout.width();
        let b = ConstraintBuilder::new(at + 3);
        let (first_next, counter, counter_next) = (b.next(at), b.local(at + 2), b.next(at + 2));
        let one = b.constant(1);
        b.assert_zero(Scope::Transition, (one - first_next) * (counter_next - counter - one));
        b.build()
    }
    fn compute_trace(&self, _inputs: &[Vec<u32>], height: usize) -> Result<Vec<Val>, String> {
        Ok(vec![Val::ZERO; height * 3])
    }
    fn rows_per_call(&self) -> usize {
        2
    }
    fn block_flags(&self) -> Option<(usize, usize)> {
        Some((0, 1))
    }
}
