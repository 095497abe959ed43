//! Any text given as a configuration file yields a configuration or a `FILE:LINE: KEY: reason`
//! error, never a panic (plugin libraries named by `path` are not loaded: the fuzzer would
//! otherwise open arbitrary files).
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkvm_plugins::Config;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if text.contains("path") {
        return;
    }
    match Config::parse(text, "fuzz.toml") {
        Ok(config) => {
            let _ = config.precompiles();
        }
        Err(error) => {
            let _ = error.to_string();
        }
    }
});
