#!/usr/bin/env bash
# History at scale: fills (or reuses) a data directory with 1,000,000 executions (history-fill), starts `gatehouse serve`
# on 127.0.0.1 with an auditor's API token, and measures filtered history pages with wrk and a filtered CSV export with
# curl (rows a second, the server's peak memory). Usage: bench/history.sh [COUNT]. Needs wrk (Debian: apt-get install
# wrk), curl, sqlite3 and python3. Not part of the test suite; see BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
. scripts/lib.sh
for tool in wrk curl sqlite3 python3; do
    command -v "$tool" >/dev/null || { echo "bench/history.sh needs $tool" >&2; exit 1; }
done
COUNT="${1:-1000000}"
DATA="${HISTORY_BENCH_DATA:-/tmp/gatehouse-history-bench}"
PORT="${HISTORY_BENCH_PORT:-18089}"
DURATION="${HISTORY_BENCH_DURATION:-20s}"

bench_build history-fill gatehouse
BIN="$(swift build -c release --show-bin-path)"

have=$(sqlite3 "$DATA/gatehouse.sqlite" "SELECT count(*) FROM execution" 2>/dev/null || echo 0)
# A fill from before history-fill left out unfinished states has 50,000 orphans the server's recovery would chew on.
orphans=$(sqlite3 "$DATA/gatehouse.sqlite" "SELECT count(*) FROM execution WHERE state IN ('RUNNING', 'QUEUED', 'CREATED')" 2>/dev/null || echo 0)
if [ "$have" -lt "$COUNT" ] || [ "$orphans" -gt 0 ]; then
    rm -rf "$DATA"
    "$BIN/history-fill" "$DATA" "$COUNT"
else
    echo "reusing $DATA ($have executions)"
fi
if [ "$(sqlite3 "$DATA/gatehouse.sqlite" "SELECT count(*) FROM user WHERE name = 'olga'")" = 0 ]; then
    echo "history-bench-password" | "$BIN/gatehouse" user add olga --role auditor --password-stdin --data "$DATA" >/dev/null
fi
TOKEN=$("$BIN/gatehouse" token create olga --name bench --data "$DATA" 2>/dev/null | tail -1)
FLOWS=$(mktemp -d)

"$BIN/gatehouse" serve --host 127.0.0.1 --port "$PORT" --data "$DATA" --flows "$FLOWS" >/tmp/gatehouse-history-bench.log 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; rm -rf "$FLOWS"' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.2; done
AUTH="Authorization: Bearer $TOKEN"
BASE="http://127.0.0.1:$PORT"

# A cursor deep into the filtered set (row 150,000 of team.infra, newest first), as a Next link would carry it.
DEEP=$(sqlite3 "$DATA/gatehouse.sqlite" \
    "SELECT createdAt, id FROM execution WHERE namespace = 'team.infra' ORDER BY createdAt DESC, id DESC LIMIT 1 OFFSET 150000" |
    python3 -c 'import sys, json, base64; c, i = sys.stdin.read().strip().split("|"); print(base64.urlsafe_b64encode(json.dumps([c, i], separators=(",", ":")).encode()).decode().rstrip("="))')

echo "== machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), commit $(git rev-parse --short HEAD), $(date -u +%FT%TZ)"
# wrk's "99%  1.23ms" in milliseconds.
wrk_ms() {
    awk -v p="$1" '$1 == p { v = $2; unit = v; sub(/[0-9.]+/, "", unit); sub(/[a-z]+$/, "", v)
        if (unit == "us") v /= 1000; else if (unit == "s") v *= 1000; else if (unit == "m") v *= 60000
        printf "%.2f", v }'
}
# key|page: the key names the page's figures for bench/run.
for entry in \
    "flow_state|/history?flow=team.infra.vm-provision&state=FAILED" \
    "requester|/history?requester=user042" \
    "deep|/history?namespace=team.infra&after=$DEEP" \
    "approver_label|/history?approver=approver07&label=env%3Dprod" \
    "text|/history?q=OPS-4242"; do
    key=${entry%%|*}
    page=${entry#*|}
    rows=$(curl -fs -H "$AUTH" "$BASE$page" | grep -c 'href="/executions/' || true)
    echo "== GET $page ($rows rows)"
    # 64 and 4 connections as fast as they can (saturation), 1 connection (one person at a time, back to back), and
    # 4 connections paced by bench/paced.lua (a steady ~300 pages a second, below saturation).
    for connections in 64 4 1 4paced; do
        label="$connections connections"
        [ "$connections" != 4paced ] || label="4 connections, paced"
        echo "-- $label, $DURATION"
        set -- -t2 -c4 -s bench/paced.lua
        case $connections in 1) set -- -t1 -c1 ;; 4 | 64) set -- -t2 -c"$connections" ;; esac
        out=$(wrk "$@" -d"$DURATION" --latency -H "$AUTH" "$BASE$page")
        grep -E "Requests/sec|Latency  |50%|99%|Non-2xx" <<<"$out"
        bench_figure "history.$key.rps_$connections" "$(awk '$1 == "Requests/sec:" { printf "%.0f", $2 }' <<<"$out")"
        bench_figure "history.$key.p50_${connections}_ms" "$(wrk_ms 50% <<<"$out")"
        bench_figure "history.$key.p99_${connections}_ms" "$(wrk_ms 99% <<<"$out")"
    done
done

for entry in "filtered|/history.csv?namespace=team.data&state=SUCCESS" "full|/history.csv"; do
    key=${entry%%|*}
    export=${entry#*|}
    echo "== GET $export"
    seconds=$(curl -fs -H "$AUTH" -o /tmp/gatehouse-history-export.csv -w "%{time_total}" "$BASE$export")
    echo "$seconds s, $(stat -c %s /tmp/gatehouse-history-export.csv) bytes"
    rows=$(($(python3 -c 'import csv, sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], newline=""))))' /tmp/gatehouse-history-export.csv) - 1))
    echo "$rows rows; server peak RSS $(grep VmHWM /proc/$SERVER/status | awk '{print $2, $3}')"
    bench_figure "history.export_$key.s" "$seconds"
    bench_figure "history.export_$key.rows_per_s" "$(awk -v n="$rows" -v s="$seconds" 'BEGIN { printf "%.0f", n / s }')"
done
bench_figure history.peak_rss_mib "$(awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$SERVER/status")"
rm -f /tmp/gatehouse-history-export.csv
