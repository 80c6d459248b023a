import Foundation
import GRDB
import Testing

@testable import Store

@Suite("Execution store")
struct ExecutionStoreTests {
    static func freshDatabase() throws -> (GatehouseDatabase, URL) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-store-\(UUID().uuidString)")
        return (try GatehouseDatabase(directory: DataDirectory(path: root.path)), root)
    }

    static func pausedExecution(_ id: String) -> ExecutionRecord {
        ExecutionRecord(
            id: id, namespace: "infra", flowId: "vm", flowRevision: 1, state: "PAUSED", inputs: "{}", labels: "{}", requester: "alice",
            histories: "[]", createdAt: Date()
        )
    }

    @Test("deploying the same source twice keeps one revision; a change makes the next")
    func deployRevisions() throws {
        let (database, root) = try Self.freshDatabase()
        defer { try? FileManager.default.removeItem(at: root) }
        let first = try database.deployFlow(namespace: "infra", flowId: "vm", source: "id: vm\n", deployedBy: "ci")
        let same = try database.deployFlow(namespace: "infra", flowId: "vm", source: "id: vm\n", deployedBy: "ci")
        let next = try database.deployFlow(namespace: "infra", flowId: "vm", source: "id: vm\n# v2\n", deployedBy: "ci")
        #expect(first.revision == 1 && same.revision == 1 && next.revision == 2)
        #expect(try database.flowRevision(namespace: "infra", flowId: "vm", revision: 2)?.source == "id: vm\n# v2\n")
        #expect(try database.verifyAuditChain() == .intact(events: 2))
    }

    /// Twenty approvers press Approve at the same moment: one resume applies, nineteen get Kestra's "not paused".
    @Test("20 concurrent resumes of one paused execution: exactly one succeeds")
    func concurrentResumes() async throws {
        let (database, root) = try Self.freshDatabase()
        defer { try? FileManager.default.removeItem(at: root) }
        try database.createExecution(Self.pausedExecution("exec1"), actor: "alice")
        try await database.writer.write { db in
            try TaskRunRecord(
                id: "tr1", executionId: "exec1", taskId: "wait", parentTaskRunId: nil, value: nil, state: "PAUSED", histories: "[]",
                createdAt: Date()
            ).insert(db)
        }
        let outcomes = await withTaskGroup(of: Result<String, StoreError>.self) { group in
            for approver in 0..<20 {
                group.addTask {
                    do {
                        let outcome = try database.recordDecision(
                            Decision(
                                executionId: "exec1", taskRunId: "tr1", decision: "APPROVED", decidedBy: "approver\(approver)", comment: nil,
                                inputs: nil), histories: { _ in "[]" })
                        guard case .decided(let execution) = outcome else { return .failure(.alreadyFired) }
                        return .success(execution.state)
                    } catch let error as StoreError {
                        return .failure(error)
                    } catch {
                        return .failure(.executionNotFound("unexpected \(error)"))
                    }
                }
            }
            var collected: [Result<String, StoreError>] = []
            for await outcome in group { collected.append(outcome) }
            return collected
        }
        let successes = outcomes.filter { if case .success = $0 { true } else { false } }
        #expect(successes.count == 1)
        let refusals = outcomes.compactMap { outcome -> StoreError? in if case .failure(let error) = outcome { error } else { nil } }
        #expect(refusals.count == 19)
        #expect(refusals.allSatisfy { $0 == .notPaused(executionId: "exec1", state: "RUNNING") })
        #expect(refusals.first?.description == "Execution 'exec1' is not paused, can't resume it (it is RUNNING)")
        #expect(try database.approvals(of: "exec1").count == 1)
        #expect(try database.verifyAuditChain() == .intact(events: 2))
    }

    @Test("task runs, logs and the new state are written together, in order")
    func recordTogether() throws {
        let (database, root) = try Self.freshDatabase()
        defer { try? FileManager.default.removeItem(at: root) }
        var execution = Self.pausedExecution("exec2")
        execution.state = "RUNNING"
        try database.createExecution(execution, actor: "alice")
        execution.state = "SUCCESS"
        try database.record(
            execution: execution,
            taskRuns: [
                TaskRunRecord(
                    id: "t1", executionId: "exec2", taskId: "hello", parentTaskRunId: nil, value: nil, state: "SUCCESS", histories: "[]",
                    createdAt: Date())
            ],
            logs: [
                LogLineRecord(executionId: "exec2", taskRunId: "t1", attempt: 1, timestamp: Date(), level: "INFO", line: "one"),
                LogLineRecord(executionId: "exec2", taskRunId: "t1", attempt: 1, timestamp: Date(), level: "INFO", line: "two"),
            ],
            audit: ("gatehouse", "execution.succeeded", [:])
        )
        #expect(try database.execution("exec2")?.state == "SUCCESS")
        #expect(try database.taskRuns(of: "exec2").map(\.taskId) == ["hello"])
        #expect(try database.logs(of: "exec2").map(\.line) == ["one", "two"])
        #expect(try database.executions(state: "SUCCESS").map(\.id) == ["exec2"])
        #expect(try database.verifyAuditChain() == .intact(events: 2))
    }
}
