//! What the verifier targets share: the loop example guest they check proofs of, and the test
//! parameters of every proof in its aggregation tree (the parameters `zkvm prove
//! --insecure-test-parameters` makes the seed proofs with).

use std::sync::{Arc, OnceLock};

use zkvm_core::Program;
use zkvm_core::prover::ProofParameters;
use zkvm_recursion::node::{AggregationParameters, Topology};

/// The loop example guest, loaded once.
pub fn program() -> &'static Arc<Program> {
    static PROGRAM: OnceLock<Arc<Program>> = OnceLock::new();
    PROGRAM.get_or_init(|| {
        let elf = include_bytes!("../../examples/elf/loop.elf");
        Arc::new(Program::from_elf(elf).expect("the example guest loads"))
    })
}

/// The test parameters for segments, nodes and the final node, at arity 2.
pub const AGGREGATION: AggregationParameters = AggregationParameters {
    segment: ProofParameters::TESTING,
    node: ProofParameters::TESTING,
    final_proof: ProofParameters::TESTING,
    topology: Topology { arity: 2 },
};
