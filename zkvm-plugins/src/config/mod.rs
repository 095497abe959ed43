//! The TOML configuration: what a run proves with.
//!
//! Every key is optional; an empty file (or no file) is the default configuration. The keys,
//! with their defaults:
//!
//! ```toml
//! [segment]
//! cycles = 262144        # cycles per segment, 1 ..= 2097152
//! concurrency = 1        # segments proven at the same time, 1 ..= 256
//!
//! [proof]                # FRI parameters of the segment proofs
//! preset = "default"     # or "small-proof" or "insecure-test"; the keys below override the preset's values
//!                        # ("final", the final node's default, is for [recursion.final] only)
//! # log_blowup = 2       # 1 ..= 6
//! # num_queries = 168    # 1 ..= 1000
//! # query_pow_bits = 16  # 0 ..= 30, grinding before the FRI queries
//! # commit_pow_bits = 0  # 0 ..= 30, before each FRI folding challenge
//! # batch_pow_bits = 16  # 0 ..= 30, before the FRI batching challenge
//! # lookup_pow_bits = 12 # 0 ..= 30, before the LogUp challenges
//! # ood_pow_bits = 4     # 0 ..= 30, before the DEEP out-of-domain point
//! # max_log_arity = 2    # 1 ..= 4 (folding by 2^max_log_arity)
//! # log_final_poly_len = 0  # 0 ..= 10, below every table's log2 height
//!
//! [plugins.NAME]         # enables the compiled-in plugin NAME
//! ecalls = { CALL = 256 }   # call numbers, by the plugin's call names (else its defaults)
//! params = { }           # the plugin's own parameters, checked by the plugin
//!
//! [recursion]
//! arity = 2              # proofs aggregated per node, 2 ..= 16
//! # layers = 3           # aggregation layers, 1 ..= 32; absent: as many as the run needs
//! [recursion.aggregation]  # FRI parameters of the aggregation nodes (keys as in [proof])
//! [recursion.final]        # FRI parameters of the final node; its default preset is "final":
//!                          # "small-proof" (rate 1/8, 123 queries: 128 bits, a smaller proof) folding
//!                          # by 16 and stopping FRI at a final polynomial of 2^10 coefficients
//! ```
//!
//! Unknown keys, unknown plugins, unknown call names, two calls with one number (the core ABI's
//! numbers included) and values out of range are [`ConfigError`]s naming the file, the line and
//! the key.

mod error;
mod raw;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::path::Path;

use std::sync::Arc;

use toml::Spanned;
use zkvm_core::precompile::PrecompileSet;
use zkvm_core::prover::{DEFAULT_SEGMENT_CYCLES, ProofParameters};

use error::line_of;
pub use error::{ConfigError, ConfigErrorKind};
use raw::{RawConfig, RawParameters, RawPlugin};

use crate::plugin::Plugin;
use crate::registry::{find_plugin, static_plugins};

/// Largest segment concurrency the config accepts.
pub const MAX_CONCURRENCY: i64 = 256;
/// Largest ecall number: call numbers are field elements in the constraints, so they stay below
/// the BabyBear modulus.
pub const MAX_ECALL_NUMBER: i64 = 0x7800_0000;

/// A plugin, compiled in or loaded: compared by name and version.
#[derive(Clone, Copy)]
pub struct PluginHandle(pub &'static dyn Plugin);

impl std::fmt::Debug for PluginHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.0.name(), self.0.version())
    }
}

impl PartialEq for PluginHandle {
    fn eq(&self, other: &Self) -> bool {
        (self.0.name(), self.0.version()) == (other.0.name(), other.0.version())
    }
}

/// One enabled plugin, as the config sets it.
#[derive(Clone, Debug, PartialEq)]
pub struct PluginEntry {
    /// The plugin itself.
    pub plugin: PluginHandle,
    /// The plugin's name.
    pub name: String,
    /// The plugin's version.
    pub version: String,
    /// Each of its ecalls with the number it answers to.
    pub ecalls: Vec<(String, u32)>,
    /// Its parameters (already accepted by the plugin).
    pub params: toml::Table,
}

/// The recursion topology and the parameters of its circuits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecursionConfig {
    /// Proofs aggregated per node.
    pub arity: usize,
    /// Aggregation layers; `None`: as many as the run needs to reach one proof.
    pub layers: Option<usize>,
    /// FRI parameters of the aggregation nodes.
    pub aggregation: ProofParameters,
    /// FRI parameters of the final node.
    pub final_node: ProofParameters,
}

