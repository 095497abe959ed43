//! What a plugin declares.

use std::sync::Arc;

use zkvm_core::precompile::Precompile;

/// One `ecall` a plugin handles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EcallSpec {
    /// The call's name, the key that sets its number in the config (`ecalls.NAME = N`).
    pub name: &'static str,
    /// The call number (`t0`) used when the config does not set one.
    pub default_number: u32,
    /// Whether the config may change the number (the core ABI's numbers are fixed).
    pub configurable: bool,
    /// What the call does, in one sentence.
    pub summary: &'static str,
}

/// One chip a plugin contributes to the segment proof.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChipInfo {
    /// The chip's name (its table in the proof).
    pub name: String,
    /// What it proves, in one sentence.
    pub summary: String,
    /// The buses it speaks on, by registry name.
    pub buses: Vec<String>,
}

/// A plugin: a named set of chips, the ecalls whose execution they prove, and the parameters
/// the config may set.
///
/// Compiled-in plugins register a `&'static dyn Plugin` with
/// `inventory::submit! { zkvm_plugins::StaticPlugin(&MY_PLUGIN) }`.
pub trait Plugin: Sync {
    /// The name the config enables it by (`[plugins.NAME]`): lowercase letters, digits, `_`.
    fn name(&self) -> &'static str;
    /// The plugin's version (semver); part of what a proof is bound to.
    fn version(&self) -> &'static str;
    /// What the plugin adds, in one sentence.
    fn summary(&self) -> &'static str;
    /// The ecalls it handles.
    fn ecalls(&self) -> &'static [EcallSpec];
    /// The chips it contributes.
    fn chips(&self) -> Vec<ChipInfo>;
    /// Whether it is part of every chipset (the config cannot disable it).
    fn always_enabled(&self) -> bool {
        false
    }
    /// The precompile that answers the plugin's ecall `call` (one of [`Plugin::ecalls`]), built
    /// with the config's parameters (already accepted by [`Plugin::check_params`]). `None` only
    /// for the calls the core executor answers itself (the built-in chipset's).
    fn precompile(&self, call: &str, params: &toml::Table) -> Option<Arc<dyn Precompile>> {
        let _ = (call, params);
        None
    }
    /// Checks the parameters the config gives it (`[plugins.NAME.params]`); the error says
    /// which parameter is wrong and why. By default a plugin takes no parameters.
    fn check_params(&self, params: &toml::Table) -> Result<(), String> {
        match params.keys().next() {
            Some(key) => Err(format!("takes no parameters (found `{key}`)")),
            None => Ok(()),
        }
    }
}

/// The buses a precompile chip speaks on: all through the host's frame (the call, its memory
/// accesses and their range checks).
pub const FRAME_BUSES: [&str; 4] = ["execute", "memory", "byte", "range16"];

/// A plugin made of precompiles, one per ecall (the usual shape): declare one as a `static` and
/// register it, instead of implementing [`Plugin`] by hand. Its chips are named after its calls.
pub struct PrecompilePlugin {
    /// The plugin's name.
    pub name: &'static str,
    /// Its version.
    pub version: &'static str,
    /// What it adds.
    pub summary: &'static str,
    /// Its ecalls; call `i` is answered by the precompile `precompile(i)` builds.
    pub ecalls: &'static [EcallSpec],
    /// One sentence per call on what its chip proves.
    pub chip_summaries: &'static [&'static str],
    /// Builds the precompile of call `i`.
    pub precompile: fn(usize) -> Arc<dyn Precompile>,
}

impl Plugin for PrecompilePlugin {
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
        self.ecalls
            .iter()
            .zip(self.chip_summaries)
            .map(|(call, summary)| ChipInfo {
                name: call.name.to_string(),
                summary: summary.to_string(),
                buses: FRAME_BUSES.map(String::from).to_vec(),
            })
            .collect()
    }

    fn precompile(&self, call: &str, _params: &toml::Table) -> Option<Arc<dyn Precompile>> {
        self.ecalls.iter().position(|spec| spec.name == call).map(self.precompile)
    }
}
