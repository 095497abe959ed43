//! `zkvm plugins`: the plugins this build has, which the config enables, and what each adds.

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

/// Prints every compiled-in plugin: name, version, whether the config enables it, its chips
/// with their buses, and its ecalls with the numbers the config gives them.
pub(crate) fn plugins(args: PluginsArgs) -> Result<u8, Failure> {
    let config = args.config.load()?;
    println!("config: {}", config.source);
    for plugin in static_plugins() {
        let enabled = config.plugins.iter().find(|entry| entry.name == plugin.name());
        let state = match (enabled, plugin.always_enabled()) {
            (_, true) => "always enabled",
            (Some(_), false) => "enabled",
            (None, false) => "available",
        };
        println!("\n{} {} ({state}): {}", plugin.name(), plugin.version(), plugin.summary());
        println!("  ecalls:");
        for call in plugin.ecalls() {
            let number = enabled
                .and_then(|entry| entry.ecalls.iter().find(|(name, _)| name == call.name))
                .map_or(call.default_number, |(_, number)| *number);
            println!("    {number:>6} {:<14} {}", call.name, call.summary);
        }
        println!("  chips:");
        for chip in plugin.chips() {
            println!("    {:<18} buses: {}", chip.name, chip.buses.join(", "));
        }
    }
    Ok(0)
}
