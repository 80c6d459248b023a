import FlowModel
import Testing

@Suite("Plugin defaults")
struct PluginDefaultsTests {
    /// Parses a flow that must have no diagnostics and returns its tasks, nested ones included, by id.
    func tasks(_ source: String) throws -> [String: Task] {
        let result = FlowParser().parse(source: source, file: "defaults.yaml")
        #expect(result.diagnostics.map(\.description) == [])
        let flow = try #require(result.flow)
        return Dictionary(uniqueKeysWithValues: flow.allTasks.map { ($0.id, $0) })
    }

    @Test("a non-forced default fills what the task leaves out and never overrides what it writes")
    func nonForced() throws {
        let tasks = try tasks(
            """
            id: f
            namespace: company.team
            pluginDefaults:
              - type: io.kestra.plugin.core.log.Log
                values:
                  level: DEBUG
            tasks:
              - id: plain
                type: io.kestra.plugin.core.log.Log
                message: hi
              - id: explicit
                type: io.kestra.plugin.core.log.Log
                message: hi
                level: ERROR
            """)
        #expect(tasks["plain"]?.properties["level"] == .string("DEBUG"))
        #expect(tasks["explicit"]?.properties["level"] == .string("ERROR"))
    }

    @Test("a forced default overrides the task's value")
    func forced() throws {
        let tasks = try tasks(
            """
            id: f
            namespace: company.team
            pluginDefaults:
              - type: io.kestra.plugin.core.log.Log
                forced: true
                values:
                  level: WARN
            tasks:
              - id: explicit
                type: io.kestra.plugin.core.log.Log
                message: hi
                level: ERROR
              - id: plain
                type: io.kestra.plugin.core.log.Log
                message: hi
            """)
        #expect(tasks["explicit"]?.properties["level"] == .string("WARN"))
        #expect(tasks["plain"]?.properties["level"] == .string("WARN"))
    }

    @Test("a default can supply a required property, as Kestra injects defaults before validating")
    func requiredFromDefault() throws {
        let tasks = try tasks(
            """
            id: f
            namespace: company.team
            pluginDefaults:
              - type: io.kestra.plugin.core.http.Request
                values:
                  uri: https://status.example.com/health
            tasks:
              - id: probe
                type: io.kestra.plugin.core.http.Request
            """)
        #expect(tasks["probe"]?.string("uri") == "https://status.example.com/health")
    }

    @Test("maps merge at every depth with the task's keys winning; forced keys win over the task's")
    func deepMerge() throws {
        let tasks = try tasks(
            """
            id: f
            namespace: company.team
            pluginDefaults:
              - type: io.kestra.plugin.core.http.Request
                values:
                  headers:
                    User-Agent: gatehouse
                    Accept: application/json
                  options:
                    followRedirects: true
                    timeout:
                      connectTimeout: PT5S
                      readTimeout: PT10S
              - type: io.kestra.plugin.core.http.Request
                forced: true
                values:
                  options:
                    timeout:
                      readTimeout: PT1M
            tasks:
              - id: call
                type: io.kestra.plugin.core.http.Request
                uri: https://example.com
                headers:
                  Accept: text/plain
                options:
                  followRedirects: false
                  timeout:
                    connectTimeout: PT1S
                    readTimeout: PT2S
            """)
        let call = try #require(tasks["call"])
        #expect(call.properties["headers"]?["Accept"] == .string("text/plain"))
        #expect(call.properties["headers"]?["User-Agent"] == .string("gatehouse"))
        let options = try #require(call.properties["options"])
        #expect(options["followRedirects"] == .bool(false))
        #expect(options["timeout"]?["connectTimeout"] == .string("PT1S"))
        #expect(options["timeout"]?["readTimeout"] == .string("PT1M"))
    }

    @Test("lists are joined without repeats: a default's items first, a forced default's items last")
    func listsJoin() throws {
        let tasks = try tasks(
            """
            id: f
            namespace: company.team
            pluginDefaults:
              - type: io.kestra.plugin.scripts.shell.Commands
                values:
                  beforeCommands: [set -e, cd /srv]
              - type: io.kestra.plugin.scripts.shell.Script
                forced: true
                values:
                  beforeCommands: [echo audit, set -e]
            tasks:
              - id: commands
                type: io.kestra.plugin.scripts.shell.Commands
                beforeCommands: [set -e, export A=1]
                commands: [make]
              - id: script
                type: io.kestra.plugin.scripts.shell.Script
                beforeCommands: [set -e, export B=2]
                script: make
            """)
        #expect(tasks["commands"]?.properties["beforeCommands"] == .list([.string("set -e"), .string("cd /srv"), .string("export A=1")]))
        #expect(tasks["script"]?.properties["beforeCommands"] == .list([.string("set -e"), .string("export B=2"), .string("echo audit")]))
    }

