import Engine
import FlowModel
import Pebble
import Testing

@Suite("Input resolver: dependencies, options and the whole form")
struct InputResolverScenarioTests {
    static let cloudAndRegion = """
          - {id: cloud, type: SELECT, values: [AWS, GCP]}
          - id: region
            type: SELECT
            values: [us-east-1, eu-west-1]
            dependsOn:
              inputs: [cloud]
              condition: "{{ inputs.cloud == 'AWS' }}"
        """

    // MARK: - dependsOn

    @Test("a false condition disables the input and drops it, even when a value was submitted")
    func conditionFalse() throws {
        let resolution = InputFixtures.resolve(Self.cloudAndRegion, ["cloud": .text("GCP"), "region": .text("not-a-region")])
        let region = try #require(resolution["region"])
        #expect(!region.enabled)
        #expect(region.errors == [])
        #expect(region.value == nil)
        #expect(resolution.values == PebbleMap([("cloud", "GCP")]))
        #expect(resolution.isValid)
    }

    @Test("a true condition enables the input and checks it like any other")
    func conditionTrue() throws {
        let missing = InputFixtures.resolve(Self.cloudAndRegion, ["cloud": .text("AWS")])
        #expect(missing["region"]?.enabled == true)
        #expect(missing.errors == ["Invalid input for `region`, missing required input, but received `null`"])

        let given = InputFixtures.resolve(Self.cloudAndRegion, ["cloud": .text("AWS"), "region": .text("eu-west-1")])
        #expect(given.values == PebbleMap([("cloud", "AWS"), ("region", "eu-west-1")]))
    }

    @Test("a disabled dependency disables its dependants down the chain")
    func chain() throws {
        let yaml = """
              - {id: advanced, type: BOOL, defaults: false}
              - id: size
                type: INT
                dependsOn: {inputs: [advanced], condition: "{{ inputs.advanced }}"}
              - id: note
                type: STRING
                dependsOn: {inputs: [size]}
            """
        let off = InputFixtures.resolve(yaml)
        #expect(off.inputs.map(\.enabled) == [true, false, false])
        #expect(off.values == PebbleMap([("advanced", false)]))
        #expect(off.isValid)

        let on = InputFixtures.resolve(yaml, ["advanced": .text("true"), "size": .text("3"), "note": .text("hi")])
        #expect(on.inputs.map(\.enabled) == [true, true, true])
        #expect(on.values == PebbleMap([("advanced", true), ("size", 3), ("note", "hi")]))
    }

    @Test("dependencies declared later are resolved first; results stay in declaration order")
    func forwardDependency() throws {
        let yaml = """
              - id: detail
                type: STRING
                dependsOn: {inputs: [mode], condition: "{{ inputs.mode == 'custom' }}"}
              - {id: mode, type: SELECT, values: [simple, custom], defaults: simple}
            """
        let resolution = InputFixtures.resolve(yaml, ["mode": .text("custom"), "detail": .text("x")])
        #expect(resolution.inputs.map(\.id) == ["detail", "mode"])
        #expect(resolution.values == PebbleMap([("detail", "x"), ("mode", "custom")]))
    }

    @Test("the condition sees the dependency's typed value, under nested ids too")
    func typedDependencyValues() throws {
        let yaml = """
              - {id: server.count, type: INT}
              - id: confirm
                type: BOOL
                dependsOn: {inputs: [server.count], condition: "{{ inputs.server.count > 10 }}"}
            """
        #expect(InputFixtures.resolve(yaml, ["server.count": .text("11")])["confirm"]?.enabled == true)
        #expect(InputFixtures.resolve(yaml, ["server.count": .text("9")])["confirm"]?.enabled == false)
    }

    @Test(
        "enabled only when the condition renders exactly `true`",
        arguments: [
            ("{{ true }}", true),
            ("{{ 1 == 1 }}", true),
            ("true", true),
            ("{{ 'yes' }}", false),
            ("{{ 1 }}", false),
            (" {{ true }}", false),
            ("{{ false }}", false),
            ("TRUE", false),
        ]
    )
    func conditionText(condition: String, enabled: Bool) throws {
        let yaml = """
              - {id: a, type: STRING, defaults: x}
              - id: b
                type: STRING
                required: false
                dependsOn: {inputs: [a], condition: "\(condition)"}
            """
        #expect(InputFixtures.resolve(yaml)["b"]?.enabled == enabled)
    }

