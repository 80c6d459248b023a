# Shell helpers shared by scripts/test, the benchmarks and the screenshot script; sourced, never run.
# shellcheck shell=bash

section() {
    printf '\n==> %s\n' "$*"
}

fail() {
    printf '\nerror: %s\n' "$*" >&2
    exit 1
}

# The toolchain lives in /opt/swift on the build machines; use it when swift is not already on the PATH.
if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
    export PATH="/opt/swift/usr/bin:$PATH"
fi

apt_updated=false

# apt_install PACKAGE...: installs Debian packages non-interactively, running `apt-get update` once per run.
apt_install() {
    command -v apt-get >/dev/null 2>&1 || fail "apt-get is not available; install these packages by hand: $*"
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || fail "installing $* needs root or sudo"
        sudo=(sudo)
    fi
    if [ "$apt_updated" = false ]; then
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        apt_updated=true
    fi
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

# require_command COMMAND PACKAGE: installs the Debian PACKAGE when COMMAND is not on the PATH.
require_command() {
    local command_name=$1 package=$2
    if ! command -v "$command_name" >/dev/null 2>&1; then
        echo "$command_name is missing; installing Debian package $package"
        apt_install "$package"
    fi
}

# require_file FILE PACKAGE: installs the Debian PACKAGE when FILE does not exist (headers, libraries).
require_file() {
    local file=$1 package=$2
    if [ ! -e "$file" ]; then
        echo "$file is missing; installing Debian package $package"
        apt_install "$package"
    fi
}

# make_workdir NAME: sets $workdir to a new temporary folder; on exit the server in $server_pid (if any) is stopped and
# the folder removed (kept with KEEP=1). For the scripts that start a seeded `gatehouse serve`.
make_workdir() {
    workdir=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
    server_pid=""
    trap cleanup_workdir EXIT
}

cleanup_workdir() {
    if [ -n "${server_pid:-}" ]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    if [ "${KEEP:-}" = 1 ]; then echo "kept the data in $workdir"; else rm -rf "$workdir"; fi
}