/// A validated configuration.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// Where it was read from (`<default>` when no file was given).
    pub source: String,
    /// Cycles per segment.
    pub segment_cycles: u64,
    /// Segments proven at the same time.
    pub concurrency: usize,
    /// FRI parameters of the segment proofs.
    pub proof: ProofParameters,
    /// The enabled plugins, the always-enabled built-in chipset first, then by name.
    pub plugins: Vec<PluginEntry>,
    /// The recursion section.
    pub recursion: RecursionConfig,
}

impl Default for Config {
    fn default() -> Self {
        Config::parse("", "<default>").expect("the empty configuration is valid")
    }
}

/// Locates errors in one config text.
struct Locator<'a> {
    file: &'a str,
    text: &'a str,
}

impl Locator<'_> {
    fn error(
        &self,
        span: Option<std::ops::Range<usize>>,
        key: Option<String>,
        kind: ConfigErrorKind,
    ) -> ConfigError {
        ConfigError {
            file: self.file.to_string(),
            line: span.map(|span| line_of(self.text, span.start)),
            key,
            kind: Box::new(kind),
        }
    }

    /// `value` must lie in `range`, else an error at its line naming `key`.
    fn in_range(
        &self,
        key: &str,
        value: &Spanned<i64>,
        range: std::ops::RangeInclusive<i64>,
    ) -> Result<i64, ConfigError> {
        let v = *value.get_ref();
        if range.contains(&v) {
            return Ok(v);
        }
        let kind = ConfigErrorKind::OutOfRange {
            value: v.to_string(),
            range: format!("{} ..= {}", range.start(), range.end()),
        };
        Err(self.error(Some(value.span()), Some(key.to_string()), kind))
    }
}

impl Config {
    /// Reads and validates the config file at `path`.
    pub fn from_file(path: &Path) -> Result<Config, ConfigError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            file: file.clone(),
            line: None,
            key: None,
            kind: Box::new(ConfigErrorKind::Io(e.to_string())),
        })?;
        Config::parse_in(&text, &file, path.parent())
    }

    /// Validates the config `text`; `file` names it in errors. Plugin library paths are relative
    /// to the working directory.
    pub fn parse(text: &str, file: &str) -> Result<Config, ConfigError> {
        Config::parse_in(text, file, None)
    }

    /// [`Config::parse`] with plugin library paths relative to `base_dir` (the config file's
    /// directory) when given.
    fn parse_in(text: &str, file: &str, base_dir: Option<&Path>) -> Result<Config, ConfigError> {
        let locate = Locator { file, text };
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let message = e.message().lines().next().unwrap_or_default().to_string();
            locate.error(e.span(), None, ConfigErrorKind::Syntax(message))
        })?;

        let segment = raw.segment.unwrap_or_default();
        let segment_cycles = match &segment.cycles {
            Some(value) => {
                locate.in_range("segment.cycles", value, 1..=zkvm_memory::MAX_SEGMENT_CYCLES as i64)? as u64
            }
            None => DEFAULT_SEGMENT_CYCLES,
        };
        let concurrency = match &segment.concurrency {
            Some(value) => locate.in_range("segment.concurrency", value, 1..=MAX_CONCURRENCY)? as usize,
            None => 1,
        };
        let proof = parameters(&locate, "proof", raw.proof.as_ref(), ProofParameters::DEFAULT)?;
        let plugins = plugins(&locate, raw.plugins.unwrap_or_default(), base_dir)?;

        let recursion = raw.recursion.unwrap_or_default();
        let arity = match &recursion.arity {
            Some(value) => locate.in_range("recursion.arity", value, 2..=16)? as usize,
            None => 2,
        };
        let layers = match &recursion.layers {
            Some(value) => Some(locate.in_range("recursion.layers", value, 1..=32)? as usize),
            None => None,
        };
        let recursion = RecursionConfig {
            arity,
            layers,
            aggregation: parameters(
                &locate,
                "recursion.aggregation",
                recursion.aggregation.as_ref(),
                ProofParameters::DEFAULT,
            )?,
            final_node: parameters(
                &locate,
                "recursion.final",
                recursion.final_node.as_ref(),
                ProofParameters::FINAL,
            )?,
        };
        Ok(Config { source: file.to_string(), segment_cycles, concurrency, proof, plugins, recursion })
    }

    /// The precompiles of the enabled plugins, under the numbers the config gives their calls.
    /// A plugin that declares a call but provides no precompile for it is an error (a bug in
    /// the plugin), located at its section.
    pub fn precompiles(&self) -> Result<Arc<PrecompileSet>, ConfigError> {
        let mut set = PrecompileSet::new();
        for entry in self.plugins.iter().filter(|entry| entry.name != crate::builtin::Rv32im.name()) {
            let plugin = entry.plugin.0;
            for (call, number) in &entry.ecalls {
                let error = |kind| ConfigError {
                    file: self.source.clone(),
                    line: None,
                    key: Some(format!("plugins.{}.ecalls.{call}", entry.name)),
                    kind: Box::new(kind),
                };
                let Some(precompile) = plugin.precompile(call, &entry.params) else {
                    let reason =
                        format!("plugin `{}` provides no precompile for its call `{call}`", entry.name);
                    return Err(error(ConfigErrorKind::Invalid(reason)));
                };
                set = set.with(*number, precompile).map_err(|number| {
                    error(ConfigErrorKind::EcallCollision { number, other: "another precompile".into() })
                })?;
            }
        }
        Ok(Arc::new(set))
    }

    /// Every ecall of the chipset, as `(number, plugin, call)`, sorted by number.
    pub fn ecalls(&self) -> Vec<(u32, &str, &str)> {
        let mut calls: Vec<(u32, &str, &str)> = self
            .plugins
            .iter()
            .flat_map(|p| {
                p.ecalls.iter().map(move |(call, number)| (*number, p.name.as_str(), call.as_str()))
            })
            .collect();
        calls.sort();
        calls
    }
}

