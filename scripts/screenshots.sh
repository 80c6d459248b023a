#!/usr/bin/env bash
# Takes the README's screenshots on the real browser journeys: the same live `gatehouse serve` as scripts/browser-tests
# (the shipped Hetzner VM flow, the real Terraform CLI on the fixture module, SMTP and Slack sinks; scripts/journeys.sh)
# and Tests/Browser/journeys.py with --screenshots, which saves each page as the developer, approver and auditor reach
# it: full-page PNGs 1280 pixels wide, the request form also 390 wide (a phone). Then optipng shrinks them.
# Usage: scripts/screenshots.sh [OUT_DIR]    (default docs/screenshots; KEEP=1 keeps the data directory;
#        GATEHOUSE_BIN=PATH uses that binary instead of building one)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs/screenshots}

# shellcheck source=scripts/lib.sh
. scripts/lib.sh
# shellcheck source=scripts/journeys.sh
. scripts/journeys.sh

section "Tools"
require_command optipng optipng
journey_tools

section "Build"
journey_binary

journey_server gatehouse-screenshots
# The tokens page shows what a developer would have made for a laptop and a pipeline.
"$gatehouse" token create ada --name laptop --data "$data" >/dev/null 2>&1 3>&-
"$gatehouse" token create ada --name azure-pipeline --data "$data" >/dev/null 2>&1 3>&-

section "Journeys in Chromium, screenshots into $out"
# Into the work folder first: a failed run leaves the pictures in $out as they were.
run_journeys --screenshots "$workdir/shots"
optipng -quiet -o2 "$workdir/shots"/*.png
mkdir -p "$out"
rm -f "$out"/*.png
cp "$workdir/shots"/*.png "$out/"
ls -l "$out"/*.png
