//! Plugins loaded at run time from a shared library (`libloading`), through the C interface of
//! `zkvm_plugin_api::abi`: a version handshake, a JSON description (ecalls, and each
//! precompile's shape, column names and constraints as data), and two compute entry points.
//!
//! Loading a library runs its code in this process: only load libraries you trust to be what
//! the config says. What the library *claims* is not trusted: its constraints are checked and
//! evaluated by the host, so a library whose traces violate them yields rejected proofs.

// Opening a library and calling its functions is foreign code; each call states its contract.
#![allow(unsafe_code)]

use std::path::Path;
use std::sync::Arc;

use libloading::Library;
use thiserror::Error;
use zkvm_core::precompile::{ConstraintSystem, FrameLayout, Precompile};
use zkvm_core::prover::Val;
use zkvm_plugin_api::FIELD_MODULUS;
use zkvm_plugin_api::abi::{
    ABI_VERSION, AbiVersionFn, ComputeFn, ComputeTraceFn, DescribeFn, PluginDescription,
    PrecompileDescription, SYMBOL_ABI_VERSION, SYMBOL_COMPUTE, SYMBOL_COMPUTE_TRACE, SYMBOL_DESCRIBE,
};

use crate::plugin::{ChipInfo, EcallSpec, Plugin};

/// Largest description a library may write (its constraints included).
const MAX_DESCRIPTION_BYTES: usize = 1 << 28;

/// Why a library could not be loaded as a plugin.
#[derive(Debug, Error)]
pub enum LoadError {
    /// The file cannot be opened as a shared library.
    #[error("cannot load {path}: {message}")]
    Open {
        /// The library's path.
        path: String,
        /// The loader's message.
        message: String,
    },
    /// The library lacks one of the plugin interface's functions.
    #[error("{path} is not a zkvm plugin: it has no `{symbol}` function")]
    MissingSymbol {
        /// The library's path.
        path: String,
        /// The missing function.
        symbol: &'static str,
    },
    /// The library was built against another version of the plugin interface.
    #[error("{path} was built for plugin ABI version {found}; this zkvm loads version {expected}")]
    AbiVersion {
        /// The library's path.
        path: String,
        /// The version it reports.
        found: u32,
        /// The version this build speaks.
        expected: u32,
    },
    /// The description is malformed or inconsistent.
    #[error("{path}: malformed plugin description: {message}")]
    Description {
        /// The library's path.
        path: String,
        /// What is wrong.
        message: String,
    },
}

/// A plugin loaded from a shared library. It stays loaded for the life of the process.
pub struct DynamicPlugin {
    name: &'static str,
    version: &'static str,
    summary: &'static str,
    ecalls: &'static [EcallSpec],
    precompiles: Vec<(String, Arc<dyn Precompile>)>,
    chips: Vec<ChipInfo>,
}

/// One precompile of a loaded library.
struct DynamicPrecompile {
    _library: Arc<Library>,
    index: u32,
    description: PrecompileDescription,
    compute: ComputeFn,
    compute_trace: ComputeTraceFn,
}

fn leak(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}

/// Looks up `symbol` in `library` as a function of type `T`.
fn function<T: Copy>(library: &Library, path: &str, symbol: &'static str) -> Result<T, LoadError> {
    // SAFETY: `T` is the function type the plugin interface (`zkvm_plugin_api::abi`) gives the
    // symbol of this name; a library exporting it with another type breaks that contract.
    let found = unsafe { library.get::<T>(symbol.as_bytes()) };
    found.map(|f| *f).map_err(|_| LoadError::MissingSymbol { path: path.to_string(), symbol })
}

/// Loads the plugin library at `path`: checks the interface version, reads and checks the
/// description, and resolves the compute functions.
pub fn load(path: &Path) -> Result<&'static DynamicPlugin, LoadError> {
    let shown = path.display().to_string();
    // SAFETY: opening a library runs its initialisers; the config names this file explicitly
    // as a plugin to load (see the module's documentation).
    let library = unsafe { Library::new(path) }
        .map_err(|e| LoadError::Open { path: shown.clone(), message: e.to_string() })?;
    let library = Arc::new(library);

    let version: AbiVersionFn = function(&library, &shown, SYMBOL_ABI_VERSION)?;
    // SAFETY: the version function takes nothing and returns a u32 (interface contract).
    let found = unsafe { version() };
    if found != ABI_VERSION {
        return Err(LoadError::AbiVersion { path: shown, found, expected: ABI_VERSION });
    }

    let describe: DescribeFn = function(&library, &shown, SYMBOL_DESCRIBE)?;
    let malformed = |message: String| LoadError::Description { path: shown.clone(), message };
    // SAFETY: a null buffer of capacity 0 asks for the length only (interface contract).
    let length = unsafe { describe(std::ptr::null_mut(), 0) };
    if length > MAX_DESCRIPTION_BYTES {
        return Err(malformed(format!("{length} bytes")));
    }
    let mut bytes = vec![0u8; length];
    // SAFETY: `bytes` has room for `length` bytes, which the library said it needs.
    let written = unsafe { describe(bytes.as_mut_ptr(), bytes.len()) };
    if written != length {
        return Err(malformed(format!("the description changed length ({length} then {written} bytes)")));
    }
    let description = PluginDescription::from_json(&bytes).map_err(malformed)?;
    let compute: ComputeFn = function(&library, &shown, SYMBOL_COMPUTE)?;
    let compute_trace: ComputeTraceFn = function(&library, &shown, SYMBOL_COMPUTE_TRACE)?;

    check_description(&description).map_err(malformed)?;

    let mut precompiles = Vec::new();
    let mut chips = Vec::new();
    for (index, precompile) in description.precompiles.iter().enumerate() {
        chips.push(ChipInfo {
            name: precompile.name.clone(),
            summary: format!("precompile {} of plugin {}", precompile.name, description.name),
            buses: crate::plugin::FRAME_BUSES.map(String::from).to_vec(),
        });
        let dynamic = DynamicPrecompile {
            _library: Arc::clone(&library),
            index: index as u32,
            description: precompile.clone(),
            compute,
            compute_trace,
        };
        precompiles.push((precompile.call.clone(), Arc::new(dynamic) as Arc<dyn Precompile>));
    }
    let ecalls: Vec<EcallSpec> = description
        .ecalls
        .iter()
        .map(|call| EcallSpec {
            name: leak(call.name.clone()),
            default_number: call.default_number,
            configurable: true,
            summary: leak(call.summary.clone()),
        })
        .collect();
    let plugin = DynamicPlugin {
        name: leak(description.name),
        version: leak(description.version),
        summary: leak(description.summary),
        ecalls: Box::leak(ecalls.into_boxed_slice()),
        precompiles,
        chips,
    };
    Ok(Box::leak(Box::new(plugin)))
}

