//! The config file as written: every key optional, every value with its place in the text.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

/// The whole file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawConfig {
    pub(super) segment: Option<RawSegment>,
    pub(super) proof: Option<RawParameters>,
    pub(super) plugins: Option<BTreeMap<Spanned<String>, Spanned<RawPlugin>>>,
    pub(super) recursion: Option<RawRecursion>,
}

/// `[segment]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSegment {
    pub(super) cycles: Option<Spanned<i64>>,
    pub(super) concurrency: Option<Spanned<i64>>,
}

/// FRI parameters of one circuit (`[proof]`, `[recursion.aggregation]`, `[recursion.final]`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawParameters {
    pub(super) preset: Option<Spanned<String>>,
    pub(super) log_blowup: Option<Spanned<i64>>,
    pub(super) num_queries: Option<Spanned<i64>>,
    pub(super) query_pow_bits: Option<Spanned<i64>>,
    pub(super) commit_pow_bits: Option<Spanned<i64>>,
    pub(super) batch_pow_bits: Option<Spanned<i64>>,
    pub(super) lookup_pow_bits: Option<Spanned<i64>>,
    pub(super) ood_pow_bits: Option<Spanned<i64>>,
    pub(super) max_log_arity: Option<Spanned<i64>>,
    pub(super) log_final_poly_len: Option<Spanned<i64>>,
}

/// `[plugins.NAME]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPlugin {
    pub(super) path: Option<Spanned<String>>,
    pub(super) ecalls: Option<BTreeMap<Spanned<String>, Spanned<i64>>>,
    pub(super) params: Option<Spanned<toml::Table>>,
}

/// `[recursion]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRecursion {
    pub(super) arity: Option<Spanned<i64>>,
    pub(super) layers: Option<Spanned<i64>>,
    pub(super) aggregation: Option<RawParameters>,
    #[serde(rename = "final")]
    pub(super) final_node: Option<RawParameters>,
}
