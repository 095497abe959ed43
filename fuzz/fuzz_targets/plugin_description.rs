//! Any bytes a plugin library could return as its description are refused with a message or
//! accepted, never a panic: parsed, checked as the loader checks them, and each precompile's
//! chip built as the host builds it (its constraints checked against the frame).
#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use zkvm_core::precompile::{Precompile, PrecompileChip};
use zkvm_core::prover::Val;
use zkvm_plugin_api::abi::{PluginDescription, PrecompileDescription};
use zkvm_plugin_api::constraints::ConstraintSystem;
use zkvm_plugin_api::frame::FrameLayout;

/// A described precompile without a library behind it (its function is never called here).
struct Described(PrecompileDescription);

impl Precompile for Described {
    fn name(&self) -> &str {
        &self.0.name
    }
    fn words(&self) -> usize {
        self.0.words
    }
    fn compute(&self, input: &[u32]) -> Result<Vec<u32>, String> {
        Ok(input.to_vec())
    }
    fn compute_width(&self) -> usize {
        self.0.compute_width
    }
    fn compute_column_names(&self) -> Vec<String> {
        self.0.column_names.clone()
    }
    fn constraints(&self, _layout: &FrameLayout) -> ConstraintSystem {
        self.0.constraints.clone()
    }
    fn compute_trace(&self, _inputs: &[Vec<u32>], _height: usize) -> Result<Vec<Val>, String> {
        Err("not in the fuzzer".into())
    }
    fn rows_per_call(&self) -> usize {
        self.0.rows_per_call
    }
    fn block_flags(&self) -> Option<(usize, usize)> {
        self.0.block_flags
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(description) = PluginDescription::from_json(data) else { return };
    if zkvm_plugins::dynamic::check_description(&description).is_err() {
        return;
    }
    for precompile in description.precompiles {
        let _ = PrecompileChip::new(0x100, Arc::new(Described(precompile)));
    }
});
