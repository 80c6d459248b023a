#!/usr/bin/env bash
# Benchmark: Pebble parse and render of a typical 10-expression flow template, in release mode.
# Usage: bench/pebble.sh    Not part of the test suite; see BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
. scripts/lib.sh
bench_build pebble-bench
"$(swift build -c release --show-bin-path)/pebble-bench"