/// Checks what a library's description claims before anything is built from it: every
/// precompile answers one of the plugin's calls and has a shape within the host's limits with
/// one name per compute column. (Its constraints are checked when its chip is built.)
pub fn check_description(description: &PluginDescription) -> Result<(), String> {
    for precompile in &description.precompiles {
        if !description.ecalls.iter().any(|call| call.name == precompile.call) {
            return Err(format!("precompile {} answers unknown call {}", precompile.name, precompile.call));
        }
        let within = zkvm_plugin_api::constraints::shape_within_limits(
            precompile.words,
            precompile.compute_width,
            precompile.rows_per_call,
        );
        if !within || precompile.column_names.len() != precompile.compute_width {
            return Err(format!("precompile {} has an inconsistent shape", precompile.name));
        }
    }
    Ok(())
}

impl Plugin for DynamicPlugin {
    fn name(&self) -> &'static str {
        self.name
    }

    fn version(&self) -> &'static str {
        self.version
    }

    fn summary(&self) -> &'static str {
        self.summary
    }

    fn ecalls(&self) -> &'static [EcallSpec] {
        self.ecalls
    }

    fn chips(&self) -> Vec<ChipInfo> {
        self.chips.clone()
    }

    fn precompile(&self, call: &str, _params: &toml::Table) -> Option<Arc<dyn Precompile>> {
        self.precompiles.iter().find(|(name, _)| name == call).map(|(_, precompile)| Arc::clone(precompile))
    }
}

impl Precompile for DynamicPrecompile {
    fn name(&self) -> &str {
        &self.description.name
    }

    fn words(&self) -> usize {
        self.description.words
    }

    fn compute(&self, input: &[u32]) -> Result<Vec<u32>, String> {
        let words = self.description.words;
        if input.len() != words {
            return Err(format!("{} input words for {words}", input.len()));
        }
        let mut output = vec![0u32; words];
        // SAFETY: `input` and `output` hold `words` words each, as the interface requires.
        let code = unsafe { (self.compute)(self.index, input.as_ptr(), words, output.as_mut_ptr()) };
        if code != 0 {
            return Err(format!("the plugin's compute function failed with code {code}"));
        }
        Ok(output)
    }

    fn compute_width(&self) -> usize {
        self.description.compute_width
    }

    fn compute_column_names(&self) -> Vec<String> {
        self.description.column_names.clone()
    }

    fn constraints(&self, layout: &FrameLayout) -> ConstraintSystem {
        debug_assert_eq!(layout.words, self.description.words);
        self.description.constraints.clone()
    }

    fn compute_trace(&self, inputs: &[Vec<u32>], height: usize) -> Result<Vec<Val>, String> {
        let words = self.description.words;
        if inputs.iter().any(|input| input.len() != words) {
            return Err("an input of the wrong length".into());
        }
        let flat: Vec<u32> = inputs.iter().flatten().copied().collect();
        let mut values = vec![0u32; height * self.description.compute_width];
        // SAFETY: `flat` holds `inputs.len()` inputs of `words` words; `values` has room for
        // `height` rows of the compute columns, as the interface requires.
        let code = unsafe {
            (self.compute_trace)(self.index, flat.as_ptr(), inputs.len(), height, values.as_mut_ptr())
        };
        if code != 0 {
            return Err(format!("the plugin's trace function failed with code {code}"));
        }
        values
            .into_iter()
            .map(|v| {
                if v < FIELD_MODULUS {
                    Ok(Val::new(v))
                } else {
                    Err(format!("the plugin wrote {v}, not a field element"))
                }
            })
            .collect()
    }

    fn rows_per_call(&self) -> usize {
        self.description.rows_per_call
    }

    fn block_flags(&self) -> Option<(usize, usize)> {
        self.description.block_flags
    }
}
