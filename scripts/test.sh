#!/usr/bin/env bash
# The project's test command (README.md): installs what the tests need when it is missing,
# then checks guest reproducibility, formatting, lints, and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*" >&2; }

if ! command -v qemu-riscv32 >/dev/null; then
    step "installing qemu-user (the differential test's oracle)"
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq qemu-user >/dev/null
fi

step "example guests: rebuilding and comparing with the committed ELFs"
scripts/build-guests.sh --check

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy --all-targets -- -D warnings"
cargo clippy --workspace --all-targets --release --locked -- -D warnings

step "whitepaper compiles"
docs/whitepaper/build.sh "$(mktemp -d)/zkvm-whitepaper.pdf"

step "cargo test"
cargo test --workspace --release --locked
