import Foundation
import Testing

@testable import Pebble

private let people: PebbleValue = [
    "a": ["b": 1],
    "c": [1, 2, 3],
    "people": [
        ["name": "Alice", "age": 30, "city": "Paris"],
        ["name": "Bob", "age": 25, "city": "Rome"],
        ["name": "Carol", "age": 41, "city": "Paris"],
    ],
]

private func jq(_ input: PebbleValue, _ program: String, gives expected: PebbleValue) -> FilterCall {
    FilterCall("jq", input, [.string(program)], gives: expected)
}

private func jq(_ input: PebbleValue, _ program: String, fails message: String, kind: PebbleError.Kind = .evaluation) -> FilterCall {
    FilterCall("jq", input, [.string(program)], fails: message, kind: kind)
}

@Suite struct JqFilterTests {
    @Test(arguments: [
        // Kestra JqFilterTest.fromString, simple, map, list, typed, object: the result is always the list of outputs.
        jq([1, 2, 3], ".[0]", gives: [1]),
        jq(["test": [1, 2, 3]], ".test[0]", gives: [1]),
        jq(["second": ["third": "awesome"]], ".second.third", gives: ["awesome"]),
        jq(["second": ["string": "string", "int": 1, "float": 1.123, "bool": true]], ".second.string", gives: ["string"]),
        jq(["second": ["string": "string", "int": 1, "float": 1.123, "bool": true]], ".second.int", gives: [1]),
        jq(["second": ["string": "string", "int": 1, "float": 1.123, "bool": true]], ".second.float", gives: [1.123]),
        jq(["second": ["list": ["string", 1, 1.123]]], ".second.list", gives: [["string", 1, 1.123]]),
        jq(["second": ["string": "string", "int": 1, "float": 1.123, "bool": true]], ".second.bool", gives: [true]),
        jq(["second": ["map": ["string": "string", "int": 1]]], ".second.map", gives: [["string": "string", "int": 1]]),
        jq(["second": [1, 2, 3]], ".second[]", gives: [1, 2, 3]),
        jq(["null": nil], ".null", gives: [nil]),
        jq(["object": ["key": "value"], "array": ["arrayValue"]], ".object", gives: [["key": "value"]]),
        jq(["object": ["key": "value"], "array": ["arrayValue"]], ".array", gives: [["arrayValue"]]),
        // A string input is read as JSON (Jackson readTree), keeping key order and integer/decimal numbers.
        jq("{\"b\": 1.5, \"a\": [1, 2]}", ".", gives: [["b": 1.5, "a": [1, 2]]]),
        jq("[3, 4]", ".[1]", gives: [4]),
        FilterCall("jq", nil, [".a"], gives: nil),
    ])
    func kestraExamples(_ call: FilterCall) { call.check(in: [JqFilter.filter]) }

