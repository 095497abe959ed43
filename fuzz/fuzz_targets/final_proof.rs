//! Any byte string given to the final-proof verifier as a final-proof file yields a typed error
//! (or, for a real proof, a verdict), never a panic. The program is the loop example guest and
//! the parameters are the test parameters everywhere; a decoded file's statement (input and
//! output) builds the tables the proof is checked against, as `zkvm verify` does.
#![no_main]

mod loop_guest;

use libfuzzer_sys::fuzz_target;
use loop_guest::{AGGREGATION, program};
use zkvm_core::prover::StatementTables;
use zkvm_recursion::node::{decode_final_proof, verify_run};

fuzz_target!(|data: &[u8]| {
    let Ok(file) = decode_final_proof(data, &AGGREGATION) else { return };
    let Ok(tables) = StatementTables::new(program(), &file.statement.input, &file.statement.output) else {
        return;
    };
    let (input, output) = (file.statement.input.len(), file.statement.output.len());
    let _ = verify_run(&tables, program().entry, input, output, &file.proof, &AGGREGATION);
});
