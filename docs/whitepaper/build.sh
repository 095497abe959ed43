#!/usr/bin/env bash
# Builds the whitepaper PDF: docs/whitepaper/build.sh [OUTPUT.pdf]
# Installs the Typst compiler from PyPI (the `typst` package) when it is missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/zkvm-whitepaper.pdf}
if ! python3 -c 'import typst' 2>/dev/null; then
    echo "whitepaper: installing the typst package from PyPI" >&2
    python3 -m pip install --quiet typst
fi
python3 - "$here/main.typ" "$out" <<'PY'
import sys, typst
typst.compile(sys.argv[1], output=sys.argv[2])
PY
echo "whitepaper: wrote $out" >&2
