#!/usr/bin/env bash
# Benchmark: the portal under load with wrk on 127.0.0.1 (issue 6): the catalog, a request form, an execution page
# with 1,000 log lines, and the history API, each at 64 connections.
# Usage: bench/web.sh    (DURATION=20s CONNECTIONS=64 THREADS=2 KEEP=1 to change the run or keep the data)
# Builds gatehouse in release mode, seeds a temporary data directory (an admin, an API token, the shipped flows plus a
# bench flow whose execution logs 1,000 lines, and 50 runs of hello), starts `gatehouse serve`, signs in through the
# real form, checks that every URL answers 200, then runs wrk against each. Not part of the test suite; see BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."

duration=${DURATION:-20s}
connections=${CONNECTIONS:-64}
threads=${THREADS:-2}

# shellcheck source=scripts/lib.sh
. scripts/lib.sh

# --- Tools ------------------------------------------------------------------------------------------------------

section "Tools"
for pair in wrk:wrk curl:curl python3:python3; do
    if ! command -v "${pair%%:*}" >/dev/null 2>&1; then
        echo "${pair%%:*} is missing; installing Debian package ${pair#*:}"
        apt_install "${pair#*:}"
    fi
done
swift --version 2>&1 | head -n 1
wrk --version 2>&1 | head -n 1 || true

# --- Build ------------------------------------------------------------------------------------------------------

section "Build (swift build -c release --static-swift-stdlib --product gatehouse)"
bench_build gatehouse
gatehouse="$(swift build -c release --show-bin-path)/gatehouse"

# --- Data -------------------------------------------------------------------------------------------------------

make_workdir gatehouse-webbench

data="$workdir/data"
flows="$workdir/flows"
mkdir -p "$data" "$flows/bench"
cp -R flows/. "$flows/"
# One shell task printing 1,000 lines through the process runner: the execution page's heaviest realistic case.
cat >"$flows/bench/thousand-lines.yaml" <<'YAML'
id: thousand-lines
namespace: bench
description: Prints 1,000 numbered lines, for the execution page benchmark.
tasks:
  - id: print
    type: io.kestra.plugin.scripts.shell.Commands
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    commands:
      - for i in $(seq 1 1000); do echo "line $i of 1000 - the quick brown fox jumps over the lazy dog"; done
YAML

section "Seed $data"
password="bench-password-$RANDOM$RANDOM"
printf '%s\n' "$password" | "$gatehouse" user add bench --role admin --email bench@example.com --password-stdin --data "$data"
token=$("$gatehouse" token create bench --name bench --data "$data" 2>/dev/null | tail -n 1)
[ -n "$token" ] || fail "gatehouse token create printed no token"
execution=$("$gatehouse" run "$flows/bench/thousand-lines.yaml" --data "$data" --user bench --json 2>"$workdir/run.log" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
lines=$(grep -c 'line [0-9]* of 1000' "$workdir/run.log" || true)
[ "$lines" -eq 1000 ] || fail "the bench flow logged $lines lines, not 1000"
for i in $(seq 1 50); do
    "$gatehouse" run flows/examples/hello.yaml --data "$data" --user bench --input "name=Bench" >/dev/null
done
total=$("$gatehouse" executions --data "$data" | wc -l)
echo "execution $execution has 1,000 log lines; 50 runs of examples.hello; $total executions in all"

# --- Serve ------------------------------------------------------------------------------------------------------

section "Serve"
serve_gatehouse "$gatehouse" "$workdir/serve.log" --data "$data" --flows "$flows"
echo "serving at $base"

# Sign in through the form: the CSRF cookie comes with the page, the form echoes it back (double submit).
jar="$workdir/cookies.txt"
curl -fsS -c "$jar" -o /dev/null "$base/sign-in"
csrf=$(awk '$6 == "gatehouse_csrf" { print $7 }' "$jar")
[ -n "$csrf" ] || fail "the sign-in page set no gatehouse_csrf cookie"
status=$(curl -sS -b "$jar" -c "$jar" -o /dev/null -w '%{http_code}' \
    --data-urlencode "name=bench" --data-urlencode "password=$password" --data-urlencode "_csrf=$csrf" --data-urlencode "next=/" \
    "$base/sign-in")
[ "$status" = 303 ] || fail "signing in answered $status, not 303"
session=$(awk '$6 == "gatehouse_session" { print $7 }' "$jar")
[ -n "$session" ] || fail "signing in set no gatehouse_session cookie"
cookie="Cookie: gatehouse_session=$session; gatehouse_csrf=$csrf"
bearer="Authorization: Bearer $token"

# key|name|path|header; the key names the page's figures for bench/run.
pages=(
    "catalog|catalog|/|$cookie"
    "form|request form (examples.hello, 5 inputs)|/flows/examples/hello/request|$cookie"
    "execution|execution page (1,000 log lines)|/executions/$execution|$cookie"
    "api|history API (search, 25 of $total, bearer token)|/api/v1/executions/search|$bearer"
)

section "Check that every URL answers 200"
for entry in "${pages[@]}"; do
    IFS='|' read -r key name path header <<<"$entry"
    read -r status bytes < <(curl -sS -o /dev/null -w '%{http_code} %{size_download}\n' -H "$header" "$base$path")
    [ "$status" = 200 ] || fail "$name: GET $path answered $status, not 200; a benchmark of that would be worthless"
    echo "$name: GET $path -> 200, $bytes bytes"
done

# --- Load -------------------------------------------------------------------------------------------------------

# wrk's latency lines are "50% 1.23ms"; converts the unit to milliseconds.
percentile() {
    awk -v p="$1" '$1 == p {
        v = $2; unit = v; sub(/[0-9.]+/, "", unit); sub(/[a-z]+$/, "", v)
        if (unit == "us") v /= 1000; else if (unit == "s") v *= 1000; else if (unit == "m") v *= 60000
        printf "%.2f ms", v
    }' "$2"
}

