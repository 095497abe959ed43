//! Support for testing chips and precompiles (this crate's tests, plugin authors' tests): run a
//! program as one segment, and check that changing any chosen cell of a valid trace makes the
//! proof fail to verify.

use std::sync::Arc;

use p3_field::PrimeCharacteristicRing;
use zkvm_memory::merkle::TreeUpdate;

use super::{
    ProofParameters, SegmentTraces, StatementTables, Val, VerifyError, generate_traces, image_tree,
    prove_traces, verify_segment,
};
use crate::Program;
use crate::executor::{Executor, SegmentTrace, Tracer};
use crate::precompile::PrecompileSet;

/// Runs `program` on `input` with `precompiles` as one segment (at most 2^21 cycles; panics
/// otherwise, or if the program fails: this is test support) and returns the statement's tables,
/// the segment and the memory tree's update by it.
pub fn run_segment(
    program: &Program,
    input: &[u8],
    precompiles: &Arc<PrecompileSet>,
) -> (StatementTables, SegmentTrace, TreeUpdate) {
    let executor =
        Executor::new(Arc::new(program.clone()), input.to_vec()).with_precompiles(Arc::clone(precompiles));
    let mut tracer = Tracer::new(executor, zkvm_memory::MAX_SEGMENT_CYCLES);
    let segment = tracer.next_segment().expect("the program runs").expect("the program has a segment");
    let memory = image_tree(program).update(&segment.leaves).expect("the segment's leaves are consistent");
    let output = tracer.into_executor().io.public_output;
    let tables = StatementTables::new(program, input, &output)
        .expect("the program has tables")
        .with_precompiles(Arc::clone(precompiles))
        .expect("the precompiles' constraints are well formed");
    (tables, segment, memory)
}

/// For each `(row, column name)` of `cases`, changes that cell of table `table` (0 becomes 1,
/// anything else decreases by 1), proves the changed traces with the testing parameters and
/// asserts the verifier rejects the proof. `names` are the table's column names.
pub fn assert_tampers_rejected(
    (tables, segment, memory): &(StatementTables, SegmentTrace, TreeUpdate),
    table: usize,
    names: &[String],
    cases: &[(usize, &str)],
) {
    let parameters = ProofParameters::TESTING;
    let valid = generate_traces(tables, segment, memory).expect("the segment has traces");
    for &(row, name) in cases {
        let column = names.iter().position(|n| n == name).unwrap_or_else(|| panic!("no column {name}"));
        let mut traces =
            SegmentTraces { traces: valid.traces.clone(), public_values: valid.public_values.clone() };
        let width = traces.traces[table].width;
        let cell = &mut traces.traces[table].values[row * width + column];
        *cell = if *cell == Val::ZERO { Val::ONE } else { *cell - Val::ONE };
        let proof = prove_traces(tables, &traces, &parameters).expect("tampered traces still prove");
        let verdict = verify_segment(tables, &proof, &traces.public_values, &parameters);
        assert!(matches!(verdict, Err(VerifyError::Invalid(_))), "row {row} {name}: {verdict:?}");
    }
}
