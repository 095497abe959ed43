//! Plugins (precompiles and extensions, compiled in or loaded at run time) and the configuration
//! that assembles a chipset from them.
//!
//! - [`Plugin`]: what a plugin declares (name, version, ecalls, chips, parameters) and the
//!   [static registry](registry) every compiled-in plugin joins with [`inventory`]; the built-in
//!   RV32IM chipset is registered there like any other plugin ([`builtin::Rv32im`]); a plugin
//!   built as a shared library is [loaded at run time](dynamic) from the path the config gives.
//! - [`Config`]: the TOML configuration (segment size and concurrency, proof parameters per
//!   circuit, enabled plugins with their ecall numbers and parameters, the recursion topology),
//!   parsed strictly: unknown keys, unknown plugins, ecall collisions and out-of-range values
//!   are [`ConfigError`]s naming the file, the line and the key.

pub mod builtin;
pub mod config;
pub mod dynamic;
pub mod plugin;
pub mod registry;

pub use config::{Config, ConfigError, ConfigErrorKind, PluginEntry, PluginHandle, RecursionConfig};
pub use dynamic::{DynamicPlugin, LoadError};
pub use plugin::{ChipInfo, EcallSpec, FRAME_BUSES, Plugin, PrecompilePlugin};
pub use registry::{StaticPlugin, find_plugin, static_plugins};