    @Test("values are typed by the property they land in, not by the free-form `values` map")
    func typedByTarget() throws {
        let tasks = try tasks(
            """
            id: f
            namespace: company.team
            pluginDefaults:
              - type: io.kestra.plugin.scripts.shell.Commands
                values:
                  env:
                    PORT: 8080
                  failFast: false
            tasks:
              - id: run
                type: io.kestra.plugin.scripts.shell.Commands
                commands: [serve]
            """)
        #expect(tasks["run"]?.properties["env"]?["PORT"] == .string("8080"))
        #expect(tasks["run"]?.properties["failFast"] == .bool(false))
    }

    @Test("common task properties take defaults too: retry, timeout, allowFailure, runIf")
    func commonProperties() throws {
        let tasks = try tasks(
            """
            id: f
            namespace: company.team
            pluginDefaults:
              - type: io.kestra.plugin.core.http.Request
                values:
                  allowFailure: true
                  timeout: PT30S
                  runIf: "{{ inputs.online }}"
                  retry:
                    type: constant
                    interval: PT5S
                    maxAttempts: 3
            tasks:
              - id: call
                type: io.kestra.plugin.core.http.Request
                uri: https://example.com
                retry:
                  type: constant
                  interval: PT1S
            """)
        let call = try #require(tasks["call"])
        #expect(call.allowFailure)
        #expect(call.timeout != nil)
        #expect(call.runIf == "{{ inputs.online }}")
        #expect(call.retry?.maxAttempts == 3)
        #expect(call.retry?.interval == .fixed(try #require(ISODuration("PT1S"))))
    }

    @Test(
        "a package prefix applies at a `.` boundary, to the declared and the canonical name",
        arguments: [
            ("io.kestra.plugin.core.log", true),
            ("io.kestra.plugin.core.log.", true),
            ("io.kestra.plugin.core", true),
            ("io.kestra.core.tasks", true),
            ("io.kestra.plugin.core.lo", false),
            ("io.kestra.plugin.core.log.Lo", false),
            ("io.kestra.plugin.scripts", false),
        ]
    )
    func prefixes(prefix: String, applies: Bool) throws {
        let tasks = try tasks(
            """
            id: f
            namespace: company.team
            pluginDefaults:
              - type: \(prefix)
                values:
                  level: TRACE
            tasks:
              - id: alias
                type: io.kestra.core.tasks.log.Log
                message: hi
            """)
        #expect((tasks["alias"]?.properties["level"] == .string("TRACE")) == applies)
    }

    @Test("a prefix default sets only properties each matched type has, so other types still parse")
    func prefixSkipsForeignProperties() throws {
        let tasks = try tasks(
            """
            id: f
            namespace: company.team
            pluginDefaults:
              - type: io.kestra.plugin.core
                values:
                  level: DEBUG
                  allowWarning: true
            tasks:
              - id: check
                type: io.kestra.plugin.core.flow.If
                condition: "{{ true }}"
                then:
                  - id: inner
                    type: io.kestra.plugin.core.log.Log
                    message: hi
            """)
        #expect(tasks["check"]?.properties["level"] == nil)
        #expect(tasks["check"]?.allowWarning == true)
        #expect(tasks["inner"]?.properties["level"] == .string("DEBUG"))
    }

    @Test("an old type name and its new name reach each other through the alias table")
    func aliases() throws {
        let tasks = try tasks(
            """
            id: f
            namespace: company.team
            taskDefaults:
              - type: io.kestra.core.tasks.log.Log
                values:
                  level: WARN
              - type: io.kestra.plugin.core.execution.Fail
                values:
                  errorMessage: stopped by policy
            tasks:
              - id: canonical
                type: io.kestra.plugin.core.log.Log
                message: hi
              - id: old
                type: io.kestra.core.tasks.executions.Fail
            """)
        #expect(tasks["canonical"]?.properties["level"] == .string("WARN"))
        #expect(tasks["old"]?.string("errorMessage") == "stopped by policy")
    }

    @Test("tasks at every depth and in errors, finally and afterExecution get defaults")
    func nested() throws {
        let tasks = try tasks(
            """
            id: f
            namespace: company.team
            pluginDefaults:
              - type: io.kestra.plugin.core.log.Log
                values:
                  level: WARN
            tasks:
              - id: outer
                type: io.kestra.plugin.core.flow.Sequential
                tasks:
                  - id: choose
                    type: io.kestra.plugin.core.flow.Switch
                    value: "{{ inputs.env }}"
                    cases:
                      prod:
                        - id: in_case
                          type: io.kestra.plugin.core.log.Log
                          message: prod
                    defaults:
                      - id: in_defaults
                        type: io.kestra.plugin.core.log.Log
                        message: other
                  - id: gate
                    type: io.kestra.plugin.core.flow.Pause
                    onPause:
                      id: on_pause
                      type: io.kestra.plugin.core.log.Log
                      message: paused
                errors:
                  - id: in_local_errors
                    type: io.kestra.plugin.core.log.Log
                    message: failed
            errors:
              - id: in_errors
                type: io.kestra.plugin.core.log.Log
                message: failed
            finally:
              - id: in_finally
                type: io.kestra.plugin.core.log.Log
                message: done
            afterExecution:
              - id: in_after
                type: io.kestra.plugin.core.log.Log
                message: after
            """)
        let logs = tasks.values.filter { $0.type == .log }
        #expect(logs.count == 7)
        for log in logs {
            #expect(log.properties["level"] == .string("WARN"), "\(log.id)")
        }
    }

