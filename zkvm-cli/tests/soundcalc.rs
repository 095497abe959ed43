//! `zkvm soundcalc` prints the soundcalc input of the configured system, read from the live
//! configuration: it parses as TOML with every field soundcalc needs, follows the config, and
//! our own computation (`--bits`) puts every circuit of the default config at 128 bits or more
//! (unique decoding; `--johnson` reports the Johnson-bound regime beside it).

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
    let totals = totals(&bits);
    assert!(!totals.is_empty());
    assert!(totals.iter().all(|&(_, level)| level >= 128), "{bits}");
}

#[test]
fn the_johnson_bound_is_reported_beside_unique_decoding() {
    // The TOML pins the list-decoding regime and each circuit's gap, inside (0, 1 - sqrt(rho)).
    let (ok, text) = zkvm(&["soundcalc", "--johnson"]);
    assert!(ok);
    let johnson = circuits(&text);
    let (_, unique) = zkvm(&["soundcalc"]);
    assert_eq!(johnson.len(), circuits(&unique).len());
    for circuit in &johnson {
        assert_eq!(circuit["explicit_regime"].as_str(), Some("list"), "{circuit:?}");
        let gap = circuit["gap_to_radius"].as_float().unwrap();
        let rho = circuit["rho"].as_float().unwrap();
        assert!(gap > 0.0 && gap < 1.0 - rho.sqrt(), "{circuit:?}");
    }
    for circuit in circuits(&unique) {
        assert_eq!(circuit["explicit_regime"].as_str(), Some("unique"));
        assert!(!circuit.contains_key("gap_to_radius"));
    }
    // The bits table names the regime and its gap for every circuit, and differs from the
    // unique-decoding one.
    let (ok, bits) = zkvm(&["soundcalc", "--bits", "--johnson"]);
    assert!(ok);
    let headers: Vec<&str> = bits.lines().filter(|l| l.starts_with("circuit ")).collect();
    assert_eq!(headers.len(), johnson.len());
    assert!(headers.iter().all(|h| h.contains("(Johnson bound, gap 0.")), "{bits}");
    let (_, unique_bits) = zkvm(&["soundcalc", "--bits"]);
    assert_ne!(bits, unique_bits);
}

/// The `total` of every circuit in a `--bits` table, by circuit name.
fn totals(bits: &str) -> Vec<(String, u32)> {
    let mut name = String::new();
    let mut totals = Vec::new();
    for line in bits.lines() {
        if let Some(rest) = line.strip_prefix("circuit ") {
            name = rest.split_whitespace().next().unwrap().to_string();
        } else if let Some(rest) = line.trim().strip_prefix("total") {
            totals.push((name.clone(), rest.split_whitespace().next().unwrap().parse().unwrap()));
        }
    }
    totals
}

#[test]
fn the_johnson_bound_example_config_holds_what_it_says() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/configs/final-johnson-bound.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    // The file as shipped, and with its commented rate-1/16 alternative swapped in.
    let alternative: Vec<&str> =
        text.lines().filter_map(|l| l.strip_prefix("# ")).filter(|l| l.contains(" = ")).collect();
    let key = |line: &str| line.split(" = ").next().unwrap().trim().to_string();
    let swapped: String = text
        .lines()
        .filter(|l| !alternative.iter().any(|a| key(a) == key(l)))
        .chain(alternative.iter().copied())
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(alternative.iter().any(|l| l.starts_with("log_blowup = 4")), "{alternative:?}");
    let dir = std::env::temp_dir().join(format!("zkvm-johnson-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let swapped_path = dir.join("swapped.toml");
    std::fs::write(&swapped_path, swapped).unwrap();
    for config in [path.to_str().unwrap(), swapped_path.to_str().unwrap()] {
        let (ok, johnson) = zkvm(&["soundcalc", "--bits", "--johnson", "--config", config]);
        let (_, unique) = zkvm(&["soundcalc", "--bits", "--config", config]);
        assert!(ok, "{config}");
        for ((name, jbr), (_, udr)) in totals(&johnson).into_iter().zip(totals(&unique)) {
            if name == "final" {
                // 128 bits under the Johnson bound, well short of it under unique decoding.
                assert!(jbr >= 128 && udr < 128, "{config}: final {jbr} / {udr}");
            } else {
                // The other circuits keep their unique-decoding defaults.
                assert!(udr >= 128, "{config}: {name} {udr}");
            }
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
