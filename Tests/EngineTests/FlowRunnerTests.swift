import Foundation
import Testing

@testable import Engine
@testable import Store

/// Executions on a real SQLite file, checking KESTRA.md §4.1's outcome rules and Pause semantics.
@Suite("Flow runner")
struct FlowRunnerTests {
    final class Fixture {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-engine-\(UUID().uuidString)")
        let database: GatehouseDatabase
        let runner: FlowRunner

        init() throws {
            database = try GatehouseDatabase(directory: DataDirectory(path: root.path))
            runner = FlowRunner(database: database, environment: ["SECRET_TOKEN": Data("s3cr3t".utf8).base64EncodedString()])
        }

        deinit { try? FileManager.default.removeItem(at: root) }

        func start(_ body: String, inputs: [String: String] = [:]) throws -> ExecutionRecord {
            try runner.start(
                flowSource: "id: test\nnamespace: engine.tests\n" + body, file: "test.yaml", inputs: inputs.mapValues { .text($0) },
                requester: "alice"
            )
        }

        func states(_ execution: ExecutionRecord) throws -> [String: String] {
            Dictionary(
                try database.taskRuns(of: execution.id).map { ("\($0.taskId)\($0.value.map { "[\($0)]" } ?? "")", $0.state) },
                uniquingKeysWith: { a, _ in a })
        }

        func lines(_ execution: ExecutionRecord) throws -> [String] {
            try database.logs(of: execution.id).map(\.line)
        }
    }

    static let log = "type: io.kestra.plugin.core.log.Log"
    static let fail = "type: io.kestra.plugin.core.execution.Fail"

    @Test("a flow of Log tasks succeeds, with rendered logs and an intact audit chain")
    func success() throws {
        let fixture = try Fixture()
        let execution = try fixture.start(
            """
            inputs:
              - {id: name, type: STRING, defaults: world}
            tasks:
              - {id: hello, \(Self.log), message: "Hello {{ inputs.name }} from {{ flow.namespace }}"}
              - {id: value, type: io.kestra.plugin.core.debug.Return, format: "{{ inputs.name | upper }}"}
              - {id: again, \(Self.log), message: "{{ outputs.value.value }} {{ tasks.hello.state }}"}
            """,
            inputs: ["name": "gatehouse"]
        )
        #expect(execution.state == "SUCCESS")
        #expect(try fixture.lines(execution) == ["Hello gatehouse from engine.tests", "GATEHOUSE SUCCESS"])
        // flow.deployed, execution.created, execution.running, execution.success
        #expect(try fixture.database.verifyAuditChain() == .intact(events: 4))
        let labels = PebbleValueJSON.object(execution.labels)
        #expect(labels["system.username"] == "alice" && labels["system.correlationId"] == execution.id)
    }

    @Test(
        "outcome rules of KESTRA.md §4.1",
        arguments: [
            // allowFailure: the task fails, the execution ends WARNING.
            (
                "tasks:\n  - {id: f, \(fail), allowFailure: true}\n  - {id: next, \(log), message: after}", "WARNING",
                ["f": "FAILED", "next": "SUCCESS"]
            ),
            // allowFailure + allowWarning: SUCCESS.
            ("tasks:\n  - {id: f, \(fail), allowFailure: true, allowWarning: true}", "SUCCESS", ["f": "FAILED"]),
            // runIf false: SKIPPED, and the execution goes on.
            (
                "tasks:\n  - {id: s, \(log), message: x, runIf: \"{{ 1 == 2 }}\"}\n  - {id: n, \(log), message: y}", "SUCCESS",
                ["s": "SKIPPED", "n": "SUCCESS"]
            ),
            // runIf that cannot render: the task and the execution fail.
            ("tasks:\n  - {id: s, \(log), message: x, runIf: \"{{ nope }}\"}", "FAILED", ["s": "FAILED"]),
            // A failure stops the list; errors handlers run and the execution still ends FAILED.
            (
                "tasks:\n  - {id: f, \(fail)}\n  - {id: never, \(log), message: x}\nerrors:\n  - {id: handler, \(log), message: handled}", "FAILED",
                ["f": "FAILED", "handler": "SUCCESS"]
            ),
            // disabled tasks get no task run.
            ("tasks:\n  - {id: off, \(log), message: x, disabled: true}\n  - {id: on, \(log), message: y}", "SUCCESS", ["on": "SUCCESS"]),
            // Fail with a false condition does not fail.
            ("tasks:\n  - {id: f, \(fail), condition: \"{{ false }}\"}", "SUCCESS", ["f": "SUCCESS"]),
        ]
    )
    func outcomes(body: String, state: String, taskStates: [String: String]) throws {
        let fixture = try Fixture()
        let execution = try fixture.start(body)
        #expect(execution.state == state)
        #expect(try fixture.states(execution) == taskStates)
    }

