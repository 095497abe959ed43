//! Configuration errors: each names the file, the line and the key.

use std::fmt;

use thiserror::Error;

/// What is wrong with a configuration.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ConfigErrorKind {
    /// The file cannot be read.
    #[error("cannot read the file: {0}")]
    Io(String),
    /// The text is not TOML, a key is unknown, or a value has the wrong type.
    #[error("{0}")]
    Syntax(String),
    /// No compiled-in plugin has this name.
    #[error("no plugin named `{name}` (available: {available})")]
    UnknownPlugin {
        /// The name in the config.
        name: String,
        /// The names that exist.
        available: String,
    },
    /// The plugin has no ecall of this name.
    #[error("plugin `{plugin}` has no ecall named `{name}` (it has: {available})")]
    UnknownEcall {
        /// The plugin.
        plugin: String,
        /// The name in the config.
        name: String,
        /// The ecalls it has.
        available: String,
    },
    /// Two ecalls were given the same number.
    #[error("ecall number {number} is also used by {other}")]
    EcallCollision {
        /// The number.
        number: u32,
        /// The other call, with where it is set.
        other: String,
    },
    /// A value is outside its range.
    #[error("{value} is out of range ({range})")]
    OutOfRange {
        /// The value, as written.
        value: String,
        /// The allowed range.
        range: String,
    },
    /// A value is not one of the allowed choices, or a plugin refused its parameters.
    #[error("{0}")]
    Invalid(String),
}

/// A configuration error, located: `FILE:LINE: KEY: what is wrong`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// The file (or `<config>` for text not read from a file).
    pub file: String,
    /// The 1-based line of the offending key or value, when known.
    pub line: Option<usize>,
    /// The dotted key (`segment.cycles`), when known.
    pub key: Option<String>,
    /// What is wrong.
    pub kind: Box<ConfigErrorKind>,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": ")?;
        if let Some(key) = &self.key {
            write!(f, "{key}: ")?;
        }
        write!(f, "{}", self.kind)
    }
}

impl std::error::Error for ConfigError {}

/// The 1-based line of byte `offset` in `text`.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1
}
