//! Any byte string given to the proof verifier as a proof file yields a verdict (almost always a
//! typed error), never a panic. The program is the loop example guest; a valid proof of it with
//! the testing parameters seeds the corpus (`scripts/fuzz.sh` makes one).
#![no_main]

mod loop_guest;

use libfuzzer_sys::fuzz_target;
use loop_guest::{AGGREGATION, program};
use zkvm_core::prover::{BundleReader, verify_bundle};

fuzz_target!(|data: &[u8]| {
    let parameters = AGGREGATION.segment;
    if let Ok(mut reader) = BundleReader::new(data, &parameters) {
        let _ = verify_bundle(program(), &mut reader, &parameters);
    }
});
