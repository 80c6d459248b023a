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
        format: "| (c) 3-task flow, submit to SUCCESS, median / p95 (100 runs) | %.2f ms / %.2f ms |", percentile(latencies, 0.5),
        percentile(latencies, 0.95)))
print(String(format: "| submit to first task, median / p95 | %.2f ms / %.2f ms |", percentile(firstTask, 0.5), percentile(firstTask, 0.95)))
print(String(format: "| (d) 1,000 executions submitted at once | %.0f executions/s |", throughput))
print(
    "targets: per in-process step < 2 ms — \(percentile(perStep, 0.5) < 2 ? "met" : "NOT met"); submit to first task < 20 ms — \(percentile(firstTask, 0.5) < 20 ? "met" : "NOT met")"
)
