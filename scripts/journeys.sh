# The live Gatehouse the browser journeys (Tests/Browser/journeys.py) walk through: shared by scripts/browser-tests
# and scripts/screenshots.sh, which takes the README's pictures on the same journey. Sourced after scripts/lib.sh,
# never run.
# The server runs the shipped flows of flows/ on a fresh data directory, with the real Terraform CLI on a provider-less
# fixture module (Tests/WebTests/Fixtures), a real SMTP server (aiosmtpd) and a Slack webhook sink on 127.0.0.1.
# shellcheck shell=bash

# journey_tools: Chromium, axe-core, aiosmtpd and Terraform (installed when missing); sets $fixture to the fixture module
# the Terraform CLI can plan and $modern to the journeys' matching arguments.
journey_tools() {
    require_browser aiosmtpd axe-core-python
    require_terraform
    chromium --version
    local terraform_version
    terraform_version=$(terraform version 2>/dev/null | grep -m 1 -o 'Terraform v[0-9][0-9.]*' || true)
    echo "terraform: $(command -v terraform) ($terraform_version)"
    # Terraform 1.4 added the built-in terraform_data resource the fixture module plans; older CLIs get the outputs-only one.
    fixture=namespace-files-legacy
    modern=()
    if [[ $terraform_version =~ v([0-9]+)\.([0-9]+) ]] &&
        { [ "${BASH_REMATCH[1]}" -gt 1 ] || { [ "${BASH_REMATCH[1]}" -eq 1 ] && [ "${BASH_REMATCH[2]}" -ge 4 ]; }; }; then
        fixture=namespace-files
        modern=(--modern-terraform)
    fi
}

# journey_binary: sets $gatehouse to GATEHOUSE_BIN, or builds the gatehouse product.
journey_binary() {
    if [ -n "${GATEHOUSE_BIN:-}" ]; then
        # scripts/test has built everything with --build-tests; building the product alone would recompile with other flags.
        [ -x "$GATEHOUSE_BIN" ] || fail "GATEHOUSE_BIN=$GATEHOUSE_BIN is not an executable"
        gatehouse=$GATEHOUSE_BIN
        echo "using $gatehouse"
    else
        swift build --product gatehouse
        gatehouse="$(swift build --show-bin-path)/gatehouse"
    fi
}

# wait_ready FILE NAME: the port a fixture server prints as "READY <port>" in FILE.
wait_ready() {
    local port=""
    for _ in $(seq 1 100); do
        port=$(sed -n 's/^READY \([0-9]*\)$/\1/p' "$1")
        [ -n "$port" ] && { echo "$port"; return 0; }
        sleep 0.1
    done
    cat "$1" >&2
    fail "the $2 did not start"
}

stop_journey_server() {
    exec 3>&-  # the sinks read their stdin until it closes
    local pid
    for pid in "${sink_pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    cleanup_workdir
}

