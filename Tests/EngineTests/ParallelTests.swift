import Foundation
import Testing

@testable import Engine
@testable import Store

/// Parallel `concurrent` and ForEach `concurrencyLimit` run branches at the same time. The proof is in the stored
/// attempts: how many were running at once, read from their start and end times, not how long the run took.
@Suite("Concurrent branches")
struct ParallelTests {
    /// The largest number of attempts whose [start, end) intervals overlap at one instant.
    static func peakOverlap(_ attempts: [AttemptRecord]) -> Int {
        var events: [(date: Date, change: Int)] = []
        for attempt in attempts {
            events.append((attempt.startedAt, 1))
            events.append((attempt.endedAt ?? attempt.startedAt, -1))
        }
        // Ends sort before starts at the same instant: touching intervals do not overlap.
        events.sort { $0.date != $1.date ? $0.date < $1.date : $0.change < $1.change }
        var current = 0
        var peak = 0
        for (_, change) in events {
            current += change
            peak = max(peak, current)
        }
        return peak
    }

    func run(_ yaml: String) throws -> (ExecutionRecord, [AttemptRecord], GatehouseDatabase) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-parallel-\(UUID().uuidString)")
        let database = try GatehouseDatabase(directory: DataDirectory(path: root.path))
        let execution = try FlowRunner(database: database).start(
            flowSource: "id: branches\nnamespace: engine.parallel\n" + yaml, file: "branches.yaml", inputs: [:], requester: "alice")
        return (execution, try database.attempts(ofExecution: execution.id), database)
    }

    static let sleep = "type: io.kestra.plugin.core.flow.Sleep, duration: PT0.3S"

    @Test("Parallel starts every child at once by default, and one at a time with concurrent: 1", arguments: [(nil, 4), (1, 1), (2, 2)])
    func parallel(concurrent: Int?, peak: Int) throws {
        let limit = concurrent.map { "\n    concurrent: \($0)" } ?? ""
        let (execution, attempts, _) = try run(
            """
            tasks:
              - id: fan
                type: io.kestra.plugin.core.flow.Parallel\(limit)
                tasks:
                  - {id: a, \(Self.sleep)}
                  - {id: b, \(Self.sleep)}
                  - {id: c, \(Self.sleep)}
                  - {id: d, \(Self.sleep)}
              - {id: after, type: io.kestra.plugin.core.debug.Return, format: "{{ tasks.a.state }} {{ tasks.d.state }}"}
            """)
        #expect(execution.state == "SUCCESS")
        #expect(attempts.count == 5)
        let sleeps = attempts.filter { attempt in attempt.endedAt.map { $0.timeIntervalSince(attempt.startedAt) >= 0.25 } ?? false }
        #expect(sleeps.count == 4)
        #expect(Self.peakOverlap(sleeps) == peak)
    }

    @Test("a failing child lets its running siblings finish, and the Parallel fails")
    func failure() throws {
        let (execution, _, database) = try run(
            """
            tasks:
              - id: fan
                type: io.kestra.plugin.core.flow.Parallel
                tasks:
                  - {id: slow, \(Self.sleep)}
                  - {id: boom, type: io.kestra.plugin.core.execution.Fail}
            """)
        #expect(execution.state == "FAILED")
        let states = Dictionary(uniqueKeysWithValues: try database.taskRuns(of: execution.id).map { ($0.taskId, $0.state) })
        #expect(states == ["fan": "FAILED", "slow": "SUCCESS", "boom": "FAILED"])
    }

    @Test("ForEach runs iterations one at a time by default, and up to concurrencyLimit at once", arguments: [(nil, 1), (2, 2), (0, 4)])
    func forEach(limit: Int?, peak: Int) throws {
        let setting = limit.map { "\n    concurrencyLimit: \($0)" } ?? ""
        let (execution, attempts, database) = try run(
            """
            tasks:
              - id: each
                type: io.kestra.plugin.core.flow.ForEach
                values: [w, x, y, z]\(setting)
                tasks:
                  - {id: nap, \(Self.sleep)}
                  - {id: name, type: io.kestra.plugin.core.debug.Return, format: "{{ taskrun.value }}"}
              - {id: all, type: io.kestra.plugin.core.debug.Return, format: "{{ outputs.name.w.value }}{{ outputs.name.z.value }}"}
            """)
        #expect(execution.state == "SUCCESS")
        let naps = attempts.filter { attempt in attempt.endedAt.map { $0.timeIntervalSince(attempt.startedAt) >= 0.25 } ?? false }
        #expect(naps.count == 4)
        #expect(Self.peakOverlap(naps) == peak)
        #expect(try database.taskRuns(of: execution.id).first { $0.taskId == "all" }?.outputs == #"{"value":"wz"}"#)
    }
}
