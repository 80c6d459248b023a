import Engine
import FlowModel
import Pebble
import Testing

/// Builds real declarations through the flow parser, so the tests see what a flow file produces.
enum InputFixtures {
    static func declarations(_ inputs: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> [InputDeclaration] {
        let source = "id: t\nnamespace: n\ninputs:\n" + inputs + "\ntasks: [{id: a, type: io.kestra.plugin.core.log.Log, message: hi}]"
        let result = FlowParser().parse(source: source, file: "t.yaml")
        #expect(result.errors.map(\.description) == [], sourceLocation: sourceLocation)
        return result.flow?.inputs ?? []
    }

    static func resolve(
        _ inputs: String, _ submitted: [String: SubmittedInput] = [:], context: PebbleMap = PebbleMap(),
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) -> InputResolution {
        InputResolver().resolve(declarations(inputs, sourceLocation: sourceLocation), submitted: submitted, context: context)
    }
}

/// One input `x` declared by `declaration` (a YAML flow mapping without the id), given `submitted` text.
struct ValueCase: CustomTestStringConvertible, Sendable {
    let declaration: String
    let submitted: SubmittedInput?
    let expected: PebbleValue

    init(_ declaration: String, _ submitted: String?, _ expected: PebbleValue) {
        self.declaration = declaration
        self.submitted = submitted.map(SubmittedInput.text)
        self.expected = expected
    }

    init(_ declaration: String, file uri: String, filename: String, _ expected: PebbleValue) {
        self.declaration = declaration
        self.submitted = .file(uri: uri, filename: filename)
        self.expected = expected
    }

    var testDescription: String { "{\(declaration)} ← \(submitted.map { "\($0)" } ?? "nothing")" }

    var yaml: String { "  - {id: x, \(declaration)}" }
}

/// One input declared by `declaration` (with its id), given `submitted`, must fail with exactly `message`.
struct ErrorCase: CustomTestStringConvertible, Sendable {
    let declaration: String
    let id: String
    let submitted: SubmittedInput?
    let message: String

    init(_ declaration: String, _ submitted: String?, _ message: String) {
        self.init(declaration, submitted.map(SubmittedInput.text), message: message)
    }

    init(_ declaration: String, file uri: String, filename: String, _ message: String) {
        self.init(declaration, .file(uri: uri, filename: filename), message: message)
    }

    private init(_ declaration: String, _ submitted: SubmittedInput?, message: String) {
        self.declaration = declaration
        self.id = String(declaration.split(separator: ",")[0].dropFirst("id: ".count))
        self.submitted = submitted
        self.message = message
    }