    @Test("finally runs while the execution is RUNNING; afterExecution sees the final state and cannot change it")
    func finallyAndAfterExecution() throws {
        let fixture = try Fixture()
        let execution = try fixture.start(
            """
            tasks:
              - {id: f, \(Self.fail), errorMessage: boom}
            finally:
              - {id: cleanup, \(Self.log), message: "finally in {{ execution.state }}"}
            afterExecution:
              - {id: notify, \(Self.log), message: "after {{ execution.state }}"}
              - {id: late, \(Self.fail)}
            """
        )
        #expect(execution.state == "FAILED")
        #expect(
            try fixture.lines(execution).filter { !$0.contains("boom") && !$0.contains("Task failure") } == ["finally in RUNNING", "after FAILED"])
        #expect(try fixture.database.execution(execution.id)?.state == "FAILED")
    }

    @Test("If, Switch and ForEach pick their branches and expose outputs")
    func flowables() throws {
        let fixture = try Fixture()
        let execution = try fixture.start(
            """
            inputs:
              - {id: size, type: SELECT, values: [S, M], defaults: M}
            tasks:
              - id: check
                type: io.kestra.plugin.core.flow.If
                condition: "{{ inputs.size == 'M' }}"
                then: [{id: yes, \(Self.log), message: medium}]
                else: [{id: no, \(Self.log), message: small}]
              - id: route
                type: io.kestra.plugin.core.flow.Switch
                value: "{{ inputs.size }}"
                cases:
                  S: [{id: caseS, \(Self.log), message: S}]
                  M: [{id: caseM, \(Self.log), message: M}]
              - id: each
                type: io.kestra.plugin.core.flow.ForEach
                values: [a, b]
                tasks:
                  - {id: item, type: io.kestra.plugin.core.debug.Return, format: "{{ taskrun.value }}!"}
              - {id: summary, \(Self.log), message: "{{ outputs.check.evaluationResult }} {{ outputs.item['a'].value }}{{ outputs.item['b'].value }}"}
            """
        )
        #expect(execution.state == "SUCCESS")
        #expect(try fixture.lines(execution) == ["medium", "M", "true a!b!"])
        let states = try fixture.states(execution)
        #expect(states["no"] == nil && states["caseS"] == nil && states["item[a]"] == "SUCCESS" && states["item[b]"] == "SUCCESS")
    }

    static let approvalFlow = """
        tasks:
          - id: wait
            type: io.kestra.plugin.core.flow.Pause
            onResume:
              - {id: approved, type: BOOL, defaults: true}
              - {id: reason, type: STRING, required: false}
          - {id: done, \(log), message: "approved={{ outputs.wait.onResume.approved }} by {{ outputs.wait.resumed.by }}"}
        """

    @Test("Pause stops the execution; resume records who and what, runs on, and applies only once")
    func pauseAndResume() throws {
        let fixture = try Fixture()
        let paused = try fixture.start(Self.approvalFlow)
        #expect(paused.state == "PAUSED")
        #expect(try fixture.states(paused) == ["wait": "PAUSED"])

        let done = try fixture.runner.resume(executionId: paused.id, inputs: ["reason": .text("looks fine")], decidedBy: "bob")
        #expect(done.state == "SUCCESS")
        #expect(try fixture.lines(done).last == "approved=true by bob")
        #expect(try fixture.database.approvals(of: paused.id).map(\.decidedBy) == ["bob"])

        #expect(throws: RunError.notPaused("Execution '\(paused.id)' is not paused, can't resume it (it is SUCCESS)")) {
            try fixture.runner.resume(executionId: paused.id, inputs: [:], decidedBy: "carol")
        }
        // flow.deployed, execution.created, .running, .paused, .resumed, .success
        #expect(try fixture.database.verifyAuditChain() == .intact(events: 6))
    }

    @Test("rejecting a paused execution ends it KILLED with the reason; onResume inputs are validated")
    func reject() throws {
        let fixture = try Fixture()
        let paused = try fixture.start(
            """
            tasks:
              - id: wait
                type: io.kestra.plugin.core.flow.Pause
                onResume:
                  - {id: ticket, type: INT}
            """
        )
        #expect(throws: RunError.invalidInputs(["Invalid input for `ticket`, missing required input, but received `null`"])) {
            try fixture.runner.resume(executionId: paused.id, inputs: [:], decidedBy: "bob")
        }
        let killed = try fixture.runner.resume(executionId: paused.id, inputs: [:], decidedBy: "bob", approve: false, comment: "too big")
        #expect(killed.state == "KILLED")
        #expect(killed.error == "rejected by bob: too big")
        #expect(try fixture.states(killed) == ["wait": "KILLED"])
    }

    @Test("invalid inputs create no execution and report every error")
    func invalidInputs() throws {
        let fixture = try Fixture()
        #expect(
            throws: RunError.invalidInputs([
                "Invalid input for `count`, missing required input, but received `null`",
                "Invalid input for `size`, it must match the values `[S, M]`, but received `XL`",
            ])
        ) {
            try fixture.start(
                """
                inputs:
                  - {id: count, type: INT}
                  - {id: size, type: SELECT, values: [S, M]}
                tasks:
                  - {id: hello, \(Self.log), message: hi}
                """,
                inputs: ["size": "XL"]
            )
        }
        #expect(try fixture.database.executions().isEmpty)
    }

    @Test("SECRET inputs are stored sealed; secret() reads SECRET_* variables")
    func secrets() throws {
        let fixture = try Fixture()
        let execution = try fixture.start(
            """
            inputs:
              - {id: password, type: SECRET}
            tasks:
              - {id: hello, \(Self.log), message: "{{ secret('token') | length }}"}
            """,
            inputs: ["password": "hunter2"]
        )
        #expect(execution.state == "SUCCESS")
        #expect(execution.inputs.contains("\"password\":\"gatehouse-sealed:v1:"))
        #expect(!execution.inputs.contains("hunter2"))
        #expect(try fixture.lines(execution) == ["6"])
    }
}

/// Reads the flat string map of a stored JSON object, for assertions.
enum PebbleValueJSON {
    static func object(_ text: String) -> [String: String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return [:] }
        return object.compactMapValues { $0 as? String }
    }
}