# The server's CPU time (user + system, in clock ticks) so far: per request, it does not depend on what else the
# machine is doing, unlike req/s and latency.
cpu_ticks() {
    awk '{ print $14 + $15 }' "/proc/$server_pid/stat"
}

# Waits until the server has worked off the previous run's queue (a slow page leaves requests in flight).
settle() {
    for _ in $(seq 1 50); do
        local seconds
        seconds=$(curl -sS -o /dev/null -w '%{time_total}' "$base/healthz" || echo 9)
        awk -v s="$seconds" 'BEGIN { exit !(s < 0.05) }' && return 0
        sleep 0.5
    done
    fail "the server is still busy 25 s after the previous run"
}

commit=$(git rev-parse --short HEAD 2>/dev/null || echo "uncommitted")
[ -z "$(git status --porcelain -- Sources Templates Public 2>/dev/null)" ] || commit="$commit + changes"
rows=()
section "wrk -t$threads -c$connections -d$duration --latency"
for entry in "${pages[@]}"; do
    IFS='|' read -r key name path header <<<"$entry"
    settle
    load=$(cut -d ' ' -f 1 /proc/loadavg)
    echo "--- $name: $path (load average before: $load)"
    before=$(cpu_ticks)
    wrk -t"$threads" -c"$connections" -d"$duration" --latency -H "$header" "$base$path" | tee "$workdir/wrk.txt"
    after=$(cpu_ticks)
    if grep -q 'Non-2xx' "$workdir/wrk.txt"; then fail "$name: wrk saw non-2xx answers"; fi
    requests=$(awk '$2 == "requests" && $3 == "in" { print $1 }' "$workdir/wrk.txt")
    [ "${requests:-0}" -gt 0 ] || fail "$name: wrk completed no request"
    rps=$(awk '$1 == "Requests/sec:" { printf "%.0f", $2 }' "$workdir/wrk.txt")
    cpu=$(awk -v a="$before" -v b="$after" -v n="$requests" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.3f ms", (b - a) / hz * 1000 / n }')
    errors=$(sed -n 's/^ *Socket errors: //p' "$workdir/wrk.txt")
    p50=$(percentile 50% "$workdir/wrk.txt")
    p99=$(percentile 99% "$workdir/wrk.txt")
    rows+=("| $(date -u '+%Y-%m-%d %H:%M') | $commit | $name | $rps | $p50 | $p99 | $cpu | ${errors:-none} | $load |")
    bench_figure "web.$key.rps" "$rps"
    bench_figure "web.$key.p99_ms" "${p99% ms}"
    bench_figure "web.$key.cpu_ms" "${cpu% ms}"
done
kill -0 "$server_pid" 2>/dev/null || fail "gatehouse serve died during the benchmark"
# The server's peak resident memory over the whole run (VmHWM), and what it holds once the load has stopped.
peak_rss=$(awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$server_pid/status")
after_rss=$(awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$server_pid/status")
bench_figure memory.load_peak_rss_mib "$peak_rss"
bench_figure memory.after_load_rss_mib "$after_rss"

# --- Report -----------------------------------------------------------------------------------------------------

section "Result (wrk -t$threads -c$connections -d$duration; load average: 1-minute, just before each run)"
echo "server peak RSS during the runs: $peak_rss MiB; after them: $after_rss MiB"
echo "| date (UTC) | commit | page | req/s | p50 | p99 | server CPU per request | socket errors | load average |"
echo "|---|---|---|---|---|---|---|---|---|"
mkdir -p bench/results
for row in "${rows[@]}"; do
    echo "$row"
    echo "$row" >>bench/results/web.md
done
echo
echo "appended to bench/results/web.md (not checked in); copy the rows into BENCHMARKS.md"