# journey_server NAME: the sinks, a data directory with the journeys' users (ada, dan: requesters; bob: approver;
# cleo: auditor; one password in $password and GATEHOUSE_PASSWORD) and an execution of dan's ($other), and
# `gatehouse serve` on $base, all in a new $workdir (named after NAME) that is removed on exit. Needs $gatehouse and
# $fixture (journey_binary, journey_tools).
journey_server() {
    make_workdir "$1"
    sink_pids=()
    trap stop_journey_server EXIT
    trap 'exit 130' INT TERM

    section "SMTP server and Slack sink"
    mkdir -p "$workdir/mail"
    mkfifo "$workdir/hold"
    python3 Tests/TestSupport/Fixtures/smtp_sink.py "$workdir/mail" <"$workdir/hold" >"$workdir/smtp.out" 2>&1 &
    sink_pids+=($!)
    python3 Tests/TestSupport/Fixtures/http_sink.py "$workdir/slack.jsonl" <"$workdir/hold" >"$workdir/slack.out" 2>&1 &
    sink_pids+=($!)
    exec 3>"$workdir/hold"
    local smtp_port slack_port
    smtp_port=$(wait_ready "$workdir/smtp.out" "SMTP server")
    slack_port=$(wait_ready "$workdir/slack.out" "Slack sink")
    echo "SMTP on 127.0.0.1:$smtp_port, Slack sink on 127.0.0.1:$slack_port"

    section "Data and flows in $workdir"
    data="$workdir/data"
    local flows="$workdir/flows"
    mkdir -p "$data" "$flows"
    cp -R flows/. "$flows/"
    password="browser-password-$RANDOM$RANDOM$RANDOM"
    export GATEHOUSE_PASSWORD=$password
    journey_user ada --role requester --email ada@example.com
    journey_user bob --role approver --email bob@example.com
    journey_user cleo --role auditor --email cleo@example.com
    journey_user dan --role requester --email dan@example.com
    # Someone else's execution, which the history filtered to ada must leave out.
    other=$("$gatehouse" run flows/examples/hello.yaml --data "$data" --user dan --json 2>/dev/null 3>&- |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')

    section "Serve"
    local terraform_bin
    terraform_bin=$(command -v terraform)
    export GATEHOUSE_WEB_ROOT=$PWD
    export GATEHOUSE_NAMESPACE_FILES=$PWD/Tests/WebTests/Fixtures/$fixture
    export GATEHOUSE_TERRAFORM_BIN=$terraform_bin
    GATEHOUSE_TASK_PATH="$(dirname "$terraform_bin"):/usr/local/bin:/usr/bin:/bin"
    export GATEHOUSE_TASK_PATH
    export GATEHOUSE_SMTP_HOST=127.0.0.1 GATEHOUSE_SMTP_PORT=$smtp_port GATEHOUSE_SMTP_TRANSPORT=SMTP
    export GATEHOUSE_SMTP_FROM="Gatehouse <gatehouse@example.com>" GATEHOUSE_BASE_URL=https://gatehouse.example.com
    export GATEHOUSE_SLACK_WEBHOOK_URL="http://127.0.0.1:$slack_port/hooks/approvals"
    SECRET_HCLOUD_TOKEN=$(printf 'test-token-not-real' | base64 -w0)
    SECRET_SLACK_WEBHOOK_URL=$(printf 'http://127.0.0.1:%s/hooks/vms' "$slack_port" | base64 -w0)
    export SECRET_HCLOUD_TOKEN SECRET_SLACK_WEBHOOK_URL ENV_SLACK_NOTIFICATIONS=true
    serve_gatehouse "$gatehouse" "$workdir/serve.log" --data "$data" --flows "$flows" 3>&-
    echo "serving $base with the fixture module $fixture"
}

# journey_user NAME [user add arguments...]: adds a user with the journeys' $password.
journey_user() {
    printf '%s\n' "$password" | "$gatehouse" user add "$@" --password-stdin --data "$data" 3>&-
}

# run_journeys [journeys.py arguments...]: walks the journeys against the server of journey_server; on a failure the
# server's log is shown and the run fails, with screenshots and page sources in .build/browser-failures/.
run_journeys() {
    local failures="$PWD/.build/browser-failures" started=$SECONDS
    rm -rf "$failures"
    if ! python3 Tests/Browser/journeys.py --base "$base" --data "$data" --gatehouse "$gatehouse" --mail "$workdir/mail" \
        --slack "$workdir/slack.jsonl" --other-execution "$other" --failures "$failures" "${modern[@]}" "$@" 3>&-; then
        echo "--- the server's log (last 40 lines) ---" >&2
        tail -n 40 "$workdir/serve.log" >&2
        fail "the browser journeys failed after $((SECONDS - started)) s; screenshots and page sources are in $failures"
    fi
    echo "browser journeys took $((SECONDS - started)) s"
}
