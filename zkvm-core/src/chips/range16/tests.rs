//! The range table answers valid queries and nothing else.

use super::{Range16Chip, Range16Columns, Range16Counts, Range16Preprocessed};
use crate::chips::columns::Columns;
use crate::chips::testing::{Outcome, TestAir, Val, prove_and_verify, query_trace};

fn run(values: &[u32], tamper: impl FnOnce(&mut Range16Counts, &mut Vec<Vec<u32>>)) -> (bool, Outcome) {
    let mut counts = Range16Counts::default();
    let mut queries: Vec<Vec<u32>> = values.iter().map(|&v| vec![v]).collect();
    for &v in values {
        counts.add(v);
    }
    tamper(&mut counts, &mut queries);
    let airs = [TestAir::Range16(Range16Chip), TestAir::RangeQueries];
    prove_and_verify(&airs, &[counts.trace::<Val>(), query_trace(&queries, 2)])
}

#[test]
fn valid_queries_verify() {
    assert_eq!(run(&[0, 1, 65535, 300, 300, 4096], |_, _| {}), (true, Outcome::Accepted));
}

#[test]
fn a_value_above_16_bits_is_rejected() {
    // The query says 65536; the table has no such row.
    let outcome = run(&[5, 6], |_, queries| queries[1][0] = 65536);
    assert_eq!(outcome, (false, Outcome::Rejected));
}

#[test]
fn a_wrong_multiplicity_is_rejected() {
    let mut tampered = Range16Counts::default();
    tampered.add(300); // one query of 300 too many claimed
    let outcome = run(&[300, 7], |counts, _| counts.add(300));
    assert_eq!(outcome, (false, Outcome::Rejected));
    let outcome = run(&[300, 7], |counts, _| *counts = tampered);
    assert_eq!(outcome, (false, Outcome::Rejected), "multiplicity of 7 dropped, 300 claimed once");
}

#[test]
fn layout_names_every_column() {
    assert_eq!(Range16Columns::<Val>::WIDTH, 1);
    assert_eq!(Range16Columns::<Val>::names(), ["multiplicity"]);
    assert_eq!(Range16Preprocessed::<Val>::names(), ["value"]);
}

#[test]
fn readme_lists_every_interaction() {
    crate::chips::testing::assert_readme_lists_interactions(
        include_str!("README.md"),
        "range16",
        &TestAir::Range16(Range16Chip),
        &Range16Columns::<Val>::names(),
        &Range16Preprocessed::<Val>::names(),
    );
}
