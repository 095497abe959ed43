//! Continuations: programs cut into many small segments prove and verify as a bundle; bundles
//! with segments reordered, dropped, duplicated or replaced, or with a changed boundary state
//! (pc, a register, a memory word) are rejected; the memory Merkle chip rejects tampering.

use super::memory::memory_program;
use super::*;
use crate::memory::Memory;

pub(super) const INPUT: &[u8] = b"hello";
/// Small enough that the memory program (~110 cycles) spans several segments.
pub(super) const SEGMENT_CYCLES: u64 = 24;

/// A change made to the executor's state between two segments.
type StateChange<'a> = &'a dyn Fn(&mut Executor);

/// Proves `program` on `input` segment by segment; before segment `change.0` is traced, calls
/// `change.1` on the executor (the prover then proves what actually runs from the changed
/// state, with a memory tree rebuilt from the changed memory).
pub(super) fn segment_records(
    program: &crate::Program,
    input: &[u8],
    change: Option<(usize, StateChange<'_>)>,
) -> (StatementTables, Vec<SegmentRecord>) {
    let mut executor = Executor::new(program.clone().into(), input.to_vec());
    executor.run().unwrap();
    let tables = StatementTables::new(program, input, &executor.io.public_output).unwrap();
    let mut tracer = Tracer::new(Executor::new(program.clone().into(), input.to_vec()), SEGMENT_CYCLES);
    let mut tree = image_tree(program);
    let mut records = Vec::new();
    loop {
        if let Some((index, change)) = change
            && index == records.len()
        {
            change(tracer.executor_mut());
            tree = memory_tree(tracer.executor().memory());
        }
        let Some(segment) = tracer.next_segment().unwrap() else { break };
        let memory = tree.update(&segment.leaves).unwrap();
        let (proof, public) = prove_segment(&tables, &segment, &memory, &ProofParameters::TESTING).unwrap();
        records.push(SegmentRecord::new(proof, &public));
    }
    (tables, records)
}

/// The proof file of `records` for the statement (input, output).
pub(super) fn file_of(input: &[u8], output: &[u8], records: &[&SegmentRecord]) -> Vec<u8> {
    let statement = BundleStatement { input: input.to_vec(), output: output.to_vec() };
    let mut writer = BundleWriter::new(Vec::new(), &ProofParameters::TESTING, &statement).unwrap();
    for record in records {
        writer.write_segment(record).unwrap();
    }
    writer.finish().unwrap()
}

/// Segments padded to one shape (the run's enclosing shape, then every growing table doubled
/// once more, so that every kind of padding row is used) prove and verify as a bundle, each
/// proof of exactly that shape; a shape too small for a segment is refused before proving.
#[test]
fn segments_padded_to_one_shape_prove_and_verify() {
    let program = memory_program();
    let mut executor = Executor::new(program.clone().into(), INPUT.to_vec());
    executor.run().unwrap();
    let statement = BundleStatement { input: INPUT.to_vec(), output: executor.io.public_output };
    let tables = StatementTables::new(&program, &statement.input, &statement.output).unwrap();
    let options = ProvingOptions { segment_cycles: SEGMENT_CYCLES, concurrency: 2 };
    let fresh = || Executor::new(program.clone().into(), INPUT.to_vec());
    let shapes = execution_shapes(&tables, fresh(), &options).unwrap();
    assert!(shapes.len() >= 4);
    assert!(shapes.iter().any(|shape| shape != &shapes[0]), "the segments' own shapes differ");
    let enclosing = enclosing_shape(&shapes);
    let mut shape = enclosing.clone();
    for (bits, chip) in shape.iter_mut().zip(MachineAir::chips(&tables)) {
        let fixed = p3_air::BaseAir::<Val>::preprocessed_trace(&chip).is_some();
        if !fixed && !matches!(chip, MachineAir::RegisterBoundary(_)) {
            *bits += 1;
        }
    }

    let parameters = ProofParameters::TESTING;
    let mut writer = BundleWriter::new(Vec::new(), &parameters, &statement).unwrap();
    let mut proven_shapes = Vec::new();
    prove_execution_shaped(&tables, fresh(), &options, &parameters, Some(&shape), |record, _| {
        proven_shapes.push(record.proof.degree_bits.clone());
        writer.write_segment(&record)
    })
    .unwrap();
    assert_eq!(proven_shapes, vec![shape.clone(); shapes.len()]);
    assert_eq!(verify_bytes(&program, &writer.finish().unwrap()).unwrap().segments, shapes.len());

    // The CPU of the longest segment does not fit half its rows.
    let mut short = enclosing;
    short[CPU_TABLE] -= 1;
    let refused =
        prove_execution_shaped(&tables, fresh(), &options, &parameters, Some(&short), |_, _| Ok(()));
    assert!(
        matches!(
            refused,
            Err(ContinuationError::Prove { error: ProveError::Trace(TraceError::Shape { ref chip, .. }), .. })
                if chip == "cpu"
        ),
        "{refused:?}"
    );
    // A shape that does not name every table is refused.
    let refused =
        prove_execution_shaped(&tables, fresh(), &options, &parameters, Some(&shape[1..]), |_, _| Ok(()));
    assert!(
        matches!(
            refused,
            Err(ContinuationError::Prove { error: ProveError::Trace(TraceError::ShapeLength { .. }), .. })
        ),
        "{refused:?}"
    );
}

#[test]
fn a_program_in_many_segments_proves_and_verifies() {
    let program = memory_program();
    let bytes = bundle_bytes(&program, INPUT, SEGMENT_CYCLES);
    let verified = verify_bytes(&program, &bytes).unwrap();
    let mut executor = Executor::new(program.clone().into(), INPUT.to_vec());
    let exit_code = executor.run().unwrap();
    assert_eq!(verified.exit_code, exit_code);
    assert_eq!(verified.segments as u64, executor.cycles().div_ceil(SEGMENT_CYCLES));
    assert!(verified.segments >= 4);
    // Segments of one cycle each work too (every boundary after every instruction).
    let bytes = bundle_bytes(&alu_program(), &[], 1);
    let mut executor = Executor::new(alu_program().into(), vec![]);
    executor.run().unwrap();
    assert_eq!(verify_bytes(&alu_program(), &bytes).unwrap().segments as u64, executor.cycles());
}

#[test]
fn reordered_dropped_duplicated_or_replaced_segments_are_rejected() {
    let program = memory_program();
    let (_, records) = segment_records(&program, INPUT, None);
    let output = INPUT;
    let n = records.len();
    assert!(n >= 4, "{n} segments");
    let all: Vec<&SegmentRecord> = records.iter().collect();
    assert!(verify_bytes(&program, &file_of(INPUT, output, &all)).is_ok());

    let chain_error = |order: Vec<&SegmentRecord>, what: &str| {
        let verdict = verify_bytes(&program, &file_of(INPUT, output, &order));
        assert!(matches!(verdict, Err(BundleError::Chain { .. })), "{what}: {verdict:?}");
    };
    let mut swapped = all.clone();
    swapped.swap(1, 2);
    chain_error(swapped, "segments 1 and 2 swapped");
    let mut reversed = all.clone();
    reversed.reverse();
    chain_error(reversed, "reversed");
    let mut dropped = all.clone();
    dropped.remove(1);
    chain_error(dropped, "segment 1 dropped");
    let mut dropped_first = all.clone();
    dropped_first.remove(0);
    chain_error(dropped_first, "segment 0 dropped");
    let mut duplicated = all.clone();
    duplicated.insert(2, all[1]);
    chain_error(duplicated, "segment 1 twice");
    let mut after_halt = all.clone();
    after_halt.push(all[n - 1]);
    chain_error(after_halt, "the last segment twice");

    let verdict = verify_bytes(&program, &file_of(INPUT, output, &all[..n - 1]));
    assert!(matches!(verdict, Err(BundleError::NotHalted(_))), "last dropped: {verdict:?}");
    let verdict = verify_bytes(&program, &file_of(INPUT, output, &[]));
    assert!(matches!(verdict, Err(BundleError::Empty)), "{verdict:?}");

    // A run of the same program on other input of the same length: its segments are valid
    // proofs of that other statement, and each one that differs is rejected in this one.
    let (_, other) = segment_records(&program, b"world", None);
    assert_eq!(other.len(), n);
    for k in 0..n {
        let mut replaced = all.clone();
        replaced[k] = &other[k];
        let verdict = verify_bytes(&program, &file_of(INPUT, output, &replaced));
        assert!(verdict.is_err(), "segment {k} replaced by the other run's");
    }
    let other_all: Vec<&SegmentRecord> = other.iter().collect();
    assert!(verify_bytes(&program, &file_of(b"world", b"world", &other_all)).is_ok());
}

#[test]
fn a_changed_boundary_state_is_rejected() {
    let program = memory_program();
    let output = INPUT;
    // Between segments 1 and 2 (cycle 48): the pc, one register, one memory word the program
    // reads later (the data word), or one it never touches again (a code word).
    let changes: [(&str, StateChange<'_>); 4] = [
        ("pc", &|e: &mut Executor| e.state_mut().pc += 4),
        ("x21", &|e: &mut Executor| e.state_mut().regs[21] ^= 1),
        ("data word", &|e: &mut Executor| {
            let memory: &mut Memory = e.memory_mut();
            memory.store_word(super::memory::BUFFER, memory.load_word(super::memory::BUFFER) ^ 0x100);
        }),
        ("untouched word", &|e: &mut Executor| e.memory_mut().store_word(0x5_0000, 7)),
    ];
    for (what, change) in changes {
        let (_, records) = segment_records(&program, INPUT, Some((2, change)));
        let all: Vec<&SegmentRecord> = records.iter().collect();
        let verdict = verify_bytes(&program, &file_of(INPUT, output, &all));
        assert!(matches!(verdict, Err(BundleError::Chain { index: 2, .. })), "{what} changed: {verdict:?}");
    }
}

#[test]
fn a_changed_public_boundary_value_is_rejected() {
    // The same changes made to a segment's public values instead: its proof no longer verifies.
    let program = memory_program();
    let (tables, segment, memory) = run(&program, INPUT);
    let (proof, public) = prove_segment(&tables, &segment, &memory, &ProofParameters::TESTING).unwrap();
    let merkle = air::MERKLE_TABLE;
    for (table, index) in [(air::CPU_TABLE, 6), (merkle, 0), (merkle, 7), (merkle, 8), (merkle, 15)] {
        let mut wrong = public.clone();
        wrong[table][index] += Val::ONE;
        let verdict = verify_segment(&tables, &proof, &wrong, &ProofParameters::TESTING);
        assert!(matches!(verdict, Err(VerifyError::Invalid(_))), "table {table} value {index}: {verdict:?}");
    }
}

#[test]
fn tampering_with_the_memory_merkle_chip_is_rejected() {
    use zkvm_bus::columns::Columns;
    use zkvm_memory::memory_merkle::MemoryMerkleColumns;
    use zkvm_memory::merkle::NodeRow;
    let program = memory_program();
    let (_, _, memory) = run(&program, INPUT);
    let first_leaf = memory.rows.iter().position(|row| matches!(row, NodeRow::Leaf(_))).unwrap();
    let padding = memory.rows.len();
    let cases = [
        (0, "level"),
        (0, "index"),
        (0, "before.input[3]"),
        (0, "after.input[12]"),
        (0, "before.partial[5].x3"),
        (1, "is_root"),
        (1, "level"),
        (1, "index"),
        (1, "after.last_full[3].post[0]"),
        (2, "left_is_node"),
        (2, "right_is_node"),
        (first_leaf, "is_leaf"),
        (first_leaf, "index"),
        (first_leaf, "before.input[0]"),
        (first_leaf, "after.input[15]"),
        (first_leaf, "is_real"),
        (padding, "is_real"),
        (padding, "after.first_full[0].x3[0]"),
    ];
    assert_tampers_rejected_with(
        &program,
        INPUT,
        "memory_merkle",
        &MemoryMerkleColumns::<Val>::names(),
        &cases,
    );
}

#[test]
fn a_segment_of_a_program_that_touches_no_memory_proves() {
    // The alu program never loads or stores: the Merkle chip has only the root row, and the
    // memory root stays the image's.
    let (tables, segment, memory) = run(&alu_program(), &[]);
    assert_eq!(memory.rows.len(), 1);
    let (proof, public) = prove_segment(&tables, &segment, &memory, &ProofParameters::TESTING).unwrap();
    assert_eq!(verify_segment(&tables, &proof, &public, &ProofParameters::TESTING), Ok(()));
    let statement = SegmentStatement::from_public_values(&public).unwrap();
    assert_eq!(statement.memory_root, [tables.image_root; 2]);
}

#[test]
fn an_execution_error_names_its_segment() {
    // The loop of 1000 rounds, cut at 40 cycles, with a cycle limit of 100: segment 2 fails.
    let mut asm = Assembler::new(0x10000);
    asm.i(Opcode::Addi, 1, 0, 1000).i(Opcode::Addi, 1, 1, -1).b(Opcode::Bne, 1, 0, -4).halt();
    let program = asm.program();
    let tables = StatementTables::new(&program, &[], &[]).unwrap();
    let executor = Executor::new(program.clone().into(), vec![]).with_max_cycles(100);
    let options = ProvingOptions { segment_cycles: 40, concurrency: 1 };
    let mut proven = 0;
    let verdict = prove_execution(&tables, executor, &options, &ProofParameters::TESTING, |_, _| {
        proven += 1;
        Ok(())
    });
    match verdict {
        Err(ContinuationError::Execution {
            segment: 2,
            start_cycle: 80,
            error: crate::ExecError::CycleLimit { .. },
        }) => {}
        other => panic!("{other:?}"),
    }
    assert_eq!(proven, 2);
    // An illegal instruction in the third segment.
    let mut asm = Assembler::new(0x10000);
    for _ in 0..50 {
        asm.i(Opcode::Addi, 1, 1, 1);
    }
    asm.word(0xffff_ffff);
    let program = asm.program();
    let tables = StatementTables::new(&program, &[], &[]).unwrap();
    let executor = Executor::new(program.clone().into(), vec![]);
    let options = ProvingOptions { segment_cycles: 20, concurrency: 2 };
    let verdict = prove_execution(&tables, executor, &options, &ProofParameters::TESTING, |_, _| Ok(()));
    assert!(matches!(verdict, Err(ContinuationError::Execution { segment: 2, .. })), "{verdict:?}");
}