    @Test("a condition that fails to render disables the input with `Invalid condition`")
    func conditionError() throws {
        let yaml = """
              - {id: a, type: STRING, defaults: x}
              - id: b
                type: STRING
                dependsOn: {inputs: [a], condition: "{{ inputs.missing.deeper }}"}
            """
        let resolution = InputFixtures.resolve(yaml)
        let b = try #require(resolution["b"])
        #expect(!b.enabled)
        #expect(b.errors.count == 1)
        #expect(b.errors[0].hasPrefix("Invalid condition: "))
        #expect(resolution.values["b"] == nil)
        #expect(!resolution.isValid)
    }

    @Test("the condition sees the caller's context, with `inputs` limited to the dependencies")
    func conditionContext() throws {
        let yaml = """
              - {id: a, type: STRING, defaults: x}
              - {id: secretNote, type: STRING, defaults: y}
              - id: b
                type: STRING
                defaults: z
                dependsOn: {inputs: [a], condition: "{{ flow.namespace == 'prod' and inputs.secretNote is not defined }}"}
            """
        let context = PebbleMap([("flow", ["namespace": "prod"]), ("inputs", ["stale": true])])
        #expect(InputFixtures.resolve(yaml, context: context)["b"]?.enabled == true)
    }

    // MARK: - SELECT with expression

    @Test("an expression renders the options offered and the value is checked against them")
    func expressionOptions() throws {
        let yaml = """
              - {id: cloud, type: SELECT, values: [AWS, GCP]}
              - id: region
                type: SELECT
                expression: "{{ inputs.cloud == 'AWS' ? ['us-east-1', 'eu-west-1'] : ['europe-west1'] }}"
                dependsOn: {inputs: [cloud]}
            """
        let aws = InputFixtures.resolve(yaml, ["cloud": .text("AWS"), "region": .text("eu-west-1")])
        #expect(aws["region"]?.options.map(\.value) == ["us-east-1", "eu-west-1"])
        #expect(aws.isValid)

        let gcp = InputFixtures.resolve(yaml, ["cloud": .text("GCP"), "region": .text("eu-west-1")])
        #expect(gcp["region"]?.options.map(\.value) == ["europe-west1"])
        #expect(gcp.errors == ["Invalid input for `region`, it must match the values `[europe-west1]`, but received `eu-west-1`"])
    }

