import Foundation
import Testing

@testable import Engine
@testable import Store

@Suite("Recovery of executions that cannot run again")
struct UnrunnableRecoveryTests {
    static let flow = """
        tasks:
          - {id: first, type: io.kestra.plugin.core.log.Log, message: one}
          - {id: wait, type: io.kestra.plugin.core.flow.Pause}
          - {id: last, type: io.kestra.plugin.core.log.Log, message: two}
        """

    /// Leaves the paused execution as a crashed process would have left it running, with its flow revision changed
    /// in the database by `damage`.
    func orphan(_ fixture: TimedFixture, damage: String) throws -> ExecutionRecord {
        let paused = try fixture.start(Self.flow)
        #expect(paused.state == "PAUSED")
        try fixture.database.writer.write { db in
            try db.execute(sql: "UPDATE execution SET state = 'RUNNING' WHERE id = ?", arguments: [paused.id])
            try db.execute(sql: "UPDATE taskRun SET state = 'RUNNING' WHERE executionId = ? AND taskId = 'wait'", arguments: [paused.id])
            try db.execute(sql: "DELETE FROM workItem WHERE executionId = ?", arguments: [paused.id])
            try db.execute(sql: damage)
        }
        return paused
    }

    @Test(
        "a revision that is gone or no longer parses fails the execution once, saying why; the next start leaves it alone",
        arguments: [
            ("UPDATE flowRevision SET source = 'id: [broken'", "the flow is invalid"),
            ("UPDATE flowRevision SET revision = 99", "the flow revision engine.timed.timed revision 1 is not stored"),
        ])
    func failsOnce(damage: String, reason: String) throws {
        let fixture = try TimedFixture()
        let orphan = try orphan(fixture, damage: damage)
        let driven = try fixture.worker.recover()
        let failed = try fixture.execution(orphan.id)
        #expect(driven.map(\.id) == [orphan.id])
        #expect(failed.state == "FAILED" && failed.endedAt != nil)
        #expect(failed.error?.contains("Gatehouse cannot continue this execution: \(reason)") == true)
        #expect(try fixture.lines(failed).last?.contains(reason) == true)
        #expect(try fixture.taskRun(failed, "first").state == "SUCCESS")
        #expect(try fixture.taskRun(failed, "wait").state == "FAILED")
        let events = try fixture.database.auditEvents().filter { $0.executionId == orphan.id }.map(\.action)
        #expect(events.last == "execution.failed")
        #expect(try fixture.worker.recover().isEmpty)
        #expect(try fixture.execution(orphan.id).histories == failed.histories)
    }
}
