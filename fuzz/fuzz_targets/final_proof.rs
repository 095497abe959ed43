//! Any byte string given to the final-proof verifier as a final-proof file yields a typed error
//! (or, for a real proof, a verdict), never a panic. The program is the loop example guest and
//! the parameters are the test parameters everywhere; a decoded file's statement (input and
//! output) builds the tables the proof is checked against, as `zkvm verify` does.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use zkvm_core::Program;
use zkvm_core::prover::{ProofParameters, StatementTables};
use zkvm_recursion::node::{AggregationParameters, Topology, decode_final_proof, verify_run};

fn program() -> &'static Program {
    static PROGRAM: OnceLock<Program> = OnceLock::new();
    PROGRAM.get_or_init(|| {
        Program::from_elf(include_bytes!("../../examples/elf/loop.elf")).expect("the example guest loads")
    })
}

const PARAMETERS: AggregationParameters = AggregationParameters {
    segment: ProofParameters::TESTING,
    node: ProofParameters::TESTING,
    final_proof: ProofParameters::TESTING,
    topology: Topology { arity: 2 },
};

fuzz_target!(|data: &[u8]| {
    let Ok(file) = decode_final_proof(data, &PARAMETERS) else { return };
    let Ok(tables) = StatementTables::new(program(), &file.statement.input, &file.statement.output) else {
        return;
    };
    let (input, output) = (file.statement.input.len(), file.statement.output.len());
    let _ = verify_run(&tables, program().entry, input, output, &file.proof, &PARAMETERS);
});
