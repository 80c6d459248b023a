#!/usr/bin/env bash
# Takes the README's screenshots: builds gatehouse, seeds a temporary data directory (users, tokens, a few
# executions), starts `gatehouse serve`, runs scripts/screenshots.py with headless Chromium, and stops the server.
# Usage: scripts/screenshots.sh [OUT_DIR]    (default docs/screenshots; KEEP=1 keeps the data directory)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs/screenshots}

# shellcheck source=scripts/lib.sh
. scripts/lib.sh

# --- Tools ------------------------------------------------------------------------------------------------------

section "Tools"
require_command optipng optipng
require_browser
chromium --version

section "Build"
swift build --product gatehouse
gatehouse="$(swift build --show-bin-path)/gatehouse"

# --- Data -------------------------------------------------------------------------------------------------------

make_workdir gatehouse-screenshots

data="$workdir/data"
flows="$workdir/flows"
mkdir -p "$data" "$flows/platform.infra"
cp -R flows/. "$flows/"
# A VM request in the shape of the Hetzner flow: many inputs, and an approval before anything happens.
cat >"$flows/platform.infra/vm-request.yaml" <<'YAML'
id: vm-request
namespace: platform.infra
description: |
  Ask for a **Hetzner Cloud** server. An approver sees your answers before anything is created.
labels:
  gatehouse.displayName: Virtual machine
  team: platform
inputs:
  - id: name
    type: STRING
    displayName: Server name
    description: Lowercase letters, digits and dashes; 3 to 31 characters.
    validator: "^[a-z][a-z0-9-]{2,30}$"
  - id: server_type
    type: SELECT
    displayName: Size
    values:
      - label: CX22 (2 vCPU, 4 GB)
        value: cx22
      - label: CX32 (4 vCPU, 8 GB)
        value: cx32
      - label: CX42 (8 vCPU, 16 GB)
        value: cx42
    defaults: cx22
  - id: location
    type: SELECT
    displayName: Location
    values:
      - label: Falkenstein
        value: fsn1
      - label: Nuremberg
        value: nbg1
      - label: Helsinki
        value: hel1
    defaults: fsn1
  - id: owner_email
    type: EMAIL
    displayName: Owner e-mail
    description: Where the login details and the expiry warning go.
  - id: ttl_days
    type: INT
    displayName: Keep it for (days)
    description: The server is deleted after this many days.
    min: 1
    max: 90
    defaults: 30
  - id: public_ipv4
    type: BOOL
    displayName: Public IPv4 address
    defaults: true
  - id: purpose
    type: STRING
    displayName: What is it for?
    required: false
tasks:
  - id: announce
    type: io.kestra.plugin.core.log.Log
    message: "{{ inputs.owner_email }} asks for {{ inputs.name }} ({{ inputs.server_type }} in {{ inputs.location }})"
  - id: approval
    type: io.kestra.plugin.core.flow.Pause
  - id: create
    type: io.kestra.plugin.core.log.Log
    message: "Creating {{ inputs.name }}"
YAML

section "Seed $data"
password="screenshot-password-$RANDOM$RANDOM"
printf '%s\n' "$password" | "$gatehouse" user add alice --role requester --email alice@example.com --password-stdin --data "$data"
printf '%s\n' "$password" | "$gatehouse" user add admin --role admin --password-stdin --data "$data"
"$gatehouse" token create alice --name laptop --data "$data" >/dev/null 2>&1
"$gatehouse" token create alice --name azure-pipeline --data "$data" >/dev/null 2>&1
run() {
    "$gatehouse" run "$@" --data "$data" --user alice --json 2>/dev/null | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])'
}
run flows/examples/hello.yaml --input name=Alice >/dev/null
rejected=$(run "$flows/platform.infra/vm-request.yaml" --input name=gpu-box --input server_type=cx42 \
    --input owner_email=alice@example.com --input purpose="Model training")
"$gatehouse" resume "$rejected" --reject --comment "Please use the shared GPU pool" --user admin --data "$data" >/dev/null 2>&1 || true
finished=$(run flows/examples/hello.yaml --input name=Gatehouse --input times=3 --input shout=true)
paused=$(run "$flows/platform.infra/vm-request.yaml" --input name=build-runner-7 --input owner_email=alice@example.com \
    --input ttl_days=14 --input purpose="A CI runner for the payments team")
"$gatehouse" executions --data "$data"

# --- Serve and shoot --------------------------------------------------------------------------------------------

section "Serve"
serve_gatehouse "$gatehouse" "$workdir/serve.log" --data "$data" --flows "$flows"

section "Screenshots into $out"
GATEHOUSE_PASSWORD="$password" python3 scripts/screenshots.py "$base" "$out" --user alice --flow platform.infra/vm-request \
    --execution "$finished" --paused "$paused" --bad "name=My Server!" --bad "owner_email=alice.example.com" --bad ttl_days=365
optipng -quiet -o2 "$out"/*.png
ls -l "$out"/*.png
