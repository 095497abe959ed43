//! The static plugin registry: every compiled-in plugin, collected at link time.

/// A compiled-in plugin's entry in the registry.
pub struct StaticPlugin(pub &'static dyn Plugin);

inventory::collect!(StaticPlugin);

use crate::plugin::Plugin;

/// Every compiled-in plugin: the always-enabled ones (the built-in RV32IM chipset) first, then
/// the others by name.
pub fn static_plugins() -> Vec<&'static dyn Plugin> {
    let mut plugins: Vec<&'static dyn Plugin> =
        inventory::iter::<StaticPlugin>.into_iter().map(|p| p.0).collect();
    plugins.sort_by_key(|plugin| (!plugin.always_enabled(), plugin.name()));
    plugins
}

/// The compiled-in plugin named `name`.
pub fn find_plugin(name: &str) -> Option<&'static dyn Plugin> {
    inventory::iter::<StaticPlugin>.into_iter().map(|p| p.0).find(|plugin| plugin.name() == name)
}
