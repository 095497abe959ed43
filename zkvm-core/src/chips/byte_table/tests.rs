//! The byte table answers exactly the byte operations it lists.

use zkvm_bus::ByteOperation;

use super::{ByteCounts, ByteTableChip, ByteTableColumns, ByteTablePreprocessed};
use crate::chips::columns::Columns;
use crate::chips::testing::{Outcome, TestAir, Val, prove_and_verify, query_trace};

/// Queries (op, a, b) with their true results, after `tamper` edits the queries or counts.
fn run(
    queries: &[(ByteOperation, u8, u8)],
    tamper: impl FnOnce(&mut ByteCounts, &mut Vec<Vec<u32>>),
) -> (bool, Outcome) {
    let mut counts = ByteCounts::default();
    let mut rows: Vec<Vec<u32>> = queries
        .iter()
        .map(|&(op, a, b)| {
            let result = counts.add(op, a, b);
            vec![op as u32, u32::from(a), u32::from(b), u32::from(result)]
        })
        .collect();
    tamper(&mut counts, &mut rows);
    let airs = [TestAir::ByteTable(ByteTableChip), TestAir::ByteQueries];
    prove_and_verify(&airs, &[counts.trace::<Val>(), query_trace(&rows, 5)])
}

const QUERIES: [(ByteOperation, u8, u8); 8] = [
    (ByteOperation::Range, 0, 255),
    (ByteOperation::And, 0xf0, 0x3c),
    (ByteOperation::Or, 0xf0, 0x0f),
    (ByteOperation::Xor, 0xff, 0x0f),
    (ByteOperation::LessThan, 3, 200),
    (ByteOperation::LessThan, 200, 3),
    (ByteOperation::LessThan, 7, 7),
    (ByteOperation::And, 0xf0, 0x3c),
];

#[test]
fn valid_queries_verify() {
    assert_eq!(run(&QUERIES, |_, _| {}), (true, Outcome::Accepted));
}

#[test]
fn a_wrong_result_is_rejected() {
    // 0xf0 & 0x3c = 0x30; claim 0x31.
    assert_eq!(run(&QUERIES, |_, rows| rows[1][3] = 0x31), (false, Outcome::Rejected));
    // 7 < 7 is false; claim true.
    assert_eq!(run(&QUERIES, |_, rows| rows[6][3] = 1), (false, Outcome::Rejected));
}

#[test]
fn an_operand_that_is_not_a_byte_is_rejected() {
    assert_eq!(run(&QUERIES, |_, rows| rows[0][1] = 256), (false, Outcome::Rejected));
}

#[test]
fn an_unknown_operation_is_rejected() {
    assert_eq!(run(&QUERIES, |_, rows| rows[0][0] = 5), (false, Outcome::Rejected));
}

#[test]
fn a_wrong_multiplicity_is_rejected() {
    let outcome = run(&QUERIES, |counts, _| {
        counts.add(ByteOperation::Xor, 1, 2);
    });
    assert_eq!(outcome, (false, Outcome::Rejected));
}

#[test]
fn layout_names_every_column() {
    assert_eq!(ByteTableColumns::<Val>::WIDTH, ByteOperation::ALL.len());
    assert_eq!(ByteTableColumns::<Val>::names().len(), ByteTableColumns::<Val>::WIDTH);
    assert_eq!(ByteTablePreprocessed::<Val>::names().len(), ByteTablePreprocessed::<Val>::WIDTH);
    assert_eq!(ByteTableColumns::<Val>::names()[4], "multiplicity_less_than");
}

#[test]
fn readme_lists_every_interaction() {
    crate::chips::testing::assert_readme_lists_interactions(
        include_str!("README.md"),
        "byte-table",
        &TestAir::ByteTable(ByteTableChip),
        &ByteTableColumns::<Val>::names(),
        &ByteTablePreprocessed::<Val>::names(),
    );
}
