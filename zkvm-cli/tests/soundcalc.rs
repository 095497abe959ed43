//! `zkvm soundcalc` prints the soundcalc input of the configured system, read from the live
//! configuration: it parses as TOML with every field soundcalc needs, follows the config, and
//! our own computation (`--bits`) puts every circuit of the default config at 128 bits or more.

use std::process::Command;

fn zkvm(args: &[&str]) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_zkvm")).args(args).output().unwrap();
    (output.status.success(), String::from_utf8(output.stdout).unwrap())
}

fn circuits(text: &str) -> Vec<toml::Table> {
    let parsed: toml::Table = toml::from_str(text).expect("soundcalc output is TOML");
    assert_eq!(parsed["zkevm"]["field"].as_str(), Some("BabyBear^5"));
    assert_eq!(parsed["zkevm"]["protocol_family"].as_str(), Some("FRI_STARK"));
    parsed["circuits"].as_array().unwrap().iter().map(|c| c.as_table().unwrap().clone()).collect()
}

#[test]
fn soundcalc_output_has_every_field_for_every_circuit() {
    let (ok, text) = zkvm(&["soundcalc"]);
    assert!(ok);
    let circuits = circuits(&text);
    assert!(!circuits.is_empty());
    for circuit in &circuits {
        for key in [
            "name",
            "rho",
            "trace_length",
            "air_max_degree",
            "num_constraints",
            "batch_size",
            "opening_points",
            "num_queries",
            "fri_folding_factors",
            "fri_early_stop_degree",
            "grinding_batching_phase",
            "grinding_commit_phase",
            "grinding_query_phase",
            "grinding_deep",
        ] {
            assert!(circuit.contains_key(key), "{key} missing from {}", circuit["name"]);
        }
        let lookup = &circuit["lookups"].as_array().unwrap()[0];
        for key in ["rows_L", "rows_T", "num_columns_S", "num_lookups_M", "grinding_bits_lookup"] {
            assert!(lookup.get(key).is_some(), "{key} missing from the lookup");
        }
        // soundcalc checks that the folding ends at the early-stop degree.
        let folds: i64 = circuit["fri_folding_factors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_integer().unwrap())
            .product();
        let domain =
            circuit["trace_length"].as_integer().unwrap() as f64 / circuit["rho"].as_float().unwrap();
        assert_eq!(domain as i64 / folds, circuit["fri_early_stop_degree"].as_integer().unwrap());
    }
}

#[test]
fn soundcalc_lists_the_segment_circuit_and_every_node_kind() {
    let (ok, text) = zkvm(&["soundcalc"]);
    assert!(ok);
    let names: Vec<String> =
        circuits(&text).iter().map(|c| c["name"].as_str().unwrap().to_string()).collect();
    assert_eq!(names, ["segment", "leaf", "internal", "final"]);
}

#[test]
fn soundcalc_output_follows_the_config() {
    let dir = std::env::temp_dir().join(format!("zkvm-soundcalc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("zkvm.toml");
    std::fs::write(
        &config,
        "[proof]\nnum_queries = 200\nlookup_pow_bits = 3\n[plugins.keccak]\n\
         [recursion.aggregation]\nnum_queries = 150\n[recursion.final]\nlog_blowup = 4\nnum_queries = 90\n",
    )
    .unwrap();
    let (_, default) = zkvm(&["soundcalc"]);
    let (ok, changed) = zkvm(&["soundcalc", "--config", config.to_str().unwrap()]);
    assert!(ok);
    let (before, after) = (&circuits(&default)[0], &circuits(&changed)[0]);
    assert_eq!(after["num_queries"].as_integer(), Some(200));
    assert_eq!(after["lookups"][0]["grinding_bits_lookup"].as_integer(), Some(3));
    // The keccak chip's columns and constraints join the segment circuit.
    assert!(after["batch_size"].as_integer() > before["batch_size"].as_integer());
    assert!(after["num_constraints"].as_integer() > before["num_constraints"].as_integer());
    // The node circuits follow their own sections: leaf and internal `[recursion.aggregation]`,
    // the final node `[recursion.final]`.
    let changed = circuits(&changed);
    for (index, queries, rho) in [(1, 150, 0.25), (2, 150, 0.25), (3, 90, 0.0625)] {
        assert_eq!(changed[index]["num_queries"].as_integer(), Some(queries), "{}", changed[index]["name"]);
        assert_eq!(changed[index]["rho"].as_float(), Some(rho), "{}", changed[index]["name"]);
    }
    // With 3 bits of lookup grinding the LogUp term falls below the target, and --bits says so.
    let (_, bits) = zkvm(&["soundcalc", "--bits", "--config", config.to_str().unwrap()]);
    assert!(bits.contains("BELOW the 128-bit target"), "{bits}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn default_config_reaches_128_bits() {
    let (ok, bits) = zkvm(&["soundcalc", "--bits"]);
    assert!(ok);
    let totals: Vec<u32> = bits
        .lines()
        .filter_map(|line| line.trim().strip_prefix("total"))
        .map(|rest| rest.split_whitespace().next().unwrap().parse().unwrap())
        .collect();
    assert!(!totals.is_empty());
    assert!(totals.iter().all(|&bits| bits >= 128), "{bits}");
}
