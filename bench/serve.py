#!/usr/bin/env python3
"""Start-up time and idle memory of `gatehouse serve` (issue 9).

Usage: bench/serve.py GATEHOUSE_BINARY [--runs N] [--flows N]

- start-up: a flows folder of N flows (default 100: copies of the shipped flows under new ids) and a data directory
  that one start has already migrated; each run spawns `gatehouse serve` on 127.0.0.1 and polls /readyz every 2 ms
  until it answers 200. The figure is the time from just before the spawn (fork and exec included) to that answer,
  median and max of the runs (default 21). The first start on the empty data directory (migrations included) is
  reported on its own.
- idle memory: a fresh data directory and the shipped flows; after /readyz answers, 5 s of rest, then VmRSS (what
  the target is about), its anonymous and file-backed parts, and the proportional share (Pss) from
  /proc/PID/smaps_rollup, which divides the shared Swift libraries among the processes mapping them.

Prints a table and, when BENCH_SUMMARY names a file, appends `key<TAB>value` lines to it for bench/run.
Run it from the repository root (the server finds Templates/ there). Not part of the test suite; see BENCHMARKS.md.
"""

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def readyz_status(port: int) -> int | None:
    """The status of GET /readyz, or None while nothing listens yet."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
            connection.sendall(b"GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            head = connection.recv(64)
    except OSError:
        return None
    match = re.match(rb"HTTP/1\.[01] (\d{3})", head)
    return int(match.group(1)) if match else None


def start(binary: str, data: Path, flows: Path, log) -> tuple[subprocess.Popen, int, float]:
    """Spawns the server and waits for /readyz; returns the process, its port and the seconds to ready."""
    port = free_port()
    argv = [binary, "serve", "--host", "127.0.0.1", "--port", str(port), "--data", str(data), "--flows", str(flows)]
    began = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=log)
    while True:
        status = readyz_status(port)
        if status == 200:
            return process, port, time.perf_counter() - began
        if process.poll() is not None:
            raise SystemExit(f"gatehouse serve exited with {process.returncode} before /readyz answered; see {log.name}")
        if time.perf_counter() - began > 30:
            process.kill()
            raise SystemExit(f"/readyz did not answer 200 within 30 s (last status {status}); see {log.name}")
        time.sleep(0.002)


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def make_flows(target: Path, count: int) -> None:
    """`count` flows: the shipped ones, copied round-robin under ids of their own."""
    sources = sorted(Path("flows").rglob("*.yaml"))
    if not sources:
        raise SystemExit("no flows under flows/; run from the repository root")
    target.mkdir(parents=True)
    for index in range(count):
        source = sources[index % len(sources)]
        text = source.read_text()
        text, replaced = re.subn(r"(?m)^id: (\S+)$", lambda m: f"id: {m.group(1)}-{index:03d}", text, count=1)
        if replaced != 1:
            raise SystemExit(f"{source} has no top-level id line")
        (target / f"{source.stem}-{index:03d}.yaml").write_text(text)


def status_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise SystemExit(f"no {field} in /proc/{pid}/status")


def rollup_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise SystemExit(f"no {field} in /proc/{pid}/smaps_rollup")


def ordering_coverage(binary: str) -> tuple[int, int]:
    """How many of the functions scripts/startup-symbols.txt lists the binary still defines: lld places those together
    (Package.swift), and a list gone stale after many changes lets the idle RSS creep back up."""
    listed = Path("scripts/startup-symbols.txt").read_text().split()
    nm = subprocess.run(["nm", "--defined-only", binary], capture_output=True, text=True)
    defined = {line.split()[-1] for line in nm.stdout.splitlines() if line.strip()}
    return sum(name in defined for name in listed), len(listed)


def figure(key: str, value: float) -> None:
    summary = os.environ.get("BENCH_SUMMARY")
    if summary:
        with open(summary, "a") as out:
            out.write(f"{key}\t{value:.3f}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary")
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--flows", type=int, default=100)
    arguments = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="gatehouse-servebench."))
    try:
        with open(work / "serve.log", "w") as log:
            flows = work / "flows"
            make_flows(flows, arguments.flows)
            data = work / "data"
            process, _, first = start(arguments.binary, data, flows, log)
            stop(process)
            times = []
            for _ in range(arguments.runs):
                process, _, seconds = start(arguments.binary, data, flows, log)
                times.append(seconds * 1000)
                stop(process)

            idle_data = work / "idle-data"
            process, _, _ = start(arguments.binary, idle_data, Path("flows"), log)
            time.sleep(5)
            pid = process.pid
            rss, anon, file_backed = (status_kib(pid, f) for f in ("VmRSS", "RssAnon", "RssFile"))
            pss, threads = rollup_kib(pid, "Pss"), status_kib(pid, "Threads")
            stop(process)
    finally:
        if os.environ.get("KEEP") == "1":
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    median = statistics.median(times)
    print(f"| start to /readyz 200, {arguments.flows} flows, migrated data directory | median {median:.1f} ms, "
          f"min {min(times):.1f} ms, max {max(times):.1f} ms ({arguments.runs} runs) |")
    print(f"| the same, first start on an empty data directory (migrations) | {first * 1000:.1f} ms |")
    print(f"| idle RSS, shipped flows, fresh data directory, 5 s after ready | {rss / 1024:.1f} MiB "
          f"(anonymous {anon / 1024:.1f} MiB, file-backed {file_backed / 1024:.1f} MiB; Pss {pss / 1024:.1f} MiB; "
          f"{threads} threads) |")
    found, listed = ordering_coverage(arguments.binary)
    print(f"| start-up functions the binary still defines (scripts/startup-symbols.txt; regenerate it with that script "
          f"when this falls) | {found} of {listed} |")
    figure("startup.ready_ms", median)
    figure("startup.ready_max_ms", max(times))
    figure("startup.first_ms", first * 1000)
    figure("memory.idle_rss_mib", rss / 1024)
    figure("memory.idle_anon_mib", anon / 1024)
    figure("memory.idle_pss_mib", pss / 1024)


if __name__ == "__main__":
    sys.exit(main())
