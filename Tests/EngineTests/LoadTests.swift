import Foundation
import GRDB
import Testing

@testable import Engine
@testable import Store

/// Many executions at once on one SQLite file: all complete, none is lost, and the database stays consistent.
@Suite("Engine under load", .timeLimit(.minutes(5)))
struct LoadTests {
    static let flow = """
        id: load
        namespace: engine.load
        inputs:
          - {id: n, type: INT}
        tasks:
          - {id: first, type: io.kestra.plugin.core.log.Log, message: "start {{ inputs.n }}"}
          - {id: double, type: io.kestra.plugin.core.debug.Return, format: "{{ inputs.n * 2 }}"}
          - {id: last, type: io.kestra.plugin.core.log.Log, message: "{{ outputs.double.value }}"}
        """

    @Test("1,000 executions submitted concurrently all complete, none lost, database consistent")
    func thousandExecutions() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-load-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let database = try GatehouseDatabase(directory: DataDirectory(path: root.path))
        let runner = FlowRunner(database: database)
        let count = 1_000

        let states = try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for index in 0..<count {
                group.addTask {
                    let execution = try runner.start(flowSource: Self.flow, file: "load.yaml", inputs: ["n": .text(String(index))], requester: "load")
                    return (index, execution.state)
                }
            }
            var collected: [Int: String] = [:]
            for try await (index, state) in group { collected[index] = state }
            return collected
        }

        #expect(states.count == count)
        #expect(states.values.allSatisfy { $0 == "SUCCESS" })
        try await database.writer.read { db in
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM execution WHERE state = 'SUCCESS'") == count)
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM taskRun WHERE state = 'SUCCESS'") == count * 3)
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM logLine") == count * 2)
            // Every execution's last log line is its own input doubled: nothing crossed between executions.
            let mismatched = try Int.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) FROM execution e JOIN logLine l ON l.executionId = e.id AND l.line NOT LIKE 'start %'
                    WHERE CAST(l.line AS INTEGER) != 2 * CAST(json_extract(e.inputs, '$.n') AS INTEGER)
                    """
            )
            #expect(mismatched == 0)
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM pragma_foreign_key_check") == 0)
            #expect(try String.fetchOne(db, sql: "PRAGMA integrity_check") == "ok")
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM flowRevision") == 1)
        }
        // flow.deployed once, then created, running and success for each execution.
        #expect(try database.verifyAuditChain() == .intact(events: 1 + count * 3))
    }
}
