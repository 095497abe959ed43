#!/usr/bin/env bash
# Runs every fuzz target (fuzz/fuzz_targets/) for SECONDS each (default 30), installing cargo-fuzz
# when missing. The committed corpora (fuzz/corpus/TARGET) seed each run; the proof verifier and
# the keyed final-proof verifier are also seeded with a valid proof of the loop guest made on the
# spot (a segment bundle and a final proof). Any crash stops the script with libFuzzer's report
# and the input under fuzz/artifacts/.
#
#   scripts/fuzz.sh            # 30 s per target (the CI step)
#   scripts/fuzz.sh 600        # 10 minutes per target
#   scripts/fuzz.sh 60 load_elf parse_config
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
seconds=${1:-30}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(verify_proof final_proof final_proof_keyed load_elf parse_config plugin_description)

export RUSTC_BOOTSTRAP=1 # cargo-fuzz passes -Z flags (sanitizers) to rustc
# cargo-fuzz sets RUSTFLAGS itself, which hides .cargo/config.toml's target-cpu=native: without
# it Plonky3's field and hash code runs several times slower (the keyed final-proof verifier's
# start-up, which builds the final key, took 295 s instead of 52 s).
export RUSTFLAGS="-C target-cpu=native"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked --version 0.13.2
cargo fuzz build -O

seeds=$(mktemp -d)
trap 'rm -rf "$seeds"' EXIT
# Both seeds are runs of the loop guest on this input, the one final_proof_keyed builds its key
# for (ROUNDS in fuzz/fuzz_targets/final_proof_keyed.rs): change both together.
echo 3 >"$seeds/rounds"
if [[ " ${targets[*]} " == *" verify_proof "* ]]; then
    mkdir -p "$seeds/verify_proof"
    cargo run --release --quiet -p zkvm-cli -- prove examples/elf/loop.elf --input "$seeds/rounds" \
        --bundle --insecure-test-parameters -o "$seeds/verify_proof/valid.proof" 2>/dev/null
fi
if [[ " ${targets[*]} " == *" final_proof_keyed "* ]]; then
    mkdir -p "$seeds/final_proof_keyed"
    cargo run --release --quiet -p zkvm-cli -- prove examples/elf/loop.elf --input "$seeds/rounds" \
        --insecure-test-parameters -o "$seeds/final_proof_keyed/valid.proof" 2>/dev/null
fi

for target in "${targets[@]}"; do
    corpus="fuzz/corpus/$target"
    mkdir -p "$corpus" "fuzz/artifacts/$target"
    max_len=65536
    extra=()
    if [ -d "$seeds/$target" ]; then
        max_len=$(( $(stat -c %s "$seeds/$target/valid.proof") + 4096 ))
        extra=("$seeds/$target")
    fi
    echo "==> fuzz $target for ${seconds}s" >&2
    # New inputs go to a scratch corpus so the committed one stays small.
    scratch="$seeds/scratch-$target"
    mkdir -p "$scratch"
    cargo fuzz run -O "$target" "$scratch" "$corpus" "${extra[@]}" -- \
        -max_total_time="$seconds" -max_len="$max_len" -rss_limit_mb=4096 -timeout=60 \
        -artifact_prefix="fuzz/artifacts/$target/" -print_final_stats=1 2>&1 |
        grep -E "^(stat::number_of_executed_units|stat::new_units_added|==|SUMMARY|Done)|panicked|ERROR" || true
    # Slow units are reported, not failures; crashes, leaks, timeouts and out-of-memory are.
    failed=0
    for kind in crash leak timeout oom; do
        if compgen -G "fuzz/artifacts/$target/$kind-*" >/dev/null; then failed=1; fi
    done
    if [ $failed -eq 1 ]; then
        echo "fuzz: $target failed (crash, leak, timeout or out of memory); inputs in fuzz/artifacts/$target" >&2
        exit 1
    fi
done