    // Expected values from jq 1.6 (the language version Kestra's jackson-jq runs).
    @Test(arguments: [
        jq(people, ".a.b", gives: [1]),
        jq(people, ".\"a\"", gives: [["b": 1]]),
        jq(people, ".[\"a\"]", gives: [["b": 1]]),
        jq(people, ".c[-1]", gives: [3]),
        jq(people, ".c[5]", gives: [nil]),
        jq(people, ".c[1:]", gives: [[2, 3]]),
        jq(people, ".x.y", gives: [nil]),
        jq(people, ".c[0], .c[1]", gives: [1, 2]),
        jq(people, ".people[] | select(.age > 30) | .name", gives: ["Carol"]),
        jq(people, ".people | map(.name)", gives: [["Alice", "Bob", "Carol"]]),
        jq(people, ".people | map(select(.city == \"Paris\" and .age < 40)) | map(.name)", gives: [["Alice"]]),
        jq(people, "[.people[] | select(.city != \"Paris\" or .age > 40) | .name]", gives: [["Bob", "Carol"]]),
        jq(people, "[.c[] | . > 1 | not]", gives: [[true, false, false]]),
        jq(
            people, "[.c[] | . == 2, . != 2, . <= 1, . >= 3]",
            gives: [[false, true, true, false, true, false, false, false, false, true, false, true]]),
        jq(people, "(.c | length), (.c | first), (.c | last)", gives: [3, 1, 3]),
        jq(people, ".a | keys, length", gives: [["b"], 1]),
        jq(people, "keys", gives: [["a", "c", "people"]]),
        jq(people, ".people | sort_by(.age) | map(.name)", gives: [["Bob", "Alice", "Carol"]]),
        jq(
            people, ".people | group_by(.city) | map({city: .[0].city, count: length})",
            gives: [[["city": "Paris", "count": 2], ["city": "Rome", "count": 1]]]),
        jq(people, ".c | add / length", gives: [2]),
        jq(people, "[.c[] | . * 1.5]", gives: [[1.5, 3, 4.5]]),
        jq(people, "1, \"two\", [3], {\"four\": 4}, null, true", gives: [1, "two", [3], ["four": 4], nil, true]),
        jq(people, ".missing // \"default\"", gives: ["default"]),
        jq(people, "if .a.b == 1 then \"one\" elif .a then \"some\" else \"none\" end", gives: ["one"]),
        jq(people, "reduce .c[] as $x (0; . + $x)", gives: [6]),
        jq(people, ".c as [$first, $second] | $first + $second", gives: [3]),
        jq(people, "\"\\(.people[0].name) is \\(.people[0].age)\"", gives: ["Alice is 30"]),
        jq(people, "[.c[] | tostring] | join(\"-\")", gives: ["1-2-3"]),
        jq(people, "try error(\"boom\") catch .", gives: ["boom"]),
        jq(people, "[.c[] | try (if . == 2 then error(\"x\") else . end) catch \"caught\"]", gives: [[1, "caught", 3]]),
        jq(people, ".a.b += 10 | .a", gives: [["b": 11]]),
        jq(people, "del(.people, .c)", gives: [["a": ["b": 1]]]),
        jq(people, "[paths] | length", gives: [19]),
        jq(people, ".a | to_entries", gives: [[["key": "b", "value": 1]]]),
        jq(people, ".a | with_entries(.value += 1)", gives: [["b": 2]]),
        jq(people, "[limit(2; .c[])], first(.c[]), isempty(empty)", gives: [[1, 2], 1, true]),
        jq(people, "[range(0; 10; 3)]", gives: [[0, 3, 6, 9]]),
        jq(people, ".people[0].name | test(\"^al\"; \"i\"), ascii_upcase, @base64", gives: [true, "ALICE", "QWxpY2U="]),
        jq(people, ".c | @csv", gives: ["1,2,3"]),
        jq(people, "[.[] | type]", gives: [["object", "array", "array"]]),
        jq(people, "{(.people[1].name): .people[1].age}", gives: [["Bob": 25]]),
        jq(people, "{a: (1, 2)}", gives: [["a": 1], ["a": 2]]),
        jq(people, "\"\\(1, 2)-\\(3, 4)\"", gives: ["1-3", "2-3", "1-4", "2-4"]),
        jq(people, "(1, 2) + (10, 20)", gives: [11, 12, 21, 22]),
        jq(people, "[..] | length", gives: [20]),
        // jackson-jq, unlike the jq 1.6 binary: limit(0) is empty and walk rebuilds objects in key order.
        jq(people, "[limit(0; .c[])]", gives: [[]]),
        jq(["b": 1, "a": 2], "walk(.)", gives: [["a": 2, "b": 1]]),
    ])
    func language(_ call: FilterCall) { call.check(in: [JqFilter.filter]) }

