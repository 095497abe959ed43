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
