//! Every kind of config mistake is an error naming its line and key; valid configs resolve to
//! the values they set and to defaults elsewhere.

use std::sync::Arc;

use zkvm_core::precompile::{ConstraintBuilder, ConstraintSystem, FrameLayout, Precompile, Scope};
use zkvm_core::prover::ProofParameters;

use super::*;
use crate::plugin::{ChipInfo, EcallSpec, Plugin};
use crate::registry::StaticPlugin;

/// A precompile that swaps two words.
struct Swap;

impl Precompile for Swap {
    fn name(&self) -> &str {
        "swap"
    }
    fn words(&self) -> usize {
        2
    }
    fn compute(&self, input: &[u32]) -> Result<Vec<u32>, String> {
        Ok(vec![input[1], input[0]])
    }
    fn compute_width(&self) -> usize {
        0
    }
    fn compute_column_names(&self) -> Vec<String> {
        Vec::new()
    }
    fn constraints(&self, layout: &FrameLayout) -> ConstraintSystem {
        let b = ConstraintBuilder::new(layout.width());
        for byte in 0..4 {
            // Output word 0 is input word 1 and the other way round.
            b.assert_zero(Scope::EveryRow, b.local(layout.output(0, byte)) - b.local(layout.input(1, byte)));
            b.assert_zero(Scope::EveryRow, b.local(layout.output(1, byte)) - b.local(layout.input(0, byte)));
        }
        b.build()
    }
    fn compute_trace(
        &self,
        _inputs: &[Vec<u32>],
        _height: usize,
    ) -> Result<Vec<zkvm_core::prover::Val>, String> {
        Ok(Vec::new()) // no compute columns
    }
}

/// A plugin with two configurable calls and one parameter, `rounds` (1 ..= 24); both calls
/// are the swap precompile.
struct TestHash;

impl Plugin for TestHash {
    fn name(&self) -> &'static str {
        "test_hash"
    }
    fn version(&self) -> &'static str {
        "0.1.0"
    }
    fn summary(&self) -> &'static str {
        "a test plugin"
    }
    fn ecalls(&self) -> &'static [EcallSpec] {
        const CALLS: [EcallSpec; 2] = [
            EcallSpec { name: "permute", default_number: 0x100, configurable: true, summary: "permute" },
            EcallSpec { name: "absorb", default_number: 0x101, configurable: true, summary: "absorb" },
        ];
        &CALLS
    }
    fn chips(&self) -> Vec<ChipInfo> {
        Vec::new()
    }
    fn precompile(&self, _call: &str, _params: &toml::Table) -> Option<Arc<dyn Precompile>> {
        Some(Arc::new(Swap))
    }
    fn check_params(&self, params: &toml::Table) -> Result<(), String> {
        for (key, value) in params {
            match (key.as_str(), value.as_integer()) {
                ("rounds", Some(1..=24)) => {}
                ("rounds", _) => return Err("rounds must be an integer in 1 ..= 24".into()),
                (other, _) => return Err(format!("unknown parameter `{other}`")),
            }
        }
        Ok(())
    }
}

/// A plugin whose default call number is `test_hash`'s.
struct TestOther;

impl Plugin for TestOther {
    fn name(&self) -> &'static str {
        "test_other"
    }
    fn version(&self) -> &'static str {
        "0.1.0"
    }
    fn summary(&self) -> &'static str {
        "another test plugin"
    }
    fn ecalls(&self) -> &'static [EcallSpec] {
        const CALLS: [EcallSpec; 1] =
            [EcallSpec { name: "run", default_number: 0x100, configurable: true, summary: "run" }];
        &CALLS
    }
    fn chips(&self) -> Vec<ChipInfo> {
        Vec::new()
    }
}

inventory::submit! { StaticPlugin(&TestHash) }
inventory::submit! { StaticPlugin(&TestOther) }

