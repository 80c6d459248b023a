import Foundation
import Testing

@Suite("gatehouse run and resume, run as processes")
struct RunCommandTests {
    static let approvalFlow = """
        id: approve
        namespace: demo
        inputs:
          - {id: size, type: SELECT, values: [S, M]}
        tasks:
          - {id: plan, type: io.kestra.plugin.core.log.Log, message: "planning {{ inputs.size }}"}
          - id: wait
            type: io.kestra.plugin.core.flow.Pause
            onResume:
              - {id: approved, type: BOOL, defaults: true}
          - {id: apply, type: io.kestra.plugin.core.log.Log, message: "applying {{ outputs.wait.onResume.approved }}"}
        """

    @Test("run pauses for approval, resume --json finishes it, a second resume is refused, and the audit chain verifies")
    func approvalJourney() async throws {
        let root = try GatehouseProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let flow = root.appendingPathComponent("approve.yaml")
        try Self.approvalFlow.write(to: flow, atomically: true, encoding: .utf8)
        let data = root.appendingPathComponent("data").path

        let run = try await GatehouseProcess.run(["run", flow.path, "--input", "size=M", "--data", data, "--user", "alice"])
        #expect(run.status == 0)
        #expect(run.standardOutput.contains("INFO  [plan] planning M"))
        let summary = try #require(run.standardOutput.split(separator: "\n").last.map(String.init))
        #expect(summary.hasPrefix("execution ") && summary.contains(" PAUSED — resume with: gatehouse resume "))
        let id = String(summary.split(separator: " ")[1])

        let resume = try await GatehouseProcess.run(["resume", id, "--data", data, "--json", "--user", "bob"])
        #expect(resume.status == 0)
        #expect(resume.standardError.contains("[apply] applying true"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(resume.standardOutput.utf8)) as? [String: Any])
        #expect(object["id"] as? String == id)
        #expect(object["state"] as? String == "SUCCESS")
        let taskRuns = try #require(object["taskRuns"] as? [[String: Any]])
        #expect(taskRuns.map { $0["taskId"] as? String } == ["plan", "wait", "apply"])
        #expect(taskRuns.allSatisfy { $0["attempts"] is [Any] })

        let again = try await GatehouseProcess.run(["resume", id, "--data", data])
        #expect(again.status == 2)
        #expect(again.standardError.contains("Execution '\(id)' is not paused, can't resume it (it is SUCCESS)"))

        let list = try await GatehouseProcess.run(["executions", "--data", data])
        #expect(list.standardOutput.contains("\(id)  SUCCESS   demo.approve  alice"))
        let audit = try await GatehouseProcess.run(["audit", "verify", "--data", data])
        #expect(audit.status == 0)
    }

    @Test("invalid inputs exit 2 with Kestra's message, and a failing flow exits 1")
    func statuses() async throws {
        let root = try GatehouseProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let flow = root.appendingPathComponent("approve.yaml")
        try Self.approvalFlow.write(to: flow, atomically: true, encoding: .utf8)
        let invalid = try await GatehouseProcess.run(["run", flow.path, "--input", "size=XL", "--data", root.appendingPathComponent("d").path])
        #expect(invalid.status == 2)
        #expect(invalid.standardError.contains("Invalid input for `size`, it must match the values `[S, M]`, but received `XL`"))

        let failing = root.appendingPathComponent("fail.yaml")
        try "id: f\nnamespace: demo\ntasks:\n  - {id: boom, type: io.kestra.plugin.core.execution.Fail, errorMessage: nope}\n"
            .write(to: failing, atomically: true, encoding: .utf8)
        let failed = try await GatehouseProcess.run(["run", failing.path, "--data", root.appendingPathComponent("d").path])
        #expect(failed.status == 1)
        #expect(failed.standardOutput.contains("ERROR [boom] nope"))
        #expect(failed.standardOutput.contains(" FAILED: task `boom` failed"))
    }
}
