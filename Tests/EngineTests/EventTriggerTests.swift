import FlowModel
import Foundation
import Pebble
import Testing

@testable import Engine
@testable import Store

@Suite("Webhook and Flow triggers")
struct EventTriggerTests {
    static let hook = """
        id: hook
        namespace: engine.events
        inputs:
          - {id: name, type: STRING}
        tasks:
          - {id: say, type: io.kestra.plugin.core.log.Log, message: "hello {{ inputs.name }} via {{ trigger.headers['x-source'][0] }}"}
        triggers:
          - {id: fixed, type: io.kestra.plugin.core.trigger.Webhook, key: s3cr3t-key, inputs: {name: "{{ trigger.body.user.name }}"}}
          - {id: rendered, type: io.kestra.plugin.core.trigger.Webhook, key: "{{ flow.id }}-key", inputs: {name: "{{ trigger.parameters.who[0] }}"}}

        """

    @Test("a matching key starts the flow with the body, headers and parameters; a wrong key or flow starts nothing")
    func webhook() throws {
        let fixture = try TimedFixture()
        let flow = try deploy(Self.hook, in: fixture)
        let webhooks = WebhookTriggers(runner: fixture.runner)
        let request = WebhookRequest(
            method: "POST", body: #"{"user": {"name": "Ada"}}"#, contentType: "application/json", headers: ["x-source": ["ci"]],
            parameters: ["who": ["Grace"]])

        let started = try #require(try webhooks.start(namespace: "engine.events", flowId: "hook", key: "s3cr3t-key", request: request, flows: [flow]))
        #expect(started.requester == "webhook:engine.events.hook.fixed")
        #expect(try webhooks.start(namespace: "engine.events", flowId: "hook", key: "s3cr3t-kez", request: request, flows: [flow]) == nil)
        #expect(try webhooks.start(namespace: "engine.events", flowId: "other", key: "s3cr3t-key", request: request, flows: [flow]) == nil)
        #expect(try webhooks.start(namespace: "engine.events", flowId: "hook", key: "", request: request, flows: [flow]) == nil)
        let byParameter = try #require(
            try webhooks.start(namespace: "engine.events", flowId: "hook", key: "hook-key", request: request, flows: [flow]))

