import FlowModel
import Testing

@Suite("Alias table")
struct AliasTableTests {
    @Test("every canonical name and alias resolves to its task type", arguments: TaskType.allCases)
    func taskAliases(type: TaskType) {
        #expect(TaskType(declared: type.canonicalName) == type)
        for alias in type.aliases {
            #expect(TaskType(declared: alias) == type, "\(alias)")
        }
    }

    @Test("no name is claimed by two task types")
    func namesAreUnique() {
        let names = TaskType.allCases.flatMap { [$0.canonicalName] + $0.aliases }
        #expect(Set(names).count == names.count)
    }

    @Test(
        "1.x and plugin-notifications names map to the 2.0 names",
        arguments: [
            ("io.kestra.core.tasks.log.Log", TaskType.log),
            ("io.kestra.core.tasks.flows.Pause", .pause),
            ("io.kestra.core.tasks.executions.Fail", .fail),
            ("io.kestra.plugin.notifications.slack.SlackIncomingWebhook", .slackIncomingWebhook),
            ("io.kestra.plugin.slack.SlackIncomingWebhook", .slackIncomingWebhook),
            ("io.kestra.plugin.notifications.mail.MailSend", .mailSend),
            ("io.kestra.plugin.fs.http.Request", .httpRequest),
        ]
    )
    func knownAliases(name: String, type: TaskType) {
        #expect(TaskType(declared: name) == type)
    }

    @Test("unknown names and near-misses are not accepted")
    func unknownNames() {
        #expect(TaskType(declared: "io.kestra.plugin.core.log.log") == nil)
        #expect(TaskType(declared: "Log") == nil)
        #expect(TriggerType(declared: "io.kestra.plugin.core.trigger.Cron") == nil)
    }

    @Test("trigger aliases resolve", arguments: TriggerType.allCases)
    func triggerAliases(type: TriggerType) {
        #expect(TriggerType(declared: type.canonicalName) == type)
        for alias in type.aliases { #expect(TriggerType(declared: alias) == type) }
    }

    @Test("older property spellings are normalised to the 2.0 names")
    func propertyAliases() throws {
        let source = """
            id: old
            namespace: company.team
            taskDefaults:
              - type: io.kestra.plugin.core.log.Log
                values: {level: DEBUG}
            inputs:
              - name: size
                type: ENUM
                values: [S, M]
              - name: ok
                type: BOOLEAN
            tasks:
              - id: wait
                type: io.kestra.core.tasks.flows.Pause
                delay: PT5M
                behavior: FAIL
              - id: flaky
                type: io.kestra.core.tasks.log.Log
                message: hi
                retry: {type: constant, interval: PT1S, maxAttempt: 3}
            """
        let result = FlowParser().parse(source: source, file: "old.yaml")
        #expect(result.diagnostics == [])
        let flow = try #require(result.flow)
        #expect(flow.pluginDefaults.first?.type == "io.kestra.plugin.core.log.Log")
        #expect(flow.inputs.map(\.id) == ["size", "ok"])
        #expect(flow.inputs.map(\.type) == [.select, .bool])
        #expect(flow.inputs.map(\.declaredType) == ["ENUM", "BOOLEAN"])
        #expect(flow.tasks[0].type == .pause)
        #expect(flow.tasks[0].declaredType == "io.kestra.core.tasks.flows.Pause")
        #expect(flow.tasks[0].properties["pauseDuration"] == .string("PT5M"))
        #expect(flow.tasks[1].retry?.maxAttempts == 3)
    }
}
