//! Any byte string given as a final-proof file to a verifier that holds the final key yields a
//! verdict (almost always a typed error), never a panic. Where `final_proof` builds the key for
//! every input (which, under instrumentation, costs far more than the fuzzer's time per input),
//! this target builds the key once, at start-up, for the segment shape of the loop example
//! guest run on `ROUNDS`, and checks every input of that shape against it with
//! `verify_run_with_key`: a mutated valid proof then reaches the preprocessed opening's
//! re-creation and Plonky3's verifier. `scripts/fuzz.sh` seeds it with a valid final proof of
//! that run, made on the spot with the testing parameters.
#![no_main]

mod loop_guest;

use std::sync::{Arc, OnceLock};

use libfuzzer_sys::fuzz_target;
use loop_guest::{AGGREGATION, program};
use zkvm_core::Executor;
use zkvm_core::prover::{ProvingOptions, StatementTables, enclosing_shape, execution_shapes};
use zkvm_recursion::node::{FinalKey, decode_final_proof, verify_run_with_key};

/// The input the seed proof's run reads (`scripts/fuzz.sh` writes the same bytes).
const ROUNDS: &[u8] = b"3\n";

/// The final key for the segment shape of the loop guest's run on [`ROUNDS`], cut as `zkvm prove`
/// cuts it by default.
fn key() -> &'static FinalKey {
    static KEY: OnceLock<FinalKey> = OnceLock::new();
    KEY.get_or_init(|| {
        let executor = || Executor::new(Arc::clone(program()), ROUNDS.to_vec());
        let mut run = executor();
        run.run().expect("the loop guest halts");
        let tables =
            StatementTables::new(program(), ROUNDS, &run.io.public_output).expect("the run's tables");
        let shapes =
            execution_shapes(&tables, executor(), &ProvingOptions::default()).expect("the run's shapes");
        let shape = enclosing_shape(&shapes);
        FinalKey::new(&tables, &shape, &AGGREGATION).expect("the final key")
    })
}

fuzz_target!(
    init: {
        key();
    },
    |data: &[u8]| {
        let Ok(file) = decode_final_proof(data, &AGGREGATION) else { return };
        if file.proof.segment_shape != key().segment_shape {
            return;
        }
        let (input, output) = (&file.statement.input, &file.statement.output);
        let Ok(tables) = StatementTables::new(program(), input, output) else { return };
        let entry = program().entry;
        let _ = verify_run_with_key(&tables, entry, input.len(), output.len(), &file.proof, &AGGREGATION, key());
    }
);
