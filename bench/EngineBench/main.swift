// Benchmarks of the engine, modelled on published orchestrator benchmarks. Run by bench/engine.sh in release mode;
// not part of the tests. Each uses a fresh SQLite data directory in a temporary folder.
import Engine
import Foundation
import Store
import Synchronization

func freshRunner() throws -> (FlowRunner, URL) {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-bench-\(UUID().uuidString)")
    return (FlowRunner(database: try GatehouseDatabase(directory: DataDirectory(path: root.path))), root)
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func percentile(_ values: [Double], _ p: Double) -> Double {
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
}

let clock = ContinuousClock()

// (a) 40 sequential Log tasks: the per-step cost of an in-process task, persisted.
let fortyLogs =
    "id: forty\nnamespace: bench\ntasks:\n"
    + (1...40).map { "  - {id: log\($0), type: io.kestra.plugin.core.log.Log, message: \"step \($0) of {{ flow.id }}\"}" }.joined(separator: "\n")
    + "\n"
var perStep: [Double] = []
do {
    let (runner, root) = try freshRunner()
    defer { try? FileManager.default.removeItem(at: root) }
    _ = try runner.start(flowSource: fortyLogs, file: "forty.yaml", inputs: [:], requester: "bench")
    for _ in 0..<30 {
        let elapsed = try clock.measure {
            let execution = try runner.start(flowSource: fortyLogs, file: "forty.yaml", inputs: [:], requester: "bench")
            precondition(execution.state == "SUCCESS")
        }
        perStep.append(seconds(elapsed) * 1000 / 40)
    }
}

// (b) 40 sequential shell tasks, each running the system python3's naive recursive Fibonacci of 10, against the same 40
// commands in one plain shell loop: the per-step cost of a host process task (working directory, spawn, streamed log,
// attempt rows) over the command itself.
let fibonacci = "/usr/bin/python3 -c 'f = lambda n: n if n < 2 else f(n - 1) + f(n - 2); print(f(10))'"
let fortyShells =
    "id: fib\nnamespace: bench\ntasks:\n"
    + (1...40).map { "  - {id: fib\($0), type: io.kestra.plugin.scripts.shell.Commands, commands: [\"\(fibonacci)\"]}" }.joined(separator: "\n")
    + "\n"
var shellFlow: [Double] = []
var shellLoop: [Double] = []
do {
    let (runner, root) = try freshRunner()
    defer { try? FileManager.default.removeItem(at: root) }
    _ = try runner.start(flowSource: fortyShells, file: "fib.yaml", inputs: [:], requester: "bench")
    for _ in 0..<20 {
        let elapsed = try clock.measure {
            let execution = try runner.start(flowSource: fortyShells, file: "fib.yaml", inputs: [:], requester: "bench")
            precondition(execution.state == "SUCCESS")
        }
        shellFlow.append(seconds(elapsed) * 1000)
        let loop = Process()
        loop.executableURL = URL(fileURLWithPath: "/bin/sh")
        loop.arguments = ["-c", "i=0; while [ $i -lt 40 ]; do \(fibonacci) > /dev/null; i=$((i + 1)); done"]
        shellLoop.append(
            seconds(
                try clock.measure {
                    try loop.run()
                    loop.waitUntilExit()
                    precondition(loop.terminationStatus == 0)
                }) * 1000)
    }
}
// Paired: each flow run against the loop run right after it, so a load change on the machine hits both.
let shellOverhead = percentile(zip(shellFlow, shellLoop).map { ($0 - $1) / 40 }, 0.5)

// (c) A 3-task flow: submit to SUCCESS, and submit to the first task's first log line, over 100 runs.
let threeTasks = """
    id: three
    namespace: bench
    tasks:
      - {id: a, type: io.kestra.plugin.core.log.Log, message: one}
      - {id: b, type: io.kestra.plugin.core.debug.Return, format: "{{ flow.id }}"}
      - {id: c, type: io.kestra.plugin.core.log.Log, message: "{{ outputs.b.value }}"}
    """
var latencies: [Double] = []
var firstTask: [Double] = []
do {
    let (runner, root) = try freshRunner()
    defer { try? FileManager.default.removeItem(at: root) }
    _ = try runner.start(flowSource: threeTasks, file: "three.yaml", inputs: [:], requester: "bench")
    for _ in 0..<100 {
        let submitted = clock.now
        let firstLine = Mutex<ContinuousClock.Instant?>(nil)
        let execution = try runner.start(flowSource: threeTasks, file: "three.yaml", inputs: [:], requester: "bench") { _, _ in
            firstLine.withLock { if $0 == nil { $0 = ContinuousClock().now } }
        }
        precondition(execution.state == "SUCCESS")
        latencies.append(seconds(clock.now - submitted) * 1000)
        if let first = firstLine.withLock({ $0 }) { firstTask.append(seconds(first - submitted) * 1000) }
    }
}

// (d) Throughput: 1,000 executions submitted at once.
var throughput = 0.0
do {
    let (runner, root) = try freshRunner()
    defer { try? FileManager.default.removeItem(at: root) }
    _ = try runner.start(flowSource: threeTasks, file: "three.yaml", inputs: [:], requester: "bench")
    let elapsed = try await clock.measure {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<1_000 {
                group.addTask {
                    let execution = try runner.start(flowSource: threeTasks, file: "three.yaml", inputs: [:], requester: "bench")
                    precondition(execution.state == "SUCCESS")
                }
            }
            try await group.waitForAll()
        }
    }
    throughput = 1_000 / seconds(elapsed)
}

