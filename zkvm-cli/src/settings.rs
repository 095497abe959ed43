//! `--config FILE` and `--insecure-test-parameters`: where a command's settings come from.

use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;
use zkvm_core::precompile::PrecompileSet;
use zkvm_core::prover::ProofParameters;
use zkvm_plugins::Config;
use zkvm_recursion::node::{AggregationParameters, Topology};

use crate::Failure;

/// The `--config` option every command takes.
#[derive(Args)]
pub(crate) struct ConfigArgs {
    /// The TOML configuration: enabled plugins and their ecalls, segment size and concurrency,
    /// proof parameters, recursion. Without it, the default chipset (RV32IM) and parameters.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

impl ConfigArgs {
    /// The configuration: the file's, or the default.
    pub(crate) fn load(&self) -> Result<Config, Failure> {
        match &self.config {
            Some(path) => Config::from_file(path).map_err(|e| Failure::usage(e.to_string())),
            None => Ok(Config::default()),
        }
    }
}

/// The precompiles `config` enables, under their configured numbers.
pub(crate) fn precompiles(config: &Config) -> Result<Arc<PrecompileSet>, Failure> {
    config.precompiles().map_err(|e| Failure::usage(e.to_string()))
}

/// The config and the proof-parameter override, for the commands that prove or verify.
#[derive(Args)]
pub(crate) struct ParameterArgs {
    /// Use fast, insecure proof parameters (for tests and experiments only; a proof made with
    /// them verifies only with them). Overrides the config's `[proof]` section and the
    /// parameters of its `[recursion]` nodes.
    #[arg(long)]
    insecure_test_parameters: bool,
    #[command(flatten)]
    config: ConfigArgs,
}

impl ParameterArgs {
    /// The configuration and the proof parameters to use.
    pub(crate) fn load(&self) -> Result<(Config, ProofParameters), Failure> {
        let config = self.config.load()?;
        let parameters = if self.insecure_test_parameters { ProofParameters::TESTING } else { config.proof };
        Ok((config, parameters))
    }

    /// The parameters of the recursion tree: the segment parameters, the config's
    /// `[recursion]` section (arity, aggregation and final-node parameters), or with
    /// `--insecure-test-parameters` the test parameters for every node as well.
    pub(crate) fn aggregation(&self, config: &Config, segment: ProofParameters) -> AggregationParameters {
        let (node, final_proof) = if self.insecure_test_parameters {
            (ProofParameters::TESTING, ProofParameters::TESTING)
        } else {
            (config.recursion.aggregation, config.recursion.final_node)
        };
        AggregationParameters {
            segment,
            node,
            final_proof,
            topology: Topology { arity: config.recursion.arity },
        }
    }
}
