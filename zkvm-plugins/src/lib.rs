//! Plugins (precompiles and extensions, compiled in or loaded at run time) and the configuration
//! that assembles a chipset from them.
//!
//! The plugin API arrives with the plugin work; this crate is empty until then.