print("| benchmark | result |")
print("|---|---|")
print(String(format: "| (a) 40 sequential Log tasks, per step (median of 30 runs) | %.3f ms |", percentile(perStep, 0.5)))
print(
    String(
        format: "| (b) 40 shell tasks of python3 fib(10), total / same commands in a shell loop (median of 20) | %.0f ms / %.0f ms |",
        percentile(shellFlow, 0.5), percentile(shellLoop, 0.5)))
print(String(format: "| (b) overhead per shell step over the loop (median of paired runs) | %.2f ms |", shellOverhead))
print(
    String(
        format: "| (c) 3-task flow, submit to SUCCESS, median / p95 (100 runs) | %.2f ms / %.2f ms |", percentile(latencies, 0.5),
        percentile(latencies, 0.95)))
print(String(format: "| submit to first task, median / p95 | %.2f ms / %.2f ms |", percentile(firstTask, 0.5), percentile(firstTask, 0.95)))
print(String(format: "| (d) 1,000 executions submitted at once | %.0f executions/s |", throughput))
print(
    "targets: per in-process step < 2 ms — \(percentile(perStep, 0.5) < 2 ? "met" : "NOT met"); per process step < 3 ms overhead — \(shellOverhead < 3 ? "met" : "NOT met"); submit to first task < 20 ms — \(percentile(firstTask, 0.5) < 20 ? "met" : "NOT met")"
)

// bench/run collects the key figures from the file BENCH_SUMMARY names, one `key<TAB>value` line each.
if let summary = ProcessInfo.processInfo.environment["BENCH_SUMMARY"], let file = FileHandle(forUpdatingAtPath: summary) {
    let figures: [(String, Double)] = [
        ("engine.log_step_ms", percentile(perStep, 0.5)), ("engine.shell_overhead_ms", shellOverhead),
        ("engine.shell_flow_ms", percentile(shellFlow, 0.5)), ("engine.shell_loop_ms", percentile(shellLoop, 0.5)),
        ("engine.submit_success_ms", percentile(latencies, 0.5)), ("engine.submit_success_p95_ms", percentile(latencies, 0.95)),
        ("engine.first_task_ms", percentile(firstTask, 0.5)), ("engine.executions_per_s", throughput),
    ]
    file.seekToEndOfFile()
    file.write(Data(figures.map { "\($0.0)\t\(String(format: "%.4f", $0.1))\n" }.joined().utf8))
    file.closeFile()
}