        try Worker(runner: fixture.runner).fireDueWork()
        #expect(try fixture.execution(started.id).state == "SUCCESS")
        #expect(try fixture.lines(started) == ["hello Ada via ci"])
        #expect(try fixture.lines(byParameter) == ["hello Grace via ci"])
        #expect(try fixture.database.executions().count == 2)
    }

    static let upstream = """
        id: build
        namespace: engine.events
        inputs:
          - {id: fail, type: BOOLEAN, defaults: false}
        tasks:
          - {id: artefact, type: io.kestra.plugin.core.debug.Return, format: "build-{{ execution.id | length }}"}
          - {id: maybe, type: io.kestra.plugin.core.execution.Fail, condition: "{{ inputs.fail }}"}

        """

    static let listener = """
        id: deploy
        namespace: engine.events
        inputs:
          - {id: artefact, type: STRING}
        tasks:
          - {id: say, type: io.kestra.plugin.core.log.Log, message: "deploying {{ inputs.artefact }} after {{ trigger.flowId }} ended {{ trigger.state }}"}
        triggers:
          - id: after-build
            type: io.kestra.plugin.core.trigger.Flow
            inputs: {artefact: "{{ outputs.artefact.value }}"}
            conditions:
              - {type: io.kestra.plugin.core.condition.ExecutionFlow, namespace: engine.events, flowId: build}
              - {type: io.kestra.plugin.core.condition.ExecutionStatus, in: [SUCCESS, WARNING]}

        """

    @Test("a flow starts when another ends in a listed state, with inputs from its outputs, exactly once")
    func flowTrigger() async throws {
        let fixture = try TimedFixture()
        let listener = try deploy(Self.listener, in: fixture)
        let upstream = try fixture.runner.start(flowSource: Self.upstream, file: "build.yaml", inputs: [:], requester: "alice")
        #expect(upstream.state == "SUCCESS")

        // Several workers notice the end at once; one downstream execution results.
        let workers = (0..<6).map { _ in Worker(runner: fixture.runner, flows: { [listener] }) }
        let created = await withTaskGroup(of: Int.self) { group in
            for worker in workers { group.addTask { (try? worker.fireFlowTriggers().count) ?? 0 } }
            return await group.reduce(0, +)
        }
        #expect(created == 1)
        let downstream = try #require(try fixture.database.executions().first { $0.flowId == "deploy" })
        #expect(PebbleValue.storedJSON(downstream.inputs).mapValue?["artefact"] == .string("build-22"))
        try workers[0].fireDueWork()
        #expect(try fixture.execution(downstream.id).state == "SUCCESS")
        #expect(try fixture.lines(downstream) == ["deploying build-22 after build ended SUCCESS"])

        // A failed build does not match `in: [SUCCESS, WARNING]`: nothing starts, and the ended event is consumed.
        let failed = try fixture.runner.start(flowSource: Self.upstream, file: "build.yaml", inputs: ["fail": .text("true")], requester: "alice")
        #expect(failed.state == "FAILED")
        #expect(try workers[0].fireFlowTriggers().isEmpty)
        #expect(try fixture.database.dueWorkItems(now: fixture.clock.now.addingTimeInterval(1), kinds: [.flowTrigger]).isEmpty)
    }

    @Test("a killed execution triggers listeners too, and a flow never triggers itself")
    func killedAndSelf() throws {
        let fixture = try TimedFixture()
        let selfListening = try deploy(
            """
            id: loop
            namespace: engine.events
            tasks:
              - {id: wait, type: io.kestra.plugin.core.flow.Pause}
            triggers:
              - {id: again, type: io.kestra.plugin.core.trigger.Flow, states: [KILLED]}

            """, in: fixture)
        let other = try deploy(
            Self.listener.replacingOccurrences(of: "in: [SUCCESS, WARNING]", with: "in: [KILLED]")
                .replacingOccurrences(of: "flowId: build", with: "flowId: loop")
                .replacingOccurrences(of: "{{ outputs.artefact.value }}", with: "nothing"), in: fixture)
        let paused = try fixture.runner.start(
            flowSource: """
                id: loop
                namespace: engine.events
                tasks:
                  - {id: wait, type: io.kestra.plugin.core.flow.Pause}
                triggers:
                  - {id: again, type: io.kestra.plugin.core.trigger.Flow, states: [KILLED]}

                """, file: "loop.yaml", inputs: [:], requester: "alice")
        #expect(paused.state == "PAUSED")
        #expect(try fixture.runner.kill(executionId: paused.id, by: "alice").state == "KILLED")
        let started = try Worker(runner: fixture.runner, flows: { [selfListening, other] }).fireFlowTriggers()
        #expect(started.map(\.flowId) == ["deploy"])
    }
}

@Suite("Flow catalog")
struct FlowCatalogTests {
    @Test("valid flows are deployed once per change; invalid and duplicate ones are kept with file:line:col errors")
    func catalog() throws {
        let fixture = try TimedFixture()
        let directory = fixture.root.appendingPathComponent("flows/team")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let valid = "id: a\nnamespace: cat\ntasks:\n  - {id: t, type: io.kestra.plugin.core.log.Log, message: hi}\n"
        try valid.write(to: directory.appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)
        try valid.write(to: directory.appendingPathComponent("b-copy.yml"), atomically: true, encoding: .utf8)
        try "id: broken\nnamespace: cat\ntasks:\n  - {id: t, type: io.kestra.plugin.core.log.Lgo}\n"
            .write(to: directory.appendingPathComponent("c.yaml"), atomically: true, encoding: .utf8)

        let catalog = FlowCatalog(directory: fixture.root.appendingPathComponent("flows").path, database: fixture.database)
        let entries = try catalog.reload()
        #expect(entries.count == 3)
        #expect(catalog.deployed.map(\.flow.id) == ["a"])
        let duplicate = try #require(entries.first { $0.file.hasSuffix("b-copy.yml") })
        #expect(duplicate.errors.first?.contains("is already defined in") == true)
        let broken = try #require(entries.first { $0.file.hasSuffix("c.yaml") })
        #expect(broken.errors.first?.contains("c.yaml:4:") == true)

        #expect(try catalog.reload().first?.revision == 1)
        try (valid + "description: changed\n").write(to: directory.appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)
        #expect(try catalog.reload().first?.revision == 2)
        #expect(FlowCatalog(directory: "/nonexistent/flows", database: fixture.database).deployed.isEmpty)
    }
}
