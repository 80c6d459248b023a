#!/usr/bin/env bash
# Benchmarks of the audit log at scale: fills a fresh data directory with N events (default 1,000,000, through the
# sqlite3 shell, chained with stand-in hashes: `audit verify` is not the point here), then times the /audit page under
# its filters (30 requests each, through a live `gatehouse serve`) and a full CSV and JSON export with its peak memory.
# Usage: bench/audit.sh [N] [release|debug]. Not part of the test suite; see BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
. scripts/lib.sh
count=${1:-1000000}
mode=${2:-release}
if [ "$mode" = release ]; then bench_build gatehouse; else swift build -c "$mode" --product gatehouse; fi
gatehouse="$(swift build -c "$mode" --show-bin-path)/gatehouse"
work=$(mktemp -d)
server=
cleanup() {
    if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
data="$work/data"
mkdir -p "$work/flows"

"$gatehouse" user add olga --role auditor --data "$data" >/dev/null
token=$("$gatehouse" token create olga --data "$data" 2>/dev/null | tail -n 1)
# One event every 30 seconds from 2026-01-01, a quarter each of four actions, 500 actors; times never go backwards.
sqlite3 "$data/gatehouse.sqlite" "
WITH RECURSIVE n(i) AS (SELECT 3 UNION ALL SELECT i + 1 FROM n WHERE i < $count + 2)
INSERT INTO auditEvent(sequence, at, actor, action, executionId, details, previousHash, hash)
SELECT i, strftime('%Y-%m-%d %H:%M:%f', 1798761600 + i * 30, 'unixepoch'), 'user' || (i % 500),
  CASE i % 4 WHEN 0 THEN 'execution.created' WHEN 1 THEN 'execution.success' WHEN 2 THEN 'auth.signed-in' ELSE 'execution.running' END,
  CASE WHEN i % 4 = 2 THEN NULL ELSE 'exec' || (i / 4) END,
  '{\"flow\":\"infra.vm\",\"inputs\":{\"size\":\"cx22\",\"name\":\"vm-' || i || '\"}}', printf('%064x', i - 1), printf('%064x', i)
FROM n;"
echo "events: $(sqlite3 "$data/gatehouse.sqlite" 'SELECT COUNT(*) FROM auditEvent')"

port=$((20000 + RANDOM % 20000))
GATEHOUSE_WEB_ROOT=$PWD "$gatehouse" serve --port "$port" --data "$data" --flows "$work/flows" 2>"$work/serve.log" &
server=$!
for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 0.1
done
for query in "" "?actor=user7" "?action=execution." "?action=auth." "?action=config.loaded" "?execution=exec77" \
    "?from=2027-03-01&to=2027-03-02" "?from=2027-01-01&to=2027-12-31" "?from=2027-03-01&to=2027-03-31&action=auth.&actor=user2" \
    "?before=500000&actor=user3"; do
    times=()
    for _ in $(seq 1 30); do
        times+=("$(curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $token" "http://127.0.0.1:$port/audit$query")")
    done
    median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR] = $1} END {printf "%.1f", a[int(NR / 2)] * 1000}')
    printf '%-62s %s\n' "/audit$query" "$(printf '%s\n' "${times[@]}" | sort -n |
        awk '{a[NR] = $1} END {printf "median %.1f ms, max %.1f ms", a[int(NR / 2)] * 1000, a[NR] * 1000}')"
    [ -n "$query" ] || bench_figure audit.newest_median_ms "$median"
    worst=$(awk -v a="${worst:-0}" -v b="$median" 'BEGIN { print (b > a ? b : a) }')
done
bench_figure audit.worst_median_ms "$worst"
kill "$server"
wait "$server" 2>/dev/null || true
server=
for format in csv json; do
    /usr/bin/time -o "$work/time.txt" -f "export $format: %e s (CPU %U s user, %S s system), peak memory %M KB" "$gatehouse" audit export --format "$format" --data "$data" --output "$work/out.$format"
    cat "$work/time.txt"
    bench_figure "audit.export_$format.s" "$(awk '{ print $3 }' "$work/time.txt")"
    bench_figure "audit.export_$format.rss_mib" "$(awk '{ for (i = 1; i < NF; i++) if ($i == "memory") printf "%.1f", $(i + 1) / 1024 }' "$work/time.txt")"
    ls -l "$work/out.$format" | awk '{print "  " $5 " bytes"}'
done
echo "load average: $(cut -d ' ' -f 1-3 /proc/loadavg)"