/// One FRI parameter: its key, the value the file gives, its range, and where it goes.
type ParameterField<'a> = (&'a str, &'a Option<Spanned<i64>>, std::ops::RangeInclusive<i64>, &'a mut usize);

/// The FRI parameters of section `section`: its preset (`section_default` when it names
/// none), then its overrides, each in range.
fn parameters(
    locate: &Locator<'_>,
    section: &str,
    raw: Option<&RawParameters>,
    section_default: ProofParameters,
) -> Result<ProofParameters, ConfigError> {
    let Some(raw) = raw else { return Ok(section_default) };
    let mut parameters = match &raw.preset {
        None => section_default,
        Some(preset) => match preset.get_ref().as_str() {
            "default" => ProofParameters::DEFAULT,
            "small-proof" => ProofParameters::SMALL_PROOF,
            "final" if section == "recursion.final" => ProofParameters::FINAL,
            "final" => {
                let kind = ConfigErrorKind::Invalid(
                    "preset `final` is for [recursion.final] only: its 2^10-coefficient final polynomial needs \
                     every table taller than 2^10 rows (use `small-proof`)"
                        .into(),
                );
                return Err(locate.error(Some(preset.span()), Some(format!("{section}.preset")), kind));
            }
            "insecure-test" => ProofParameters::TESTING,
            other => {
                let kind = ConfigErrorKind::Invalid(format!(
                    "unknown preset `{other}` (expected `default`, `small-proof`, `final` or `insecure-test`)"
                ));
                return Err(locate.error(Some(preset.span()), Some(format!("{section}.preset")), kind));
            }
        },
    };
    let fields: [ParameterField<'_>; 9] = [
        ("log_blowup", &raw.log_blowup, 1..=6, &mut parameters.log_blowup),
        ("num_queries", &raw.num_queries, 1..=1000, &mut parameters.num_queries),
        ("query_pow_bits", &raw.query_pow_bits, 0..=30, &mut parameters.query_pow_bits),
        ("commit_pow_bits", &raw.commit_pow_bits, 0..=30, &mut parameters.commit_pow_bits),
        ("batch_pow_bits", &raw.batch_pow_bits, 0..=30, &mut parameters.batch_pow_bits),
        ("lookup_pow_bits", &raw.lookup_pow_bits, 0..=30, &mut parameters.lookup_pow_bits),
        ("ood_pow_bits", &raw.ood_pow_bits, 0..=30, &mut parameters.ood_pow_bits),
        ("max_log_arity", &raw.max_log_arity, 1..=4, &mut parameters.max_log_arity),
        ("log_final_poly_len", &raw.log_final_poly_len, 0..=10, &mut parameters.log_final_poly_len),
    ];
    for (name, value, range, target) in fields {
        if let Some(value) = value {
            *target = locate.in_range(&format!("{section}.{name}"), value, range)? as usize;
        }
    }
    Ok(parameters)
}