    @Test(arguments: [
        jq(people, ".a.b.c", fails: "jq: Cannot index number with string \"c\" (at position 5 of `.a.b.c`)"),
        jq(people, ".[", fails: "jq: syntax error: unexpected end of the program (at position 3 of `.[`)"),
        jq(people, ".a | foo", fails: "jq: foo/0 is not defined (at position 6 of `.a | foo`)"),
        jq(people, "if . then 1", fails: "jq: syntax error: unexpected end of the program, expected 'end' (at position 12 of `if . then 1`)"),
        jq(people, ".c[] | .[]", fails: "jq: Cannot iterate over number (1) (at position 9 of `.c[] | .[]`)"),
        jq(people, "{} - 1", fails: "jq: object ({}) and number (1) cannot be subtracted (at position 4 of `{} - 1`)"),
        jq(people, "1 / 0", fails: "jq: number (1) and number (0) cannot be divided because the divisor is zero (at position 3 of `1 / 0`)"),
        jq(people, "true | length", fails: "jq: boolean (true) has no length (at position 8 of `true | length`)"),
        jq(people, "error({\"code\": 1})", fails: "jq: {\"code\":1} (not a string) (at position 1 of `error({\"code\": 1})`)"),
        jq(people, "\"abc", fails: "jq: unterminated string (at position 1 of `\"abc`)"),
        jq(people, "def f: 1; f", fails: "jq: function definitions (def) are not supported (at position 1 of `def f: 1; f`)"),
        jq(people, "env", fails: "jq: env/0 is not available in Kestra's jq (at position 1 of `env`)"),
        jq("not json", ".", fails: "jq: the input string is not valid JSON (invalid JSON at character 2: expected `null`)"),
        jq("", ".", fails: "jq: the input is an empty string, but a JSON text or a value was expected"),
        FilterCall("jq", people, fails: "The 'jq' filter expects an argument 'expression', for example jq('.items[].name')"),
        FilterCall("jq", people, [1], fails: "the `expression` argument of `jq` must be a string, but got integer"),
    ])
    func errors(_ call: FilterCall) { call.check(in: [JqFilter.filter]) }

    @Test(arguments: [
        jq(1, "[range(1e9)] | length", fails: "jq: a generator produced more than 1000000 values", kind: .limit),
        jq(1, "until(false; .)", fails: "jq: the program ran too long (more than 2000000 steps)", kind: .limit),
        jq(1, "\"a\" * 1e9", fails: "jq: a string grew beyond 10000000 bytes", kind: .limit),
        jq(1, "reduce range(1000) as $x (null; [.])", fails: "jq: a value is nested more than 256 levels deep", kind: .limit),
        jq(1, String(repeating: "[.,.]|", count: 21) + ".", fails: "jq: the result is too large (more than 1000000 values)", kind: .limit),
        jq(1, "[recurse(.)]", fails: "jq: the program nests or recurses too deeply (more than 200 levels)", kind: .limit),
        jq(1, "first(range(1e9))", gives: [0]),
    ])
    func limits(_ call: FilterCall) { call.check(in: [JqFilter.filter]) }

    /// Deep programs fail with an error even on a small stack (no crash), whatever the build's frame sizes.
    @Test func deepProgramsOnASmallStackFail() throws {
        let nested = String(repeating: "(", count: 500) + "." + String(repeating: ")", count: 500)
        let outcome = OutcomeBox()
        let thread = Thread {
            for program in [nested, "[recurse(.)]", String(repeating: "[", count: 500) + "1" + String(repeating: "]", count: 500)] {
                do {
                    _ = try JqFilter.run(program, on: 1)
                    outcome.append("no error for a program of \(program.count) characters")
                } catch {
                    outcome.append(nil)
                }
            }
            outcome.finish()
        }
        thread.stackSize = 256 * 1024
        thread.start()
        outcome.wait()
        #expect(outcome.results == [nil, nil, nil])
    }
}

/// Collects what the small-stack thread saw.
private final class OutcomeBox: @unchecked Sendable {
    private let lock = NSLock()
    private let done = DispatchSemaphore(value: 0)
    private var collected: [String?] = []

    func append(_ value: String?) { lock.withLock { collected.append(value) } }
    func finish() { done.signal() }
    func wait() { done.wait() }
    var results: [String?] { lock.withLock { collected } }
}