/// Parses `text`, expecting an error; returns (line, key, kind).
fn error(text: &str) -> (Option<usize>, Option<String>, ConfigErrorKind) {
    let error = Config::parse(text, "test.toml").expect_err("the config is refused");
    assert_eq!(error.file, "test.toml");
    (error.line, error.key, *error.kind)
}

fn out_of_range(value: &str, range: &str) -> ConfigErrorKind {
    ConfigErrorKind::OutOfRange { value: value.into(), range: range.into() }
}

#[test]
fn an_empty_config_is_the_default_chipset() {
    let config = Config::parse("", "empty.toml").unwrap();
    assert_eq!(config.segment_cycles, 1 << 18);
    assert_eq!(config.concurrency, 1);
    assert_eq!(config.proof, ProofParameters::DEFAULT);
    assert_eq!(config.plugins.len(), 1);
    assert_eq!(config.plugins[0].name, "rv32im");
    let numbers: Vec<u32> = config.ecalls().iter().map(|c| c.0).collect();
    assert_eq!(numbers, [0, 1, 2, 3, 4]);
    assert_eq!(config.recursion.arity, 2);
    assert_eq!(config.recursion.layers, None);
    assert_eq!(config.recursion.aggregation, ProofParameters::DEFAULT);
    // The final node defaults to its own preset; any section may name the smaller-proof one.
    assert_eq!(config.recursion.final_node, ProofParameters::FINAL);
    assert_eq!(Config::default().plugins, config.plugins);
    let named = Config::parse(
        "[proof]\npreset = \"small-proof\"\n[recursion.final]\npreset = \"default\"\n",
        "p.toml",
    );
    let named = named.unwrap();
    assert_eq!(named.proof, ProofParameters::SMALL_PROOF);
    assert_eq!(named.recursion.final_node, ProofParameters::DEFAULT);
    let named = Config::parse("[recursion.final]\npreset = \"small-proof\"\n", "p.toml").unwrap();
    assert_eq!(named.recursion.final_node, ProofParameters::SMALL_PROOF);
    // The final preset needs tables taller than its final polynomial: the final node's only.
    for section in ["proof", "recursion.aggregation"] {
        let (line, key, kind) = error(&format!("[{section}]\npreset = \"final\"\n"));
        assert_eq!((line, key.as_deref()), (Some(2), Some(format!("{section}.preset").as_str())));
        assert!(
            matches!(&kind, ConfigErrorKind::Invalid(m) if m.contains("[recursion.final] only")),
            "{kind}"
        );
    }
}

#[test]
fn a_full_config_sets_every_value() {
    let text = r#"
[segment]
cycles = 4096
concurrency = 4

[proof]
preset = "insecure-test"
num_queries = 64

[plugins.test_hash]
ecalls = { permute = 0x200 }
params = { rounds = 12 }

[plugins.rv32im]

[recursion]
arity = 4
layers = 3
[recursion.final]
log_blowup = 5
num_queries = 30
"#;
    let config = Config::parse(text, "full.toml").unwrap();
    assert_eq!((config.segment_cycles, config.concurrency), (4096, 4));
    assert_eq!(config.proof, ProofParameters { num_queries: 64, ..ProofParameters::TESTING });
    let names: Vec<&str> = config.plugins.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["rv32im", "test_hash"]);
    assert_eq!(config.plugins[1].ecalls, [("permute".to_string(), 0x200), ("absorb".to_string(), 0x101)]);
    assert_eq!(config.plugins[1].params.get("rounds").and_then(|v| v.as_integer()), Some(12));
    assert_eq!((config.recursion.arity, config.recursion.layers), (4, Some(3)));
    assert_eq!(config.recursion.aggregation, ProofParameters::DEFAULT);
    let final_node = ProofParameters { log_blowup: 5, num_queries: 30, ..ProofParameters::FINAL };
    assert_eq!(config.recursion.final_node, final_node);
}

