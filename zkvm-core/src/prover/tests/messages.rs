//! Bus messages dropped or duplicated: every chip's row carries its bus messages, so removing a
//! real row (zeroing it into padding) drops them and copying it onto a padding row duplicates
//! them; a lookup table's multiplicity one off drops or duplicates an answer; every selector,
//! flag and multiplicity column changed by one on a row is rejected too.

use super::*;
use crate::abi;

const DATA: u32 = 0x2_0000;
const INPUT: &[u8] = b"abcd";

/// A few events of every instruction family, so that every chip has a real first row and a
/// zero padding row last: a load of an initialized word (the memory image), a store, an input
/// word read and a committed byte.
fn every_chip_program() -> crate::Program {
    let mut asm = Assembler::new(0x10000);
    asm.data(DATA, vec![7, 0, 0, 0]);
    asm.li(1, DATA); // lui + addi: jump and ALU chips
    asm.i(Opcode::Lw, 2, 1, 0); // load_store: x2 = 7
    asm.r(Opcode::Mul, 3, 2, 2); // mul: 49
    asm.r(Opcode::Divu, 4, 3, 2); // divrem: 7
    asm.r(Opcode::Sll, 5, 4, 2); // shift: 7 << 7
    asm.b(Opcode::Bne, 4, 2, 8).i(Opcode::Addi, 5, 5, 1); // branch (not taken), an add
    asm.s(Opcode::Sw, 5, 1, 4); // load_store: a store
    asm.ecall(abi::READ_WORD).i(Opcode::Andi, reg::A0, reg::A0, 0xff).ecall(abi::COMMIT); // commits b'a'
    asm.r(Opcode::Add, reg::A0, 5, 0).i(Opcode::Addi, 0, 0, 0).halt(); // 17 cycles: CPU padding
    asm.program()
}

/// Proves `traces` (changed by the caller) and expects the verifier to reject the proof.
fn assert_rejected(tables: &StatementTables, traces: &SegmentTraces, what: &str) {
    let proof = prove_traces(tables, traces, &ProofParameters::TESTING).unwrap();
    let verdict = verify_segment(tables, &proof, &traces.public_values, &ProofParameters::TESTING);
    assert!(matches!(verdict, Err(VerifyError::Invalid(_))), "{what}: {verdict:?}");
}

/// The chips whose rows each carry one event's messages (the CPU's per cycle, the others' per
/// instruction of their family).
const EVENT_CHIPS: [&str; 9] =
    ["cpu", "alu", "branch", "jump", "mul", "divrem", "shift", "load_store", "ecall"];

#[test]
fn the_program_proves_and_every_event_chip_has_padding() {
    let program = every_chip_program();
    let (tables, segment, memory) = run(&program, INPUT);
    let traces = generate_traces(&tables, &segment, &memory).unwrap();
    for name in EVENT_CHIPS {
        let trace = &traces.traces[table(name)];
        let last = trace.values.len() - trace.width;
        assert!(trace.values[..trace.width].iter().any(|v| *v != Val::ZERO), "{name}: row 0 is real");
        assert!(trace.values[last..].iter().all(|v| *v == Val::ZERO), "{name}: last row is padding");
    }
    assert_proves_and_verifies(&program, INPUT);
}

/// Applies `change` to each event chip's trace (its cells and width) in turn, proves, and
/// expects the verifier to reject the proof.
fn assert_each_event_chip_rejected(what: &str, change: impl Fn(&mut Vec<Val>, usize)) {
    let (tables, segment, memory) = run(&every_chip_program(), INPUT);
    let valid = generate_traces(&tables, &segment, &memory).unwrap();
    for name in EVENT_CHIPS {
        let mut traces =
            SegmentTraces { traces: valid.traces.clone(), public_values: valid.public_values.clone() };
        let trace = &mut traces.traces[table(name)];
        let width = trace.width;
        change(&mut trace.values, width);
        assert_rejected(&tables, &traces, &format!("{name}: {what}"));
    }
}

#[test]
fn a_dropped_event_row_is_rejected() {
    assert_each_event_chip_rejected("first row dropped", |values, width| values[..width].fill(Val::ZERO));
}

#[test]
fn a_duplicated_event_row_is_rejected() {
    assert_each_event_chip_rejected("first row duplicated onto the last", |values, width| {
        let last = values.len() - width;
        values.copy_within(..width, last);
    });
}

#[test]
fn a_lookup_answer_dropped_or_duplicated_is_rejected() {
    let (tables, segment, memory) = run(&every_chip_program(), INPUT);
    let valid = generate_traces(&tables, &segment, &memory).unwrap();
    // Each lookup table's multiplicity is its first main column.
    for name in ["program", "byte_table", "range16", "io_table"] {
        let index = table(name);
        let width = valid.traces[index].width;
        let used = (0..valid.traces[index].values.len() / width)
            .find(|row| valid.traces[index].values[row * width] != Val::ZERO)
            .unwrap_or_else(|| panic!("{name}: no row answers a query"));
        for (change, what) in [(-Val::ONE, "dropped"), (Val::ONE, "duplicated")] {
            let mut traces =
                SegmentTraces { traces: valid.traces.clone(), public_values: valid.public_values.clone() };
            traces.traces[index].values[used * width] += change;
            assert_rejected(&tables, &traces, &format!("{name} row {used}: one answer {what}"));
        }
    }
}

/// Whether a column is a selector, a flag or a multiplicity: the columns that decide which
/// messages a row sends and how often.
fn is_selector_or_multiplicity(name: &str) -> bool {
    name.starts_with("is_")
        || name.starts_with("multiplicity")
        || matches!(name, "rd_nonzero" | "left_is_node" | "right_is_node")
}

#[test]
fn every_selector_and_multiplicity_column_is_bound() {
    let (tables, segment, memory) = run(&every_chip_program(), INPUT);
    let valid = generate_traces(&tables, &segment, &memory).unwrap();
    let spec = machine_spec();
    let mut checked = 0;
    for chip in &spec.chips {
        let trace = &valid.traces[chip.table];
        let width = trace.width;
        for (column, name) in chip.main_columns.iter().enumerate() {
            if !is_selector_or_multiplicity(name) {
                continue;
            }
            // A multiplicity is changed where it is in use, a selector on the first (real) row.
            let rows = trace.values.len() / width;
            let row = if name.starts_with("multiplicity") {
                (0..rows).find(|r| trace.values[r * width + column] != Val::ZERO).unwrap_or(0)
            } else {
                0
            };
            let mut traces =
                SegmentTraces { traces: valid.traces.clone(), public_values: valid.public_values.clone() };
            let cell = &mut traces.traces[chip.table].values[row * width + column];
            *cell = if *cell == Val::ZERO { Val::ONE } else { *cell - Val::ONE };
            assert_rejected(&tables, &traces, &format!("{} row {row} {name}", chip.name));
            checked += 1;
        }
    }
    assert!(checked >= 60, "only {checked} selector and multiplicity columns found");
}
