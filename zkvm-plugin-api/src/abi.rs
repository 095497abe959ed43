//! The shared-library interface of a plugin loaded at run time.
//!
//! A plugin library (a `cdylib`) exports four C functions, looked up by these names:
//!
//! | symbol | signature | does |
//! |---|---|---|
//! | [`SYMBOL_ABI_VERSION`] | [`AbiVersionFn`] | returns the [`ABI_VERSION`] it was built against |
//! | [`SYMBOL_DESCRIBE`] | [`DescribeFn`] | writes its [`PluginDescription`] as JSON |
//! | [`SYMBOL_COMPUTE`] | [`ComputeFn`] | runs precompile `index` on one input (the executor) |
//! | [`SYMBOL_COMPUTE_TRACE`] | [`ComputeTraceFn`] | writes the compute columns of a trace |
//!
//! The host checks the version first and refuses a library built against another one (or
//! missing a symbol) with an error naming it. Everything else crosses the boundary as plain
//! bytes and `u32`s, so the plugin may be built by another compiler version. The constraints are
//! data in the description: the host checks and evaluates them itself.

use serde::{Deserialize, Serialize};

use crate::constraints::ConstraintSystem;

/// The version of this interface; a library reporting another one is refused.
pub const ABI_VERSION: u32 = 1;

/// Name of the version function.
pub const SYMBOL_ABI_VERSION: &str = "zkvm_plugin_abi_version";
/// Name of the description function.
pub const SYMBOL_DESCRIBE: &str = "zkvm_plugin_describe";
/// Name of the compute function.
pub const SYMBOL_COMPUTE: &str = "zkvm_plugin_compute";
/// Name of the trace function.
pub const SYMBOL_COMPUTE_TRACE: &str = "zkvm_plugin_compute_trace";

/// Returns the plugin's [`ABI_VERSION`].
pub type AbiVersionFn = unsafe extern "C" fn() -> u32;
/// Writes the plugin's description (JSON of [`PluginDescription`]) into `buffer` (capacity
/// `capacity` bytes) and returns its length; when it is longer than `capacity`, writes nothing
/// and returns the length needed.
pub type DescribeFn = unsafe extern "C" fn(buffer: *mut u8, capacity: usize) -> usize;
/// Runs precompile `index` on the `words` words at `input`, writing `words` words to `output`;
/// returns 0, or a nonzero code when it cannot.
pub type ComputeFn =
    unsafe extern "C" fn(index: u32, input: *const u32, words: usize, output: *mut u32) -> i32;
/// Writes the compute columns (canonical field elements as `u32`, row-major,
/// `height * compute_width` of them) of a trace of precompile `index` with `calls` inputs of
/// `words` words each at `inputs` (see the host's `Precompile::compute_trace`); returns 0, or a
/// nonzero code.
pub type ComputeTraceFn = unsafe extern "C" fn(
    index: u32,
    inputs: *const u32,
    calls: usize,
    height: usize,
    output: *mut u32,
) -> i32;

/// One ecall a plugin handles.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EcallDescription {
    /// Its name (the config's key for its number).
    pub name: String,
    /// The number used when the config sets none.
    pub default_number: u32,
    /// What it does.
    pub summary: String,
}

/// One precompile of a plugin: the call it answers and its chip.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrecompileDescription {
    /// The ecall it answers (one of the plugin's).
    pub call: String,
    /// Its chip's name.
    pub name: String,
    /// Words read and written per call.
    pub words: usize,
    /// Compute columns after the frame.
    pub compute_width: usize,
    /// Names of the compute columns.
    pub column_names: Vec<String>,
    /// Rows per call.
    pub rows_per_call: usize,
    /// Compute-column indices of the block's first- and last-row flags (multi-row only).
    pub block_flags: Option<(usize, usize)>,
    /// The constraints over `[frame | compute]`, the frame being `FrameLayout { words }`.
    pub constraints: ConstraintSystem,
}

/// Everything a plugin library declares.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PluginDescription {
    /// The plugin's name (the config's section must use it).
    pub name: String,
    /// Its version.
    pub version: String,
    /// What it adds.
    pub summary: String,
    /// Its ecalls.
    pub ecalls: Vec<EcallDescription>,
    /// Its precompiles, one per ecall.
    pub precompiles: Vec<PrecompileDescription>,
}

impl PluginDescription {
    /// The description as the JSON bytes [`DescribeFn`] writes.
    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("plain data serialises")
    }

    /// Parses the bytes a library's [`DescribeFn`] wrote.
    pub fn from_json(bytes: &[u8]) -> Result<Self, String> {
        serde_json::from_slice(bytes).map_err(|e| e.to_string())
    }
}