#[test]
fn syntax_errors_unknown_keys_and_wrong_types_name_their_line() {
    let (line, _, kind) = error("[segment]\ncycles = = 3\n");
    assert_eq!(line, Some(2));
    assert!(matches!(kind, ConfigErrorKind::Syntax(_)));
    let (line, _, kind) = error("[segment]\ncycles = 64\n\n[segmnt]\n");
    assert_eq!(line, Some(4));
    assert!(matches!(&kind, ConfigErrorKind::Syntax(m) if m.contains("unknown field `segmnt`")), "{kind}");
    let (line, _, kind) = error("[proof]\nlog_blowup = 2\nqueries = 9\n");
    assert_eq!(line, Some(3));
    assert!(matches!(&kind, ConfigErrorKind::Syntax(m) if m.contains("unknown field `queries`")), "{kind}");
    let (line, _, kind) = error("[plugins.test_hash]\necall = 5\n");
    assert_eq!(line, Some(2));
    assert!(matches!(&kind, ConfigErrorKind::Syntax(m) if m.contains("unknown field `ecall`")), "{kind}");
    let (line, _, kind) = error("[segment]\n\ncycles = \"many\"\n");
    assert_eq!(line, Some(3));
    assert!(matches!(kind, ConfigErrorKind::Syntax(_)));
}

#[test]
fn values_out_of_range_name_their_key() {
    let cases: [(&str, &str, ConfigErrorKind); 9] = [
        ("[segment]\ncycles = 0", "segment.cycles", out_of_range("0", "1 ..= 2097152")),
        ("[segment]\ncycles = 4194304", "segment.cycles", out_of_range("4194304", "1 ..= 2097152")),
        ("[segment]\nconcurrency = 0", "segment.concurrency", out_of_range("0", "1 ..= 256")),
        ("[proof]\nlog_blowup = 9", "proof.log_blowup", out_of_range("9", "1 ..= 6")),
        ("[proof]\nquery_pow_bits = -1", "proof.query_pow_bits", out_of_range("-1", "0 ..= 30")),
        ("[recursion]\narity = 1", "recursion.arity", out_of_range("1", "2 ..= 16")),
        ("[recursion]\nlayers = 0", "recursion.layers", out_of_range("0", "1 ..= 32")),
        (
            "[recursion.final]\nnum_queries = 0",
            "recursion.final.num_queries",
            out_of_range("0", "1 ..= 1000"),
        ),
        (
            "[plugins.test_hash]\necalls = { permute = -4 }",
            "plugins.test_hash.ecalls.permute",
            out_of_range("-4", "0 ..= 2013265920"),
        ),
    ];
    for (text, key, kind) in cases {
        assert_eq!(error(text), (Some(2), Some(key.to_string()), kind), "{text}");
    }
    let (line, key, kind) = error("\n[proof]\npreset = \"fast\"\n");
    assert_eq!((line, key.as_deref()), (Some(3), Some("proof.preset")));
    assert!(matches!(&kind, ConfigErrorKind::Invalid(m) if m.contains("unknown preset `fast`")), "{kind}");
}

#[test]
fn unknown_plugins_and_calls_are_errors() {
    let (line, key, kind) = error("[segment]\ncycles = 8\n[plugins.kecak]\n");
    assert_eq!((line, key.as_deref()), (Some(3), Some("plugins.kecak")));
    let ConfigErrorKind::UnknownPlugin { name, available } = kind else { panic!("{kind}") };
    assert_eq!(name, "kecak");
    assert!(available.contains("rv32im") && available.contains("test_hash"), "{available}");

    let (line, key, kind) = error("[plugins.test_hash]\n\necalls = { squeeze = 7 }\n");
    assert_eq!((line, key.as_deref()), (Some(3), Some("plugins.test_hash.ecalls.squeeze")));
    assert!(matches!(kind, ConfigErrorKind::UnknownEcall { .. }), "{kind}");

    let (line, key, kind) = error("[plugins.rv32im]\necalls = { halt = 9 }\n");
    assert_eq!((line, key.as_deref()), (Some(2), Some("plugins.rv32im.ecalls.halt")));
    assert!(matches!(&kind, ConfigErrorKind::Invalid(m) if m.contains("fixed by the ABI")), "{kind}");

    let (line, key, kind) = error("[plugins.test_hash]\nparams = { rounds = 99 }\n");
    assert_eq!((line, key.as_deref()), (Some(2), Some("plugins.test_hash.params")));
    assert!(matches!(&kind, ConfigErrorKind::Invalid(m) if m.contains("1 ..= 24")), "{kind}");
    let (_, _, kind) = error("[plugins.test_other]\nparams = { rounds = 1 }\n");
    assert!(matches!(&kind, ConfigErrorKind::Invalid(m) if m.contains("takes no parameters")), "{kind}");

    let (line, key, kind) = error("[plugins.test_hash]\npath = \"libx.so\"\n");
    assert_eq!((line, key.as_deref()), (Some(2), Some("plugins.test_hash.path")));
    assert!(matches!(kind, ConfigErrorKind::Invalid(_)));
}

