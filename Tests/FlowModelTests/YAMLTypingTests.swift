import FlowModel
import Testing

/// YAML 1.1 would read `NO` as false and `1.10` as 1.1; the schema decides instead.
@Suite("YAML scalars typed by the schema")
struct YAMLTypingTests {
    static func flow(_ body: String) throws -> Flow {
        let result = FlowParser().parse(source: "id: t\nnamespace: n\n" + body, file: "t.yaml")
        #expect(result.diagnostics.map(\.description) == [])
        return try #require(result.flow)
    }

    @Test("SELECT values stay the strings the author wrote")
    func selectValues() throws {
        let flow = try Self.flow(
            """
            inputs:
              - id: answer
                type: SELECT
                values: [NO, on, 1.10, yes, 'off', 007, true, ~x]
                defaults: NO
            tasks: [{id: a, type: io.kestra.plugin.core.log.Log, message: hi}]
            """
        )
        #expect(flow.inputs[0].values.map(\.value) == ["NO", "on", "1.10", "yes", "off", "007", "true", "~x"])
        #expect(flow.inputs[0].defaults == .string("NO"))
    }

    @Test(
        "defaults are typed by the input type",
        arguments: [
            ("STRING", "1.10", FlowValue.string("1.10")),
            ("STRING", "on", .string("on")),
            ("STRING", "'true'", .string("true")),
            ("INT", "42", .int(42)),
            ("FLOAT", "1.10", .double(1.1)),
            ("BOOL", "true", .bool(true)),
            ("BOOLEAN", "FALSE", .bool(false)),
            ("DURATION", "PT5M", .string("PT5M")),
            ("DATE", "2042-12-03", .string("2042-12-03")),
            ("EMAIL", "ops@example.com", .string("ops@example.com")),
            ("JSON", "{a: 1}", .map([.init(key: "a", value: .int(1))])),
        ]
    )
    func typedDefaults(type: String, written: String, expected: FlowValue) throws {
        let flow = try Self.flow(
            """
            inputs:
              - id: x
                type: \(type)
                defaults: \(written)
            tasks: [{id: a, type: io.kestra.plugin.core.log.Log, message: hi}]
            """
        )
        #expect(flow.inputs[0].defaults == expected)
    }

    @Test("free-form values follow the YAML 1.2 core schema, so `on`, `NO` and `yes` stay strings")
    func freeFormValues() throws {
        let flow = try Self.flow(
            """
            variables:
              a: on
              b: NO
              c: yes
              d: 1.10
              e: '1'
              f: true
              g: ~
              h: 12
            tasks: [{id: a, type: io.kestra.plugin.core.log.Log, message: hi}]
            """
        )
        let values = Dictionary(uniqueKeysWithValues: flow.variables.map { ($0.key, $0.value) })
        #expect(values["a"] == .string("on"))
        #expect(values["b"] == .string("NO"))
        #expect(values["c"] == .string("yes"))
        #expect(values["d"] == .double(1.1))
        #expect(values["e"] == .string("1"))
        #expect(values["f"] == .bool(true))
        #expect(values["g"] == .null)
        #expect(values["h"] == .int(12))
    }

    @Test("Switch case keys stay strings: NO, true and 1.10 are three different cases")
    func switchCaseKeys() throws {
        let flow = try Self.flow(
            """
            tasks:
              - id: route
                type: io.kestra.plugin.core.flow.Switch
                value: "{{ inputs.x }}"
                cases:
                  NO: [{id: no_case, type: io.kestra.plugin.core.log.Log, message: n}]
                  true: [{id: true_case, type: io.kestra.plugin.core.log.Log, message: t}]
                  1.10: [{id: version_case, type: io.kestra.plugin.core.log.Log, message: v}]
            """
        )
        #expect(flow.tasks[0].branches.compactMap(\.caseKey) == ["NO", "true", "1.10"])
        #expect(flow.tasks[0].tasks(in: "cases", case: "NO").map(\.id) == ["no_case"])
    }

    @Test("a string property keeps a number-looking value exactly")
    func stringProperty() throws {
        let flow = try Self.flow("tasks: [{id: a, type: io.kestra.plugin.core.log.Log, message: 1.10}]")
        #expect(flow.tasks[0].string("message") == "1.10")
    }
}