    @Test("when several defaults match, the one listed first wins, forced or not")
    func firstListedWins() throws {
        let tasks = try tasks(
            """
            id: f
            namespace: company.team
            pluginDefaults:
              - type: io.kestra.plugin.core.log.Log
                values: {level: DEBUG}
              - type: io.kestra.plugin.core
                values: {level: ERROR, logLevel: WARN}
              - type: io.kestra.plugin.core.execution.Fail
                forced: true
                values: {errorMessage: first}
              - type: io.kestra.plugin.core.execution
                forced: true
                values: {errorMessage: second}
            tasks:
              - id: log
                type: io.kestra.plugin.core.log.Log
                message: hi
              - id: fail
                type: io.kestra.plugin.core.execution.Fail
                errorMessage: own
            """)
        #expect(tasks["log"]?.properties["level"] == .string("DEBUG"))
        #expect(tasks["log"]?.logLevel == "WARN")
        #expect(tasks["fail"]?.string("errorMessage") == "first")
    }

    @Test("triggers take defaults too")
    func triggers() throws {
        let result = FlowParser().parse(
            source: """
                id: f
                namespace: company.team
                pluginDefaults:
                  - type: io.kestra.plugin.core.trigger.Schedule
                    values:
                      timezone: Europe/Berlin
                tasks:
                  - id: hello
                    type: io.kestra.plugin.core.log.Log
                    message: hi
                triggers:
                  - id: nightly
                    type: io.kestra.plugin.core.trigger.Schedule
                    cron: "0 2 * * *"
                """, file: "defaults.yaml")
        #expect(result.diagnostics == [])
        let trigger = try #require(result.flow?.triggers.first)
        #expect(trigger.properties["timezone"] == .string("Europe/Berlin"))
    }

    @Test("a default naming a property its exact type lacks is an error at that line")
    func unknownProperty() {
        let result = FlowParser().parse(
            source: """
                id: f
                namespace: company.team
                pluginDefaults:
                  - type: io.kestra.plugin.core.log.Log
                    values:
                      levle: DEBUG
                tasks:
                  - id: hello
                    type: io.kestra.plugin.core.log.Log
                    message: hi
                """, file: "defaults.yaml")
        #expect(
            result.diagnostics.map(\.description) == [
                "defaults.yaml:6:7: error: unknown property `levle` for io.kestra.plugin.core.log.Log in a plugin default; did you mean `level`? (at pluginDefaults[0].values.levle)"
            ])
        #expect(result.flow == nil)
    }

    @Test("a default setting a property Gatehouse does not run yet is rejected as unsupported, not ignored")
    func unsupportedProperty() {
        let result = FlowParser().parse(
            source: """
                id: f
                namespace: company.team
                pluginDefaults:
                  - type: io.kestra.plugin.core.trigger.Webhook
                    values:
                      wait: true
                tasks:
                  - id: hello
                    type: io.kestra.plugin.core.log.Log
                    message: hi
                triggers:
                  - id: hook
                    type: io.kestra.plugin.core.trigger.Webhook
                    key: abc
                """, file: "defaults.yaml")
        #expect(
            result.diagnostics.map(\.description).map { $0.contains("`wait` of trigger `hook`") && $0.contains("not supported by Gatehouse yet") }
                == [true])
        #expect(result.flow == nil)
    }

    @Test("a bad default value is reported once, where the default writes it, even when it reaches several tasks")
    func badValueReportedOnce() {
        let result = FlowParser().parse(
            source: """
                id: f
                namespace: company.team
                pluginDefaults:
                  - type: io.kestra.plugin.core.log.Log
                    values:
                      level: LOUD
                tasks:
                  - id: one
                    type: io.kestra.plugin.core.log.Log
                    message: hi
                  - id: two
                    type: io.kestra.plugin.core.log.Log
                    message: hi
                """, file: "defaults.yaml")
        #expect(result.flow == nil)
        #expect(result.diagnostics.count == 1)
        #expect(result.diagnostics.first?.line == 6)
        #expect(result.diagnostics.first?.path == "tasks[0].level")
    }
}