    var testDescription: String { message }
}

@Suite("Input resolver: parsing and validation per type")
struct InputResolverTests {
    static let values: [ValueCase] = [
        // STRING and SECRET
        ValueCase("type: STRING", "hello", "hello"),
        ValueCase("type: STRING, validator: '^[a-z]+$'", "abc", "abc"),
        ValueCase("type: STRING, validator: 'a|ab'", "ab", "ab"),  // Pattern.matches backtracks to a full match
        ValueCase("type: STRING, defaults: fallback", nil, "fallback"),
        ValueCase("type: STRING, defaults: fallback", "given", "given"),
        ValueCase("type: STRING, defaults: fallback", "", "fallback"),  // empty means not submitted
        ValueCase("type: SECRET, validator: '^[A-Za-z0-9]{6,}$'", "s3cr3t", "s3cr3t"),
        // INT: Integer.valueOf, 32 bits
        ValueCase("type: INT", "42", 42),
        ValueCase("type: INT", "-7", -7),
        ValueCase("type: INT", "+5", 5),
        ValueCase("type: INT", "2147483647", 2_147_483_647),
        ValueCase("type: INT, min: 10, max: 20", "10", 10),
        ValueCase("type: INT, min: 10, max: 20", "20", 20),
        ValueCase("type: INT, defaults: 5", nil, 5),
        ValueCase("type: INT, defaults: 5", "6", 6),
        // FLOAT: Float.valueOf, stored with the float's shortest digits
        ValueCase("type: FLOAT", "1.5", 1.5),
        ValueCase("type: FLOAT", "1.1", 1.1),
        ValueCase("type: FLOAT", "3", 3.0),
        ValueCase("type: FLOAT", " 2.5 ", 2.5),
        ValueCase("type: FLOAT", "1e3", 1000.0),
        ValueCase("type: FLOAT", "2.5f", 2.5),
        ValueCase("type: FLOAT", "0x1p3", 8.0),
        ValueCase("type: FLOAT", "-Infinity", .double(-.infinity)),
        ValueCase("type: FLOAT, min: 0.5, max: 2", "2", 2.0),
        ValueCase("type: FLOAT, defaults: 0.25", nil, 0.25),
        // BOOL and BOOLEAN: Boolean.valueOf, anything but `true` is false
        ValueCase("type: BOOL", "true", true),
        ValueCase("type: BOOL", "TRUE", true),
        ValueCase("type: BOOL", "false", false),
        ValueCase("type: BOOL", "yes", false),
        ValueCase("type: BOOLEAN", "anything", false),
        ValueCase("type: BOOL, defaults: true", nil, true),
        // SELECT / ENUM
        ValueCase("type: SELECT, values: [A, B]", "B", "B"),
        ValueCase("type: SELECT, required: false, values: [A, B]", "Z", "Z"),  // Kestra's quirk: optional is unchecked
        ValueCase("type: SELECT, allowCustomValue: true, values: [A, B]", "Z", "Z"),
        ValueCase("type: SELECT, values: [{value: cx22, label: Small}, cx32]", "cx22", "cx22"),
        ValueCase("type: ENUM, values: [ENUM_VALUE, OTHER_ONE]", "OTHER_ONE", "OTHER_ONE"),
        // MULTISELECT: a JSON array of strings
        ValueCase("type: MULTISELECT, values: [A, B, C]", #"["A","C"]"#, ["A", "C"]),
        ValueCase("type: MULTISELECT, values: [A, B]", "[]", []),
        ValueCase("type: MULTISELECT, values: [A, B], defaults: [B]", nil, ["B"]),
        ValueCase("type: MULTISELECT, allowCustomValue: true, values: [A]", #"["Z"]"#, ["Z"]),
        // DATETIME: Instant.parse, printed as Instant.toString
        ValueCase("type: DATETIME", "2042-04-02T04:20:42.000Z", "2042-04-02T04:20:42Z"),
        ValueCase("type: DATETIME", "2023-12-24T23:00:00.123Z", "2023-12-24T23:00:00.123Z"),
        ValueCase("type: DATETIME", "2023-01-01T01:00:00+01:00", "2023-01-01T00:00:00Z"),
        ValueCase("type: DATETIME", "2023-01-01t00:00:00.5z", "2023-01-01T00:00:00.500Z"),
        ValueCase("type: DATETIME", "2023-12-31T24:00:00Z", "2024-01-01T00:00:00Z"),
        ValueCase("type: DATETIME", "2024-02-29T12:00:00.000001Z", "2024-02-29T12:00:00.000001Z"),
        ValueCase("type: DATETIME, after: '2023-01-01T00:00:00Z'", "2023-01-01T00:00:00Z", "2023-01-01T00:00:00Z"),
        // DATE and TIME
        ValueCase("type: DATE", "2042-12-03", "2042-12-03"),
        ValueCase("type: DATE", "2024-02-29", "2024-02-29"),
        ValueCase("type: DATE, after: '2023-01-01', before: '2023-12-31'", "2023-06-15", "2023-06-15"),
        ValueCase("type: TIME", "10:15:30", "10:15:30"),
        ValueCase("type: TIME", "10:15", "10:15:00"),
        ValueCase("type: TIME", "10:15:30.5", "10:15:30.5"),
        // DURATION: Duration.parse, printed as Duration.toString
        ValueCase("type: DURATION", "PT5M6S", "PT5M6S"),
        ValueCase("type: DURATION", "P1D", "PT24H"),
        ValueCase("type: DURATION", "pt90s", "PT1M30S"),
        ValueCase("type: DURATION", "PT0.5S", "PT0.5S"),
        ValueCase("type: DURATION, min: PT10S, max: PT20S", "PT15S", "PT15S"),
        // FILE: already stored
        ValueCase(
            "type: FILE", file: "kestra:///n/t/executions/e/inputs/x/report.pdf", filename: "report.pdf",
            "kestra:///n/t/executions/e/inputs/x/report.pdf"),
        ValueCase(
            "type: FILE, allowedFileExtensions: [.txt, .pdf]", file: "kestra:///n/t/x/upload.bin", filename: "REPORT.PDF",
            "kestra:///n/t/x/upload.bin"),
        // JSON and YAML
        ValueCase("type: JSON", #"{"a": [1, 2], "b": null}"#, ["a": [1, 2], "b": nil]),
        ValueCase("type: JSON", #"[1, "x", true]"#, [1, "x", true]),
        ValueCase("type: JSON", "42", 42),
        ValueCase("type: YAML", "a: 1\nb: [x, 'y']\nc: 2.5\nd: ~", ["a": 1, "b": ["x", "y"], "c": 2.5, "d": nil]),
        ValueCase("type: YAML", "- 1\n- two\n- true", [1, "two", true]),
        // URI and EMAIL: Kestra's regexes verbatim
        ValueCase("type: URI", "https://hooks.slack.com/services/T0/B0/x", "https://hooks.slack.com/services/T0/B0/x"),
        ValueCase("type: URI", "https://www.example.com/a?b=c&d=e", "https://www.example.com/a?b=c&d=e"),
        ValueCase("type: EMAIL", "ops@example.com", "ops@example.com"),
        ValueCase("type: EMAIL", "first.last+ops@mail.example.org", "first.last+ops@mail.example.org"),
        ValueCase("type: EMAIL", "o’brien@example.org", "o’brien@example.org"),  // the pattern has U+2019, not U+0027
        // ARRAY: each element parsed as itemType
        ValueCase("type: ARRAY, itemType: INT", #"[1, 2, "3"]"#, [1, 2, 3]),
        ValueCase("type: ARRAY, itemType: STRING", #"["a", "b"]"#, ["a", "b"]),
        ValueCase("type: ARRAY, itemType: FLOAT", #"[1.5, "2"]"#, [1.5, 2.0]),
        ValueCase("type: ARRAY, itemType: DATETIME", #"["2023-01-01T00:00:00.000Z"]"#, ["2023-01-01T00:00:00Z"]),
        ValueCase("type: ARRAY, itemType: INT, defaults: [22, 443]", nil, [22, 443]),
        // Optional inputs without a value resolve to null
        ValueCase("type: INT, required: false", nil, nil),
        ValueCase("type: STRING, required: false, prefill: shown-only", nil, nil),  // prefill is UI-only
    ]

    @Test("values are parsed with Kestra's (Java's) rules", arguments: values)
    func parses(_ testCase: ValueCase) throws {
        let resolution = InputFixtures.resolve(testCase.yaml, testCase.submitted.map { ["x": $0] } ?? [:])
        let input = try #require(resolution["x"])
        #expect(input.errors == [])
        #expect(input.enabled)
        #expect(input.value == testCase.expected)
        #expect(resolution.values["x"] == testCase.expected)
        #expect(resolution.isValid)
    }

    static let errors: [ErrorCase] = [
        // Required
        ErrorCase("id: string, type: STRING", nil, "Invalid input for `string`, missing required input, but received `null`"),
        ErrorCase("id: string, type: STRING", "", "Invalid input for `string`, missing required input, but received `null`"),
        ErrorCase("id: req, type: STRING, prefill: p", nil, "Invalid input for `req`, missing required input, but received `null`"),
        ErrorCase("id: flag, type: BOOL", nil, "Invalid input for `flag`, missing required input, but received `null`"),
        // STRING / SECRET validator: full match
        ErrorCase(
            "id: name, type: STRING, validator: '^[a-z]+$'", "Abc",
            "Invalid input for `name`, it must match the pattern `^[a-z]+$`, but received `Abc`"),
        ErrorCase(
            "id: name, type: STRING, validator: '[a-z]+'", "abc1", "Invalid input for `name`, it must match the pattern `[a-z]+`, but received `abc1`"
        ),
        ErrorCase(
            "id: token, type: SECRET, validator: '^[A-Za-z0-9]{6,}$'", "abc",
            "Invalid input for `token`, it must match the pattern `^[A-Za-z0-9]{6,}$`; the value received is a secret and is not shown"),
        // INT
        ErrorCase("id: count, type: INT", "abc", #"Invalid input for `count`, For input string: "abc", but received `abc`"#),
        ErrorCase("id: count, type: INT", "1.5", #"Invalid input for `count`, For input string: "1.5", but received `1.5`"#),
        ErrorCase("id: count, type: INT", "2147483648", #"Invalid input for `count`, For input string: "2147483648", but received `2147483648`"#),
        ErrorCase("id: count, type: INT", " 5", #"Invalid input for `count`, For input string: " 5", but received ` 5`"#),
        ErrorCase(
            "id: validatedInt, type: INT, min: 10, max: 20", "9", "Invalid input for `validatedInt`, it must be more than `10`, but received `9`"),
        ErrorCase(
            "id: validatedInt, type: INT, min: 10, max: 20", "21", "Invalid input for `validatedInt`, it must be less than `20`, but received `21`"),
        ErrorCase(
            "id: validatedInt, type: INT, min: 10, defaults: 9", nil, "Invalid input for `validatedInt`, it must be more than `10`, but received `9`"),
        // FLOAT
        ErrorCase("id: ratio, type: FLOAT", "abc", #"Invalid input for `ratio`, For input string: "abc", but received `abc`"#),
        ErrorCase("id: ratio, type: FLOAT", "1,5", #"Invalid input for `ratio`, For input string: "1,5", but received `1,5`"#),
        ErrorCase("id: ratio, type: FLOAT", "NaNf", #"Invalid input for `ratio`, For input string: "NaNf", but received `NaNf`"#),
        ErrorCase("id: ratio, type: FLOAT", "inf", #"Invalid input for `ratio`, For input string: "inf", but received `inf`"#),
        ErrorCase("id: ratio, type: FLOAT", " ", "Invalid input for `ratio`, empty String, but received ` `"),
        ErrorCase("id: ratio, type: FLOAT, min: 0.5, max: 2", "0.25", "Invalid input for `ratio`, it must be more than `0.5`, but received `0.25`"),
        ErrorCase("id: ratio, type: FLOAT, min: 0.5, max: 2", "2.5", "Invalid input for `ratio`, it must be less than `2.0`, but received `2.5`"),
        // SELECT / ENUM / MULTISELECT
        ErrorCase(
            "id: enum, type: ENUM, values: [ENUM_VALUE, OTHER_ONE]", "INVALID",
            "Invalid input for `enum`, it must match the values `[ENUM_VALUE, OTHER_ONE]`, but received `INVALID`"),
        ErrorCase("id: size, type: SELECT, values: [A, B]", "a", "Invalid input for `size`, it must match the values `[A, B]`, but received `a`"),
        ErrorCase(
            "id: tags, type: MULTISELECT, values: [A, B]", #"["A","C"]"#,
            #"Invalid input for `tags`, it must match the values `[A, B]`, but received `["A","C"]`"#),
        ErrorCase(
            "id: tags, type: MULTISELECT, required: false, values: [A, B]", #"["C"]"#,
            #"Invalid input for `tags`, it must match the values `[A, B]`, but received `["C"]`"#),
        // DATETIME
        ErrorCase(
            "id: validatedDateTime, type: DATETIME, after: '2023-01-01T00:00:00Z', before: '2023-12-31T23:59:59Z'", "2022-01-01T00:00:00Z",
            "Invalid input for `validatedDateTime`, it must be after `2023-01-01T00:00:00Z`, but received `2022-01-01T00:00:00Z`"),
        ErrorCase(
            "id: validatedDateTime, type: DATETIME, after: '2023-01-01T00:00:00Z', before: '2023-12-31T23:59:59Z'", "2024-01-01T01:00:00+01:00",
            "Invalid input for `validatedDateTime`, it must be before `2023-12-31T23:59:59Z`, but received `2024-01-01T01:00:00+01:00`"),
        ErrorCase(
            "id: at, type: DATETIME", "abc",
            "Invalid input for `at`, Expected `DATETIME` but received `abc` with errors:\n```\nText 'abc' could not be parsed at index 0\n```, but received `abc`"
        ),
        ErrorCase(
            "id: at, type: DATETIME", "2023-01-01T10:00Z",
            "Invalid input for `at`, Expected `DATETIME` but received `2023-01-01T10:00Z` with errors:\n```\nText '2023-01-01T10:00Z' could not be parsed at index 16\n```, but received `2023-01-01T10:00Z`"
        ),
        ErrorCase(
            "id: at, type: DATETIME", "2023-01-01 10:00:00Z",
            "Invalid input for `at`, Expected `DATETIME` but received `2023-01-01 10:00:00Z` with errors:\n```\nText '2023-01-01 10:00:00Z' could not be parsed at index 10\n```, but received `2023-01-01 10:00:00Z`"
        ),
        ErrorCase(
            "id: at, type: DATETIME", "2023-13-01T00:00:00Z",
            "Invalid input for `at`, Expected `DATETIME` but received `2023-13-01T00:00:00Z` with errors:\n```\nText '2023-13-01T00:00:00Z' could not be parsed at index 0\n```, but received `2023-13-01T00:00:00Z`"
        ),
        // DATE
        ErrorCase(
            "id: validatedDate, type: DATE, after: '2023-01-01', before: '2023-12-31'", "2022-01-01",
            "Invalid input for `validatedDate`, it must be after `2023-01-01`, but received `2022-01-01`"),
        ErrorCase(
            "id: validatedDate, type: DATE, after: '2023-01-01', before: '2023-12-31'", "2024-01-01",
            "Invalid input for `validatedDate`, it must be before `2023-12-31`, but received `2024-01-01`"),
        ErrorCase(
            "id: day, type: DATE", "2023-13-01",
            "Invalid input for `day`, Expected `DATE` but received `2023-13-01` with errors:\n```\nText '2023-13-01' could not be parsed: Invalid value for MonthOfYear (valid values 1 - 12): 13\n```, but received `2023-13-01`"
        ),
        ErrorCase(
            "id: day, type: DATE", "2023-02-30",
            "Invalid input for `day`, Expected `DATE` but received `2023-02-30` with errors:\n```\nText '2023-02-30' could not be parsed: Invalid date 'FEBRUARY 30'\n```, but received `2023-02-30`"
        ),
        ErrorCase(
            "id: day, type: DATE", "2023-02-29",
            "Invalid input for `day`, Expected `DATE` but received `2023-02-29` with errors:\n```\nText '2023-02-29' could not be parsed: Invalid date 'February 29' as '2023' is not a leap year\n```, but received `2023-02-29`"
        ),
        ErrorCase(
            "id: day, type: DATE", "2023-1-01",
            "Invalid input for `day`, Expected `DATE` but received `2023-1-01` with errors:\n```\nText '2023-1-01' could not be parsed at index 5\n```, but received `2023-1-01`"
        ),
        ErrorCase(
            "id: day, type: DATE", "2023-01-01x",
            "Invalid input for `day`, Expected `DATE` but received `2023-01-01x` with errors:\n```\nText '2023-01-01x' could not be parsed, unparsed text found at index 10\n```, but received `2023-01-01x`"
        ),
        // TIME: bounds print as LocalTime.toString (seconds only when not zero)
        ErrorCase(
            "id: at, type: TIME, after: '08:00:00', before: '17:30:15'", "07:59:59",
            "Invalid input for `at`, it must be after `08:00`, but received `07:59:59`"),
        ErrorCase(
            "id: at, type: TIME, after: '08:00:00', before: '17:30:15'", "17:31",
            "Invalid input for `at`, it must be before `17:30:15`, but received `17:31`"),
        ErrorCase(
            "id: at, type: TIME", "25:00",
            "Invalid input for `at`, Expected `TIME` but received `25:00` with errors:\n```\nText '25:00' could not be parsed: Invalid value for HourOfDay (valid values 0 - 23): 25\n```, but received `25:00`"
        ),
        // DURATION: capitalised messages
        ErrorCase(
            "id: validatedDuration, type: DURATION, min: PT10S, max: PT20S", "PT30S",
            "Invalid input for `validatedDuration`, It must be less than `PT20S`, but received `PT30S`"),
        ErrorCase(
            "id: validatedDuration, type: DURATION, min: PT10S, max: PT20S", "PT5S",
            "Invalid input for `validatedDuration`, It must be more than `PT10S`, but received `PT5S`"),
        ErrorCase(
            "id: ttl, type: DURATION", "5 minutes",
            "Invalid input for `ttl`, Expected `DURATION` but received `5 minutes` with errors:\n```\nText cannot be parsed to a Duration\n```, but received `5 minutes`"
        ),
        // URI (the doubled quirk) and EMAIL
        ErrorCase("id: uri, type: URI", "http:/bla", "Invalid input for `uri`, Expected `URI` but received `http:/bla`, but received `http:/bla`"),
        ErrorCase(
            "id: uri, type: URI", "http://localhost:8080",
            "Invalid input for `uri`, Expected `URI` but received `http://localhost:8080`, but received `http://localhost:8080`"),
        ErrorCase("id: uri, type: URI", "s3://b.c/k", "Invalid input for `uri`, Expected `URI` but received `s3://b.c/k`, but received `s3://b.c/k`"),
        ErrorCase(
            "id: email, type: EMAIL", "not-an-email", "Invalid input for `email`, The input must be a valid email, but received `not-an-email`"),
        ErrorCase(
            "id: email, type: EMAIL", "o'brien@example.org",
            "Invalid input for `email`, The input must be a valid email, but received `o'brien@example.org`"),
        ErrorCase("id: email, type: EMAIL", "a@b c", "Invalid input for `email`, The input must be a valid email, but received `a@b c`"),
        // ARRAY
        ErrorCase(
            "id: array, type: ARRAY, itemType: INT", #"["s1", "s2"]"#,
            #"Invalid input for `array`, Unable to parse array element as `INT` on `s1`, but received `["s1", "s2"]`"#),
        ErrorCase(
            "id: array, type: ARRAY, itemType: DATE", #"["2023-01-01", "soon"]"#,
            #"Invalid input for `array`, Unable to parse array element as `DATE` on `soon`, but received `["2023-01-01", "soon"]`"#),
        // FILE
        ErrorCase(
            "id: doc, type: FILE, allowedFileExtensions: [.txt, .pdf]", file: "kestra:///n/t/e/inputs/doc/photo.png", filename: "photo.PNG",
            "Invalid input for `doc`, File type not allowed. Accepted extensions: .txt, .pdf, but received `kestra:///n/t/e/inputs/doc/photo.png`"),
        ErrorCase(
            "id: doc, type: FILE, allowedFileExtensions: [.txt]", file: "kestra:///n/t/e/inputs/doc/README", filename: "README",
            "Invalid input for `doc`, File type not allowed. Accepted extensions: .txt, but received `kestra:///n/t/e/inputs/doc/README`"),
        ErrorCase(
            "id: doc, type: FILE", "/tmp/a.txt",
            "Invalid input for `doc`, it must be the `kestra://` URI of an uploaded file, but received `/tmp/a.txt`"),
    ]

    @Test("invalid values fail with Kestra's exact message", arguments: errors)
    func fails(_ testCase: ErrorCase) throws {
        let resolution = InputFixtures.resolve("  - {\(testCase.declaration)}", testCase.submitted.map { [testCase.id: $0] } ?? [:])
        let input = try #require(resolution[testCase.id])
        #expect(input.errors == [testCase.message])
        #expect(input.value == nil)
        #expect(resolution.values[testCase.id] == nil)
        #expect(!resolution.isValid)
        #expect(resolution.firstError == testCase.message)
    }

    /// Parser errors whose cause text is ours rather than Jackson's: only the Kestra frame is asserted.
    @Test(
        "unparseable JSON, YAML and lists keep Kestra's frame",
        arguments: [
            ("type: JSON", "{a", "Expected `JSON` but received `{a` with errors:\n```\n"),
            ("type: YAML", "a: [", "Expected `YAML` but received `a: [` with errors:\n```\n"),
            ("type: ARRAY, itemType: INT", "nope", "Expected `ARRAY` but received `nope` with errors:\n```\n"),
            ("type: MULTISELECT, values: [A]", "A", "Expected `MULTISELECT` but received `A` with errors:\n```\n"),
            ("type: ARRAY, itemType: INT", #"{"a": 1}"#, "Expected `ARRAY` but received `{\"a\": 1}` with errors:\n```\n"),
        ]
    )
    func unparseable(declaration: String, submitted: String, detailPrefix: String) throws {
        let resolution = InputFixtures.resolve("  - {id: x, \(declaration)}", ["x": .text(submitted)])
        let error = try #require(resolution["x"]?.errors.first)
        #expect(error.hasPrefix("Invalid input for `x`, " + detailPrefix))
        #expect(error.hasSuffix("\n```, but received `\(submitted)`"))
    }
}
