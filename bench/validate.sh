#!/usr/bin/env bash
# Benchmark: how fast `gatehouse validate` checks a repository of flows.
# Usage: bench/validate.sh [N]    (N flows, default 1000; KEEP=1 keeps the generated flows)
# Generates N copies of a realistic medium flow (inputs, 21 tasks with nested If/Parallel/Switch, triggers, errors),
# builds gatehouse in release mode, and reports the median wall time, flows per second and the maximum RSS.
# Not part of the test suite; see BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."

count=${1:-1000}
[[ "$count" =~ ^[1-9][0-9]*$ ]] || { echo "usage: bench/validate.sh [N]  (N a positive number of flows, default 1000)" >&2; exit 2; }

# shellcheck source=scripts/lib.sh
. scripts/lib.sh

apt_updated=false

# apt_install PACKAGE...: installs Debian packages non-interactively, running `apt-get update` once.
apt_install() {
    command -v apt-get >/dev/null 2>&1 || return 1
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || return 1
        sudo=(sudo)
    fi
    if [ "$apt_updated" = false ]; then
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq || return 1
        apt_updated=true
    fi
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

# --- Tools ------------------------------------------------------------------------------------------------------

section "Tools"
if ! command -v hyperfine >/dev/null 2>&1; then
    echo "hyperfine is missing; installing Debian package hyperfine"
    apt_install hyperfine || echo "warning: could not install hyperfine; timing with a loop of 5 runs instead"
fi
if [ ! -x /usr/bin/time ]; then
    echo "/usr/bin/time is missing; installing Debian package time"
    apt_install time || echo "warning: could not install time; max RSS will not be reported"
fi
swift --version 2>&1 | head -n 1
command -v hyperfine >/dev/null 2>&1 && hyperfine --version

# --- Flows ------------------------------------------------------------------------------------------------------

workdir=$(mktemp -d "${TMPDIR:-/tmp}/gatehouse-bench.XXXXXX")
if [ "${KEEP:-}" = 1 ]; then
    trap 'echo "kept the generated flows in $workdir"' EXIT
else
    trap 'rm -rf "$workdir"' EXIT
fi
flows="$workdir/flows"
mkdir -p "$flows/bench.infra"

# A medium flow in the shape of the shipped VM request: @N@ is replaced by the copy's number, so every id differs.
read -r -d '' template <<'YAML' || true
id: vm-request-@N@
namespace: bench.infra
description: |
  Provision a Hetzner Cloud VM after an approver has seen the Terraform plan (benchmark copy @N@).
labels:
  team: platform
  cost-center: "4711"
inputs:
  - id: name
    type: STRING
    displayName: Server name
    description: Lowercase letters, digits and dashes.
    validator: "^[a-z][a-z0-9-]{2,30}$"
  - id: server_type
    type: SELECT
    displayName: Size
    values: [cx22, cx32, cx42, cx52]
    defaults: cx22
  - id: location
    type: SELECT
    values: [fsn1, nbg1, hel1]
    defaults: fsn1
  - id: image
    type: STRING
    defaults: debian-12
  - id: owner_email
    type: EMAIL
    displayName: Owner e-mail
  - id: ttl_days
    type: INT
    description: Days until the VM is destroyed.
    defaults: 30
    min: 1
    max: 90
  - id: public_ipv4
    type: BOOLEAN
    defaults: true
variables:
  workspace: "vm-{{ inputs.name }}"
tasks:
  - id: announce
    type: io.kestra.plugin.core.log.Log
    message: "VM {{ inputs.name }} ({{ inputs.server_type }} in {{ inputs.location }}) requested"
  - id: preflight
    type: io.kestra.plugin.core.flow.Parallel
    tasks:
      - id: check_name
        type: io.kestra.plugin.core.http.Request
        uri: "https://api.hetzner.cloud/v1/servers?name={{ inputs.name }}"
        headers:
          Authorization: "Bearer {{ secret('HCLOUD_TOKEN') }}"
        timeout: PT30S
      - id: check_quota
        type: io.kestra.plugin.scripts.shell.Commands
        taskRunner:
          type: io.kestra.plugin.core.runner.Process
        commands:
          - echo '::{"outputs":{"quotaOk":true}}::'
  - id: plan
    type: io.kestra.plugin.terraform.cli.TerraformCLI
    taskRunner:
      type: io.kestra.plugin.core.runner.Process
    env:
      TF_VAR_name: "{{ inputs.name }}"
      TF_VAR_server_type: "{{ inputs.server_type }}"
      TF_VAR_location: "{{ inputs.location }}"
      TF_VAR_image: "{{ inputs.image }}"
      HCLOUD_TOKEN: "{{ secret('HCLOUD_TOKEN') }}"
    beforeCommands:
      - terraform init -input=false
    commands:
      - terraform plan -input=false -out=tfplan
    outputFiles:
      - tfplan
    retry:
      type: constant
      interval: PT10S
      maxAttempts: 3
  - id: size_gate
    type: io.kestra.plugin.core.flow.If
    condition: "{{ inputs.server_type != 'cx22' }}"
    then:
      - id: notify_approvers
        type: io.kestra.plugin.core.flow.Parallel
        tasks:
          - id: mail_approvers
            type: io.kestra.plugin.email.MailSend
            host: smtp.example.com
            port: 465
            from: gatehouse@example.com
            to: platform-approvers@example.com
            subject: "Approval needed: VM {{ inputs.name }}"
            htmlTextContent: "<p>{{ inputs.owner_email }} asks for a {{ inputs.server_type }} VM.</p>"
          - id: slack_approvers
            type: io.kestra.plugin.slack.notifications.SlackIncomingWebhook
            url: "{{ secret('SLACK_WEBHOOK') }}"
            messageText: "Approval needed for VM *{{ inputs.name }}* ({{ inputs.server_type }})"
    else:
      - id: small_vm
        type: io.kestra.plugin.core.log.Log
        message: A small VM; any approver may approve it.
        level: DEBUG
  - id: approval
    type: io.kestra.plugin.core.flow.Pause
    onResume:
      - id: approved
        type: BOOLEAN
        defaults: true
      - id: comment
        type: STRING
        required: false
  - id: decision
    type: io.kestra.plugin.core.flow.If
    condition: "{{ outputs.approval.onResume.approved }}"
    then:
      - id: apply
        type: io.kestra.plugin.terraform.cli.TerraformCLI
        taskRunner:
          type: io.kestra.plugin.core.runner.Process
        inputFiles:
          tfplan: "{{ outputs.plan.outputFiles['tfplan'] }}"
        beforeCommands:
          - terraform init -input=false
        commands:
          - terraform apply -input=false tfplan
          - terraform output -json > outputs.json
        outputFiles:
          - outputs.json
      - id: region
        type: io.kestra.plugin.core.flow.Switch
        value: "{{ inputs.location }}"
        cases:
          fsn1:
            - id: in_falkenstein
              type: io.kestra.plugin.core.log.Log
              message: Falkenstein
          nbg1:
            - id: in_nuremberg
              type: io.kestra.plugin.core.log.Log
              message: Nuremberg
        defaults:
          - id: elsewhere
            type: io.kestra.plugin.core.log.Log
            message: "{{ inputs.location }}"
      - id: result
        type: io.kestra.plugin.core.output.OutputValues
        values:
          server: "{{ inputs.name }}"
          expires_in_days: "{{ inputs.ttl_days }}"
      - id: notify_requester
        type: io.kestra.plugin.email.MailSend
        host: smtp.example.com
        port: 465
        from: gatehouse@example.com
        to: "{{ inputs.owner_email }}"
        subject: "Your VM {{ inputs.name }} is ready"
        plainTextContent: "Approved with comment: {{ outputs.approval.onResume.comment ?? 'none' }}"
    else:
      - id: rejected
        type: io.kestra.plugin.core.execution.Fail
        errorMessage: "Rejected: {{ outputs.approval.onResume.comment ?? 'no comment' }}"
errors:
  - id: alert
    type: io.kestra.plugin.slack.notifications.SlackExecution
    url: "{{ secret('SLACK_WEBHOOK') }}"
    customMessage: "VM request {{ inputs.name }} failed"
triggers:
  - id: nightly_check
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 3 * * *"
    disabled: true
    inputs:
      name: nightly-@N@
      owner_email: platform@example.com
  - id: api
    type: io.kestra.plugin.core.trigger.Webhook
    key: "{{ secret('VM_WEBHOOK_KEY') }}"
    inputs:
      name: "{{ trigger.body.name }}"
      owner_email: "{{ trigger.body.owner }}"
YAML

section "Generate $count flows"
for ((i = 1; i <= count; i++)); do
    n=$(printf '%05d' "$i")
    printf '%s\n' "${template//@N@/$n}" >"$flows/bench.infra/vm-request-$n.yaml"
done
bytes=$(du -sb "$flows" | cut -f1)
echo "$count flows, $(wc -l <"$flows/bench.infra/vm-request-00001.yaml") lines each, $bytes bytes in $flows"

# --- Build ------------------------------------------------------------------------------------------------------

section "Build (swift build -c release --static-swift-stdlib --product gatehouse)"
bench_build gatehouse
gatehouse="$(swift build -c release --show-bin-path)/gatehouse"

section "Check that every generated flow is valid"
if ! "$gatehouse" validate "$flows" >"$workdir/check.txt" 2>&1; then
    tail -n 20 "$workdir/check.txt" >&2
    echo "error: gatehouse validate rejected the generated flows; fix the template in bench/validate.sh" >&2
    exit 1
fi
tail -n 1 "$workdir/check.txt"

# --- Time -------------------------------------------------------------------------------------------------------

section "Time: gatehouse validate <$count flows>"
if command -v hyperfine >/dev/null 2>&1; then
    hyperfine --warmup 1 --runs 10 --export-json "$workdir/hyperfine.json" "$gatehouse validate $flows"
    median_seconds=$(sed -n 's/^ *"median": *\([0-9.eE+-]*\),*$/\1/p' "$workdir/hyperfine.json" | head -n 1)
    method="hyperfine, 1 warm-up + 10 runs"
else
    durations=()
    for run in 1 2 3 4 5; do
        start=$(date +%s%N)
        "$gatehouse" validate "$flows" >/dev/null
        end=$(date +%s%N)
        durations+=($((end - start)))
        echo "run $run: $(awk -v ns=$((end - start)) 'BEGIN { printf "%.3f s", ns / 1e9 }')"
    done
    median_ns=$(printf '%s\n' "${durations[@]}" | sort -n | sed -n 3p)
    median_seconds=$(awk -v ns="$median_ns" 'BEGIN { printf "%.6f", ns / 1e9 }')
    method="loop of 5 runs"
fi

max_rss="n/a"
if [ -x /usr/bin/time ]; then
    /usr/bin/time -v "$gatehouse" validate "$flows" >/dev/null 2>"$workdir/time.txt"
    max_rss_kib=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): *//p' "$workdir/time.txt")
    max_rss=$(awk -v k="$max_rss_kib" 'BEGIN { printf "%.1f MiB", k / 1024 }')
fi

# --- Report -----------------------------------------------------------------------------------------------------

section "Result"
flows_per_second=$(awk -v n="$count" -v s="$median_seconds" 'BEGIN { printf "%.0f", n / s }')
median_ms=$(awk -v s="$median_seconds" 'BEGIN { printf "%.1f", s * 1000 }')
commit=$(git rev-parse --short HEAD 2>/dev/null || echo "uncommitted")
report="| $(date -u +%Y-%m-%d) | $commit | $count | $median_ms ms | $flows_per_second | $max_rss | $method |"
echo "| date | commit | flows | median wall time | flows/s | max RSS | method |"
echo "|---|---|---|---|---|---|---|"
echo "$report"
mkdir -p bench/results
echo "$report" >>bench/results/validate.md
bench_figure validate.median_ms "$median_ms"
bench_figure validate.flows_per_s "$flows_per_second"
bench_figure validate.max_rss_mib "${max_rss% MiB}"
echo
echo "appended to bench/results/validate.md (not checked in); copy the row into BENCHMARKS.md"
