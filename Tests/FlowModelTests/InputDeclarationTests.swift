import FlowModel
import Testing

@Suite("Input declarations")
struct InputDeclarationTests {
    static func parse(_ inputs: String) -> FlowParseResult {
        FlowParser().parse(
            source: "id: t\nnamespace: n\ninputs:\n" + inputs + "\ntasks: [{id: a, type: io.kestra.plugin.core.log.Log, message: hi}]",
            file: "t.yaml"
        )
    }

    @Test("common properties and their defaults")
    func commonProperties() throws {
        let result = Self.parse(
            """
              - id: vm_name
                type: STRING
                displayName: VM name
                description: Lowercase **letters**
                validator: ^[a-z][a-z0-9-]{2,62}$
              - id: note
                type: STRING
                required: false
                prefill: hello
            """
        )
        #expect(result.diagnostics == [])
        let inputs = try #require(result.flow).inputs
        #expect(inputs[0].label == "VM name")
        #expect(inputs[0].description == "Lowercase **letters**")
        #expect(inputs[0].required)
        #expect(inputs[0].validator == "^[a-z][a-z0-9-]{2,62}$")
        #expect(inputs[0].path == "inputs[0]")
        #expect(inputs[1].label == "note")
        #expect(!inputs[1].required)
        #expect(inputs[1].prefill == .string("hello"))
    }

    @Test("type-specific properties of every kind")
    func typeSpecific() throws {
        let result = Self.parse(
            """
              - {id: count, type: INT, min: 1, max: 10, defaults: 2}
              - {id: ratio, type: FLOAT, min: 0.5, max: 2}
              - {id: ttl, type: DURATION, min: PT1H, max: P30D, defaults: P7D}
              - {id: when, type: DATETIME, after: "2023-01-01T00:00:00Z"}
              - {id: day, type: DATE, before: "2042-12-31"}
              - {id: at, type: TIME, after: "08:00:00"}
              - id: size
                type: SELECT
                isRadio: true
                allowCustomValue: true
                values:
                  - {value: cx22, label: "CX22 · 2 vCPU · 4 GB"}
                  - cx32
              - {id: tags, type: MULTISELECT, values: [a, b], defaults: [a]}
              - {id: ports, type: ARRAY, itemType: INT, defaults: [22, 443]}
              - {id: doc, type: FILE, allowedFileExtensions: [.txt, .pdf]}
              - id: region
                type: SELECT
                expression: "{{ ['fsn1', 'nbg1'] }}"
                dependsOn: {inputs: [size], condition: "{{ inputs.size == 'cx22' }}"}
            """
        )
        #expect(result.diagnostics.map(\.description) == [])
        let inputs = try #require(result.flow).inputs
        #expect(inputs[0].min == .int(1) && inputs[0].max == .int(10) && inputs[0].defaults == .int(2))
        #expect(inputs[1].min == .double(0.5))
        #expect(inputs[2].max == .string("P30D"))
        #expect(inputs[3].after == "2023-01-01T00:00:00Z")
        #expect(inputs[4].before == "2042-12-31")
        #expect(inputs[5].after == "08:00:00")
        #expect(inputs[6].values == [SelectOption(value: "cx22", label: "CX22 · 2 vCPU · 4 GB"), SelectOption(value: "cx32", label: "cx32")])
        #expect(inputs[6].isRadio && inputs[6].allowCustomValue)
        #expect(inputs[7].defaults == .list([.string("a")]))
        #expect(inputs[8].itemType == .int)
        #expect(inputs[9].allowedFileExtensions == [".txt", ".pdf"])
        #expect(inputs[10].dependsOn == InputDependency(inputs: ["size"], condition: "{{ inputs.size == 'cx22' }}"))
        #expect(inputs[10].expression == "{{ ['fsn1', 'nbg1'] }}")
    }

    @Test(
        "mistakes in declarations are reported at the property",
        arguments: [
            ("  - {id: a, type: INT, min: low}", "4:29: error: `min` must be a whole number, but got `low` (at inputs[0].min)"),
            (
                "  - {id: a, type: STRING, min: 1}",
                "4:27: error: unknown property `min` in input of type STRING; known properties are: defaults, dependsOn, description, displayName, id, name, prefill, required, type, validator (at inputs[0].min)"
            ),
            (
                "  - {id: a, type: DATE, after: 01/02/2023}",
                "4:32: error: `after` must be an ISO-8601 date such as 2042-12-03, but got `01/02/2023` (at inputs[0].after)"
            ),
            (
                "  - {id: a, type: STRING, displayName: \(String(repeating: "x", count: 65))}",
                "4:40: error: `displayName` must be at most 64 characters, but has 65 (at inputs[0].displayName)"
            ),
            (
                "  - {id: 'a b', type: STRING}",
                "4:10: error: input id `a b` is invalid: it must start with a letter or digit and contain only letters, digits, `.`, `_` and `-` (at inputs[0].id)"
            ),
            ("  - {id: a, type: INT, defaults: x1}", "4:34: error: `defaults` must be a whole number, but got `x1` (at inputs[0].defaults)"),
            ("  - {id: a}", "4:5: error: missing required property `type` in an input (at inputs[0].type)"),
        ]
    )
    func mistakes(declaration: String, expected: String) {
        let result = Self.parse(declaration)
        #expect(result.diagnostics.map { String($0.description.dropFirst("t.yaml:".count)) } == [expected])
    }
}
