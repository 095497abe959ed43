//! Any byte string given to the proof verifier as a proof file yields a verdict (almost always a
//! typed error), never a panic. The program is the loop example guest; a valid proof of it with
//! the testing parameters seeds the corpus (`scripts/fuzz.sh` makes one).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use zkvm_core::Program;
use zkvm_core::prover::{BundleReader, ProofParameters, verify_bundle};

fn program() -> &'static Program {
    static PROGRAM: OnceLock<Program> = OnceLock::new();
    PROGRAM.get_or_init(|| {
        Program::from_elf(include_bytes!("../../examples/elf/loop.elf")).expect("the example guest loads")
    })
}

fuzz_target!(|data: &[u8]| {
    let parameters = ProofParameters::TESTING;
    if let Ok(mut reader) = BundleReader::new(data, &parameters) {
        let _ = verify_bundle(program(), &mut reader, &parameters);
    }
});
