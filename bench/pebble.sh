#!/usr/bin/env bash
# Benchmark: Pebble parse and render of a typical 10-expression flow template, in release mode.
# Usage: bench/pebble.sh    Not part of the test suite; see BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
    export PATH="/opt/swift/usr/bin:$PATH"
fi
swift build -c release --product pebble-bench
"$(swift build -c release --show-bin-path)/pebble-bench"
