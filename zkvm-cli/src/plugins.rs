//! `zkvm plugins`: the plugins this build has, which the config enables, and what each adds.

use std::fmt::Write;

use clap::Args;
use zkvm_plugins::static_plugins;

use crate::Failure;
use crate::settings::ConfigArgs;

/// Arguments of `zkvm plugins`.
#[derive(Args)]
pub(crate) struct PluginsArgs {
    #[command(flatten)]
    config: ConfigArgs,
}

/// Prints every compiled-in plugin and every plugin the config loads from a library: name,
/// version, whether the config enables it, its chips with their buses, and its ecalls with the
/// numbers the config gives them.
pub(crate) fn plugins(args: PluginsArgs) -> Result<u8, Failure> {
    let config = args.config.load()?;
    // The listing is built in memory (writing to a String cannot fail), then printed at once.
    let mut out = String::new();
    let _ = writeln!(out, "config: {}", config.source);
    // The compiled-in plugins, then those the config loaded from shared libraries.
    let mut plugins = static_plugins();
    for entry in &config.plugins {
        if !plugins.iter().any(|p| p.name() == entry.name) {
            plugins.push(entry.plugin.0);
        }
    }
    for plugin in plugins {
        let enabled = config.plugins.iter().find(|entry| entry.name == plugin.name());
        let state = match (enabled, plugin.always_enabled()) {
            (_, true) => "always enabled",
            (Some(_), false) => "enabled",
            (None, false) => "available",
        };
        let _ = writeln!(out, "\n{} {} ({state}): {}", plugin.name(), plugin.version(), plugin.summary());
        let _ = writeln!(out, "  ecalls:");
        for call in plugin.ecalls() {
            let number = enabled
                .and_then(|entry| entry.ecalls.iter().find(|(name, _)| name == call.name))
                .map_or(call.default_number, |(_, number)| *number);
            let _ = writeln!(out, "    {number:>6} {:<14} {}", call.name, call.summary);
        }
        let _ = writeln!(out, "  chips:");
        for chip in plugin.chips() {
            let _ = writeln!(out, "    {:<18} buses: {}", chip.name, chip.buses.join(", "));
        }
    }
    crate::print_stdout(&out)?;
    Ok(0)
}