    @Test("expression options come from the context and may be {label, value} maps")
    func expressionFromContext() throws {
        let yaml = """
              - {id: size, type: MULTISELECT, expression: "{{ vars.sizes }}"}
            """
        let sizes: PebbleValue = [["value": "cx22", "label": "Small"], "cx32", nil]
        let resolution = InputFixtures.resolve(yaml, ["size": .text(#"["cx22","cx32"]"#)], context: PebbleMap([("vars", ["sizes": sizes])]))
        let size = try #require(resolution["size"])
        #expect(size.options == [SelectOption(value: "cx22", label: "Small"), SelectOption(value: "cx32", label: "cx32")])
        #expect(size.value == ["cx22", "cx32"])
    }

    @Test(
        "an expression that is not a list is refused with Kestra's message",
        arguments: [
            ("{{ 'a,b' }}", "Invalid expression result. Expected a list of strings, but received String"),
            ("{{ 42 }}", "Invalid expression result. Expected a list of strings, but received Integer"),
            ("{{ {'a': 1} }}", "Invalid expression result. Expected a list of strings, but received LinkedHashMap"),
        ]
    )
    func expressionNotList(expression: String, message: String) throws {
        let resolution = InputFixtures.resolve("  - {id: pick, type: SELECT, expression: \"\(expression)\"}", ["pick": .text("a")])
        #expect(resolution["pick"]?.errors == [message])
        #expect(resolution.values["pick"] == nil)
    }

    @Test("an expression that fails to render reports `Cannot render 'expression'`")
    func expressionRenderError() throws {
        let resolution = InputFixtures.resolve("  - {id: pick, type: SELECT, expression: \"{{ nothing.here }}\"}", ["pick": .text("a")])
        let errors = try #require(resolution["pick"]?.errors)
        #expect(errors.count == 1)
        #expect(errors[0].hasPrefix("Cannot render 'expression'. Cause: "))
    }

    // MARK: - Values, defaults, nesting

    @Test("dotted ids nest in the values; optional empty inputs are null, not absent")
    func nestedIDs() throws {
        let yaml = """
              - {id: nested.string, type: STRING}
              - {id: nested.int, type: INT, defaults: 3}
              - {id: nested.deeper.flag, type: BOOL, defaults: true}
              - {id: note, type: STRING, required: false}
            """
        let resolution = InputFixtures.resolve(yaml, ["nested.string": .text("a")])
        let expected = PebbleMap([
            ("nested", ["string": "a", "int": 3, "deeper": ["flag": true]]),
            ("note", nil),
        ])
        #expect(resolution.values == expected)
        #expect(resolution.values.keys == ["nested", "note"])
    }

    @Test("submitted values win over defaults; empty text falls back to them; the source is recorded")
    func defaultsVersusSubmitted() throws {
        let yaml = """
              - {id: a, type: STRING, defaults: da}
              - {id: b, type: STRING, defaults: db}
              - {id: c, type: STRING, defaults: dc}
              - {id: d, type: STRING, required: false}
            """
        let resolution = InputFixtures.resolve(yaml, ["a": .text("given"), "b": .text("")])
        #expect(resolution.inputs.map(\.value) == ["given", "db", "dc", .null])
        #expect(resolution.inputs.map(\.source) == [.submitted, .defaults, .defaults, ResolvedInput.Source.none])
        #expect(resolution.inputs.map(\.rawText) == ["given", "db", "dc", nil])
    }

    @Test("a templated default renders with the context")
    func templatedDefault() throws {
        let yaml = "  - {id: env, type: STRING, defaults: \"{{ vars.environment }}\"}"
        let resolution = InputFixtures.resolve(yaml, context: PebbleMap([("vars", ["environment": "staging"])]))
        #expect(resolution.values == PebbleMap([("env", "staging")]))
    }

    @Test("every error is reported at once, in declaration order")
    func allErrorsAtOnce() throws {
        let yaml = """
              - {id: name, type: STRING}
              - {id: count, type: INT, min: 1}
              - {id: ok, type: STRING, defaults: fine}
              - {id: when, type: DATE}
              - {id: contact, type: EMAIL}
            """
        let resolution = InputFixtures.resolve(yaml, ["count": .text("0"), "when": .text("tomorrow"), "contact": .text("nobody")])
        #expect(resolution.errors.count == 4)
        #expect(resolution.errors[0] == "Invalid input for `name`, missing required input, but received `null`")
        #expect(resolution.errors[1] == "Invalid input for `count`, it must be more than `1`, but received `0`")
        #expect(resolution.errors[2].hasPrefix("Invalid input for `when`, Expected `DATE` but received `tomorrow`"))
        #expect(resolution.errors[3] == "Invalid input for `contact`, The input must be a valid email, but received `nobody`")
        #expect(resolution.firstError == resolution.errors[0])
        #expect(resolution.inputs.map(\.isValid) == [false, false, true, false, false])
        #expect(resolution.values == PebbleMap([("ok", "fine")]))
    }

    @Test("SECRET values are flagged so callers can mask them")
    func secret() throws {
        let resolution = InputFixtures.resolve(
            "  - {id: token, type: SECRET}\n  - {id: user, type: STRING}", ["token": .text("t0p"), "user": .text("me")])
        #expect(resolution.inputs.map(\.isSecret) == [true, false])
        #expect(resolution.values["token"] == "t0p")
    }

    @Test("static options are offered as declared, labels included")
    func staticOptions() throws {
        let resolution = InputFixtures.resolve("  - {id: size, type: SELECT, values: [{value: cx22, label: Small}, cx32]}", ["size": .text("cx32")])
        #expect(resolution["size"]?.options == [SelectOption(value: "cx22", label: "Small"), SelectOption(value: "cx32", label: "cx32")])
    }

    @Test("a FORM groups its children: submitted as `form.child`, nested under the form's id")
    func form() throws {
        let yaml = """
              - id: server
                type: FORM
                inputs:
                  - {id: name, type: STRING}
                  - {id: size, type: INT, defaults: 2}
            """
        let filled = InputFixtures.resolve(yaml, ["server.name": .text("web")])
        #expect(filled.values == PebbleMap([("server", ["name": "web", "size": 2])]))
        #expect(filled["server"]?.children.map(\.id) == ["name", "size"])

        let empty = InputFixtures.resolve(yaml)
        #expect(empty.errors == ["Invalid input for `name`, missing required input, but received `null`"])
        #expect(empty.values.isEmpty)
    }

    @Test("Pause onResume inputs resolve through the same function")
    func onResume() throws {
        let source = """
            id: t
            namespace: n
            tasks:
              - id: wait
                type: io.kestra.plugin.core.flow.Pause
                onResume:
                  - {id: approved, type: BOOL, defaults: true}
                  - {id: asked, type: STRING}
            """
        let result = FlowParser().parse(source: source, file: "t.yaml")
        #expect(result.errors.map(\.description) == [])
        let task = try #require(result.flow?.tasks.first)
        let declarations = task.onResume
        let resolution = InputResolver().resolve(declarations, submitted: [:])
        #expect(resolution.errors == ["Invalid input for `asked`, missing required input, but received `null`"])
        #expect(resolution.values == PebbleMap([("approved", true)]))
    }
}