#[test]
fn two_calls_with_one_number_are_an_error() {
    // With a core ABI call.
    let (line, key, kind) = error("[plugins.test_hash]\necalls = { permute = 4 }\n");
    assert_eq!((line, key.as_deref()), (Some(2), Some("plugins.test_hash.ecalls.permute")));
    assert_eq!(
        kind,
        ConfigErrorKind::EcallCollision { number: 4, other: "rv32im.commit (its default)".into() }
    );
    // Within one plugin.
    let (line, _, kind) = error("[plugins.test_hash]\necalls = { permute = 0x300, absorb = 0x300 }\n");
    assert_eq!(line, Some(2));
    assert!(
        matches!(&kind, ConfigErrorKind::EcallCollision { number: 0x300, other } if other.contains("line 2"))
    );
    // Two plugins with the same default: the second is refused, at its section.
    let (line, key, kind) = error("[plugins.test_hash]\n\n[plugins.test_other]\n");
    assert_eq!((line, key.as_deref()), (Some(3), Some("plugins.test_other.ecalls.run")));
    assert!(matches!(kind, ConfigErrorKind::EcallCollision { number: 0x100, .. }), "{kind}");
    // Moving one of them resolves it.
    let config =
        Config::parse("[plugins.test_hash]\n[plugins.test_other]\necalls = { run = 0x180 }\n", "ok").unwrap();
    assert_eq!(config.ecalls().len(), 5 + 3);
}

#[test]
fn errors_read_as_file_line_key_reason() {
    let error = Config::parse("[segment]\ncycles = 0\n", "zkvm.toml").unwrap_err();
    assert_eq!(error.to_string(), "zkvm.toml:2: segment.cycles: 0 is out of range (1 ..= 2097152)");
    let missing = Config::from_file(Path::new("/nonexistent/zkvm.toml")).unwrap_err();
    assert!(matches!(*missing.kind, ConfigErrorKind::Io(_)));
    assert!(missing.to_string().starts_with("/nonexistent/zkvm.toml: cannot read the file"), "{missing}");
}

#[test]
fn enabled_plugins_give_their_precompiles_under_the_configured_numbers() {
    let config = Config::parse("[plugins.test_hash]\necalls = { permute = 0x300 }\n", "ok.toml").unwrap();
    let set = config.precompiles().unwrap();
    let enabled: Vec<(u32, &str)> = set.iter().map(|e| (e.number, e.precompile.name())).collect();
    assert_eq!(enabled, [(0x101, "swap"), (0x300, "swap")]);
    assert!(Config::default().precompiles().unwrap().is_empty());
    // A plugin that declares a call without a precompile for it is refused, naming the call.
    let config = Config::parse("[plugins.test_other]\n", "other.toml").unwrap();
    let error = config.precompiles().unwrap_err();
    assert_eq!(error.key.as_deref(), Some("plugins.test_other.ecalls.run"));
    assert!(error.to_string().contains("provides no precompile"), "{error}");
}
