#!/usr/bin/env bash
# Builds the example guests into examples/elf/ with Debian's cross toolchains, installing them
# with apt-get when missing. The build is reproducible: paths are remapped and the toolchains are
# Debian's, so CI rebuilds the ELFs and fails if their bytes differ from the committed ones
# (scripts/build-guests.sh --check).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
check=0
[ "${1:-}" = "--check" ] && check=1

need=()
[ -x /usr/bin/rustc ] && [ -d /usr/lib/rustlib/src/rust/library ] || need+=(rustc-web rust-web-src)
[ -x /usr/bin/cargo ] || need+=(cargo-web)
command -v ld.lld-19 >/dev/null || need+=(lld-19)
command -v riscv64-unknown-elf-gcc >/dev/null || need+=(gcc-riscv64-unknown-elf)
if [ ${#need[@]} -gt 0 ]; then
    echo "build-guests: installing ${need[*]}" >&2
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

out="$root/examples/elf"
[ $check -eq 1 ] && out=$(mktemp -d)
mkdir -p "$out"

# Rust guests: build-std with Debian's rustc, from a copy of guest/ and examples/ at a fixed path.
# Cargo hashes the absolute path of a path dependency outside the workspace (guest/ is outside
# examples/) into every crate's symbol names, which decide inlining and function order; building
# at one fixed path makes the bytes the same from any checkout. Cargo's trim-paths replaces every
# absolute path left in the output (registry, sysroot); symbols are stripped all the same.
build=/tmp/zkvm-guest-build
mkdir -p "$build"
exec 9>"$build.lock"
flock 9
rm -rf "$build/src"
mkdir -p "$build/src"
tar -C "$root" --exclude=examples/target --exclude=examples/elf -cf - guest examples | tar -C "$build/src" -xf -
(
    cd "$build/src/examples"
    export RUSTC_BOOTSTRAP=1
    export CARGO_TARGET_DIR="$build/target"
    export RUSTFLAGS="-C link-arg=-Tlink.x -C link-arg=--build-id=none -C strip=symbols"
    export CARGO_PROFILE_RELEASE_TRIM_PATHS=all
    /usr/bin/cargo build -Ztrim-paths --release --locked --quiet
)
for guest in sha256 sha256-precompile loop keccak keccak-soft; do
    cp "$build/target/riscv32im-unknown-none-elf/release/$guest" "$out/$guest.elf"
done

# C guest: each source compiled to a named object (gcc would otherwise record random temporary
# file names), symbols stripped like the Rust guests.
(
    cd "$root/examples/hello-c"
    objects=$(mktemp -d)
    flags=(-march=rv32im -mabi=ilp32 -O2 -ffreestanding -ffile-prefix-map="$root"=/zkvm)
    riscv64-unknown-elf-gcc "${flags[@]}" -c start.S -o "$objects/start.o"
    riscv64-unknown-elf-gcc "${flags[@]}" -c main.c -o "$objects/main.o"
    riscv64-unknown-elf-gcc "${flags[@]}" -nostdlib -nostartfiles -s -Wl,--build-id=none -T link.x \
        "$objects/start.o" "$objects/main.o" -lgcc -o "$out/hello-c.elf"
    rm -rf "$objects"
)

if [ $check -eq 1 ]; then
    status=0
    for elf in "$out"/*.elf; do
        name=$(basename "$elf")
        if ! cmp -s "$elf" "$root/examples/elf/$name"; then
            echo "build-guests: examples/elf/$name differs from a fresh build (run scripts/build-guests.sh and commit)" >&2
            status=1
        fi
    done
    rm -rf "$out"
    [ $status -eq 0 ] && echo "build-guests: committed ELFs match a fresh build" >&2
    exit $status
fi
ls -l "$out"