/// The enabled plugins: the always-enabled ones, then those the config names, each with its
/// ecall numbers (no two alike) and parameters (accepted by the plugin).
fn plugins(
    locate: &Locator<'_>,
    raw: BTreeMap<Spanned<String>, Spanned<RawPlugin>>,
    base_dir: Option<&Path>,
) -> Result<Vec<PluginEntry>, ConfigError> {
    let mut entries = Vec::new();
    // Who holds each number: "plugin.call" and the line that set it (None: a default).
    let mut taken: BTreeMap<u32, (String, Option<usize>)> = BTreeMap::new();
    let mut claim =
        |number: u32, owner: String, span: Option<std::ops::Range<usize>>, key: Option<String>| {
            if let Some((other, line)) = taken.get(&number) {
                let other = match line {
                    Some(line) => format!("{other} (line {line})"),
                    None => format!("{other} (its default)"),
                };
                return Err(locate.error(span, key, ConfigErrorKind::EcallCollision { number, other }));
            }
            taken.insert(number, (owner, span.map(|s| line_of(locate.text, s.start))));
            Ok(())
        };

    for plugin in static_plugins().into_iter().filter(|p| p.always_enabled()) {
        let ecalls: Vec<(String, u32)> =
            plugin.ecalls().iter().map(|c| (c.name.to_string(), c.default_number)).collect();
        for (call, number) in &ecalls {
            claim(*number, format!("{}.{call}", plugin.name()), None, None)?;
        }
        entries.push(PluginEntry {
            plugin: PluginHandle(plugin),
            name: plugin.name().to_string(),
            version: plugin.version().to_string(),
            ecalls,
            params: toml::Table::new(),
        });
    }

    for (name, section) in raw {
        let key = format!("plugins.{}", name.get_ref());
        let section_span = section.span();
        let section = section.into_inner();
        let plugin: &'static dyn Plugin = match &section.path {
            // A shared library, loaded now; its plugin must bear the section's name.
            Some(path) => {
                let file = match base_dir {
                    Some(dir) => dir.join(path.get_ref()),
                    None => Path::new(path.get_ref()).to_path_buf(),
                };
                let path_error = |kind| locate.error(Some(path.span()), Some(format!("{key}.path")), kind);
                let loaded = crate::dynamic::load(&file)
                    .map_err(|e| path_error(ConfigErrorKind::Invalid(e.to_string())))?;
                if loaded.name() != name.get_ref() {
                    let reason = format!("the library's plugin is named `{}`", loaded.name());
                    return Err(path_error(ConfigErrorKind::Invalid(reason)));
                }
                loaded
            }
            None => match find_plugin(name.get_ref()) {
                Some(plugin) => plugin,
                None => {
                    let available: Vec<&str> = static_plugins().iter().map(|p| p.name()).collect();
                    let kind = ConfigErrorKind::UnknownPlugin {
                        name: name.get_ref().clone(),
                        available: available.join(", "),
                    };
                    return Err(locate.error(Some(name.span()), Some(key), kind));
                }
            },
        };
        if plugin.always_enabled() && section.ecalls.is_none() && section.params.is_none() {
            continue; // naming the built-in chipset changes nothing
        }
        let mut numbers: BTreeMap<&str, (u32, Option<std::ops::Range<usize>>)> =
            plugin.ecalls().iter().map(|c| (c.name, (c.default_number, None))).collect();
        for (call, number) in section.ecalls.iter().flatten() {
            let call_key = format!("{key}.ecalls.{}", call.get_ref());
            let Some(spec) = plugin.ecalls().iter().find(|c| c.name == call.get_ref()) else {
                let available: Vec<&str> = plugin.ecalls().iter().map(|c| c.name).collect();
                let kind = ConfigErrorKind::UnknownEcall {
                    plugin: plugin.name().to_string(),
                    name: call.get_ref().clone(),
                    available: available.join(", "),
                };
                return Err(locate.error(Some(call.span()), Some(call_key), kind));
            };
            if !spec.configurable {
                let kind =
                    ConfigErrorKind::Invalid(format!("the number of `{}` is fixed by the ABI", spec.name));
                return Err(locate.error(Some(number.span()), Some(call_key), kind));
            }
            let value = locate.in_range(&call_key, number, 0..=MAX_ECALL_NUMBER)? as u32;
            numbers.insert(spec.name, (value, Some(number.span())));
        }
        if plugin.always_enabled() {
            continue; // its calls were claimed above
        }
        let mut ecalls = Vec::new();
        for spec in plugin.ecalls() {
            let (number, span) = numbers[spec.name].clone();
            let call_key = format!("{key}.ecalls.{}", spec.name);
            let span_or_section = span.clone().or(Some(section_span.clone()));
            let owner = format!("{}.{}", plugin.name(), spec.name);
            claim(number, owner, span_or_section, Some(call_key))?;
            ecalls.push((spec.name.to_string(), number));
        }
        let params_span = section.params.as_ref().map_or(section_span, |params| params.span());
        let params = section.params.map(Spanned::into_inner).unwrap_or_default();
        if let Err(reason) = plugin.check_params(&params) {
            return Err(locate.error(
                Some(params_span),
                Some(format!("{key}.params")),
                ConfigErrorKind::Invalid(reason),
            ));
        }
        entries.push(PluginEntry {
            plugin: PluginHandle(plugin),
            name: plugin.name().to_string(),
            version: plugin.version().to_string(),
            ecalls,
            params,
        });
    }
    Ok(entries)
}
