#!/usr/bin/env bash
# Benchmarks of the engine: (a) 40 sequential Log tasks, (b) 40 shell tasks of python3 fib(10) against a plain shell
# loop, (c) submit-to-SUCCESS latency, (d) throughput with 1,000 executions at once, in release mode.
# Usage: bench/engine.sh. Not part of the test suite; see BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
. scripts/lib.sh
bench_build engine-bench
"$(swift build -c release --show-bin-path)/engine-bench"
