//! The program table answers fetches of the program's own instructions and nothing else.

use super::{FetchCounts, ProgramChip, ProgramColumns, ProgramError, ProgramPreprocessed};
use crate::asm::Assembler;
use crate::chips::columns::Columns;
use crate::chips::testing::{Outcome, TestAir, Val, prove_and_verify, query_trace};
use crate::elf::ElfWriter;
use crate::isa::{Opcode, reg};
use crate::{Executor, Program, Tracer};

fn program() -> Program {
    let mut asm = Assembler::new(0x10000);
    asm.li(1, 3).i(Opcode::Addi, 1, 1, -1).b(Opcode::Bne, 1, 0, -4).li(reg::A0, 0x12345).halt();
    asm.program()
}

/// Fetch queries for every executed instruction of `program`, as the CPU will send them.
fn fetches(program: &Program) -> Vec<Vec<u32>> {
    let mut tracer = Tracer::new(Executor::new(program.clone().into(), vec![]), 1 << 20);
    let segment = tracer.next_segment().unwrap().unwrap();
    segment
        .cycles
        .iter()
        .map(|event| super::fetch_row(event.step.pc, &event.step.instruction).to_vec())
        .collect()
}

fn run(
    program: &Program,
    tamper: impl FnOnce(&mut FetchCounts, &ProgramChip, &mut Vec<Vec<u32>>),
) -> (bool, Outcome) {
    let chip = ProgramChip::new(program).unwrap();
    let mut queries = fetches(program);
    let mut counts = FetchCounts::new(&chip);
    for query in &queries {
        counts.add(&chip, query[0]);
    }
    tamper(&mut counts, &chip, &mut queries);
    let trace = counts.trace::<Val>(&chip);
    prove_and_verify(&[TestAir::Program(chip), TestAir::ProgramQueries], &[trace, query_trace(&queries, 11)])
}

#[test]
fn the_programs_own_fetches_verify() {
    assert_eq!(run(&program(), |_, _, _| {}), (true, Outcome::Accepted));
}

#[test]
fn a_fetch_with_another_instruction_is_rejected() {
    // Claim the addi at 0x10004 is an xori; then another immediate byte; another register;
    // that it writes no register.
    for field in [1, 5, 2, 9] {
        let outcome = run(&program(), |_, _, queries| queries[1][field] ^= 1);
        assert_eq!(outcome, (false, Outcome::Rejected), "field {field}");
    }
}

#[test]
fn a_fetch_outside_the_program_is_rejected() {
    let outcome = run(&program(), |_, _, queries| queries[2][0] += 4 * 100);
    assert_eq!(outcome, (false, Outcome::Rejected));
}

#[test]
fn a_wrong_multiplicity_is_rejected() {
    let outcome = run(&program(), |counts, chip, _| counts.add(chip, 0x10004));
    assert_eq!(outcome, (false, Outcome::Rejected));
}

#[test]
fn another_program_gives_another_table() {
    let mut other = Assembler::new(0x10000);
    other.li(1, 3).i(Opcode::Addi, 1, 1, -2).b(Opcode::Bne, 1, 0, -4).li(reg::A0, 0x12345).halt();
    let (a, b) = (ProgramChip::new(&program()).unwrap(), ProgramChip::new(&other.program()).unwrap());
    assert_ne!(a, b);
    let ta = p3_air::BaseAir::<Val>::preprocessed_trace(&a).unwrap();
    let tb = p3_air::BaseAir::<Val>::preprocessed_trace(&b).unwrap();
    assert_ne!(ta.values, tb.values);
}

#[test]
fn code_above_the_field_modulus_is_refused() {
    let elf = ElfWriter::new(0x7800_0000).code(0x7800_0000, &[0x13]).build();
    let program = Program::from_elf(&elf).unwrap();
    assert_eq!(ProgramChip::new(&program), Err(ProgramError::CodeTooHigh { pc: 0x7800_0000 }));
}

#[test]
fn layout_and_readme() {
    assert_eq!(ProgramPreprocessed::<Val>::names().len(), ProgramPreprocessed::<Val>::WIDTH);
    crate::chips::testing::assert_readme_lists_interactions(
        include_str!("README.md"),
        "program",
        &TestAir::Program(ProgramChip::new(&program()).unwrap()),
        &ProgramColumns::<Val>::names(),
        &ProgramPreprocessed::<Val>::names(),
    );
}
