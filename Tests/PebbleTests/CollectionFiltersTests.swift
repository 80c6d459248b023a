import Testing

@testable import Pebble

@Suite struct CollectionFiltersTests {
    static let names: PebbleValue = ["Alex", "Joe", "Bob", "Sarah", "Mary", "Marge"]
    static let words: PebbleValue = ["zebra", "apple", " cat", "123", "Apple", "cat"]

    @Test(arguments: [
        // Pebble testLengthFilterInputs: 0 for null and for anything that is not text or a collection.
        FilterCall("length", nil, gives: 0),
        FilterCall("length", "test", gives: 4),
        FilterCall("length", [], gives: 0),
        FilterCall("length", ["tttt", "ssss"], gives: 2),
        FilterCall("length", ["test": "test", "other": "other", "and_other": "other"], gives: 3),
        FilterCall("length", 12345, gives: 0),
        FilterCall("length", "e\u{301}👍", gives: 3),
        // testFirst*, testLast*.
        FilterCall("first", ["Alex", "Joe", "Bob"], gives: "Alex"),
        FilterCall("first", "Alex", gives: "A"),
        FilterCall("first", [], gives: nil),
        FilterCall("first", nil, gives: nil),
        FilterCall("first", "", fails: "`first` cannot take a character of an empty string"),
        FilterCall("first", ["a": 1], fails: "`first` expects a list or a string, but got map"),
        FilterCall("last", ["Alex", "Joe", "Bob"], gives: "Bob"),
        FilterCall("last", "Alex", gives: "x"),
        FilterCall("last", nil, gives: nil),
    ])
    func sizeAndEnds(_ call: FilterCall) { call.check(in: CollectionFilters.all) }

    @Test(arguments: [
        // testJoin*: Java's StringBuilder prints doubles with a fraction, nested values as `[a, b]` and `{k=v}`.
        FilterCall("join", ["Alex", "Joe", "Bob"], [","], gives: "Alex,Joe,Bob"),
        FilterCall("join", ["Alex", "Joe", "Bob"], gives: "AlexJoeBob"),
        FilterCall("join", [1, 2, 3], [","], gives: "1,2,3"),
        FilterCall("join", [1.0, 2.5, 3.0], [","], gives: "1.0,2.5,3.0"),
        FilterCall("join", [nil, [1, 2], ["a": 1]], ["|"], gives: "null|[1, 2]|{a=1}"),
        FilterCall("join", [], [","], gives: ""),
        FilterCall("join", nil, [","], gives: nil),
        FilterCall("join", "abc", [","], fails: "`join` expects a list, but got string"),
        // testSortFilter / testRsortFilter / testReverseFilter; strings order by UTF-16 code units.
        FilterCall("sort", words, gives: [" cat", "123", "Apple", "apple", "cat", "zebra"]),
        FilterCall("sort", ["éclair", "Zulu", "apple"], gives: ["Zulu", "apple", "éclair"]),
        FilterCall("sort", [3, 1.5, 2], gives: [1.5, 2, 3]),
        FilterCall("sort", [true, false], gives: [false, true]),
        FilterCall("sort", ["a", 1], fails: "`sort` can only order strings, numbers or booleans of one kind, but the list holds string and integer"),
        FilterCall("rsort", [nil, nil], fails: "`rsort` can only order strings, numbers or booleans of one kind, but the list holds null and null"),
        FilterCall("sort", [["a": 1]], gives: [["a": 1]]),
        FilterCall("sort", "cba", fails: "`sort` expects a list, but got string"),
        FilterCall("rsort", words, gives: ["zebra", "cat", "apple", "Apple", "123", " cat"]),
        FilterCall("reverse", ["one", "two", "three"], gives: ["three", "two", "one"]),
        FilterCall("reverse", "abc", fails: "`reverse` expects a list, but got string"),
    ])
    func joinAndOrder(_ call: FilterCall) { call.check(in: CollectionFilters.all) }

    @Test(arguments: [
        // testSlice*: no clamping, toIndex past the end or not after fromIndex is an error.
        FilterCall("slice", nil, gives: nil),
        FilterCall("slice", "Alex", gives: "Alex"),
        FilterCall("slice", "abcdefghijklmnopqrstuvwxyz", [2, 4], gives: "cd"),
        FilterCall("slice", "Alexander", [2, 5], gives: "exa"),
        FilterCall("slice", names, [2, 5], gives: ["Bob", "Sarah", "Mary"]),
        FilterCall("slice", names, named: ["fromIndex": 4], gives: ["Mary", "Marge"]),
        FilterCall("slice", "Alex", [-1], fails: "`slice` expects a `fromIndex` of 0 or more, but got -1"),
        FilterCall("slice", "Alex", [0, -1], fails: "`slice` expects a `toIndex` greater than `fromIndex` 0, but got -1"),
        FilterCall("slice", "Alex", [0, 1000], fails: "`slice` expects a `toIndex` of at most 4, but got 1000"),
        FilterCall("slice", "Alex", [2, 2], fails: "`slice` expects a `toIndex` greater than `fromIndex` 2, but got 2"),
        FilterCall("slice", 1, [2, 5], fails: "`slice` expects a list or a string, but got integer"),
        FilterCall("slice", "Alex", ["1"], fails: "the `fromIndex` argument of `slice` must be a number, but got string"),
    ])
    func slice(_ call: FilterCall) { call.check(in: CollectionFilters.all) }

    @Test(arguments: [
        // testMergeOk / testMerge*Fail: the input's kind decides the result.
        FilterCall("merge", ["one": 1], [["two": 2]], gives: ["one": 1, "two": 2]),
        FilterCall("merge", ["one": 1, "two": 0], [["two": 2]], gives: ["one": 1, "two": 2]),
        FilterCall("merge", ["one": 1], [["two"]], gives: ["one": 1, "two": "two"]),
        FilterCall("merge", [1], [[2]], gives: [1, 2]),
        FilterCall("merge", [1], [["two": 2]], gives: [1, ["key": "two", "value": 2]]),
        FilterCall("merge", nil, [[1]], gives: [1]),
        FilterCall("merge", [1], gives: [1]),
        FilterCall("merge", ["one": 1], ["No way!"], fails: "`merge` expects a list or a map to merge, but got string"),
        FilterCall("merge", [1], ["No way!"], fails: "`merge` expects a list or a map to merge, but got string"),
        FilterCall("merge", nil, [nil], fails: "`merge` needs something to merge: both the input and the items are null"),
        // Kestra KeysFilterTest / ValuesFilterTest.
        FilterCall("keys", ["string", 1, 1.123], gives: [0, 1, 2]),
        FilterCall("keys", ["b": 1, "a": 2], gives: ["b", "a"]),
        FilterCall("keys", "abc", fails: "`keys` expects a map or a list, but got string"),
        FilterCall("values", ["string": "string", "int": 1, "float": 1.123], gives: ["string", 1, 1.123]),
        FilterCall("values", [1], fails: "`values` expects a map, but got list"),
    ])
    func mergeKeysValues(_ call: FilterCall) { call.check(in: CollectionFilters.all) }

    @Test(arguments: [
        // Kestra ChunkFilterTest, FlattenFilterTest, DistinctFilterTest.
        FilterCall("chunk", [1, 2, 3, 4, 5, 6, 7, 8, 9], [2], gives: [[1, 2], [3, 4], [5, 6], [7, 8], [9]]),
        FilterCall("chunk", [], [3], gives: []),
        FilterCall("chunk", 1, [2], fails: "`chunk` expects a list, but got integer"),
        FilterCall("chunk", [1], [0], fails: "`chunk` expects a `size` of 1 or more, but got 0"),
        FilterCall("flatten", ["a", ["b", "c"], "d", [["e"]]], gives: ["a", "b", "c", "d", ["e"]]),
        FilterCall("flatten", "a", fails: "`flatten` expects a list, but got string"),
        FilterCall(
            "distinct",
            ["one", "two", "one", "three", "four", "five", "three", 1, 2, 3, 1, 2, 2, 1.123, 2.123, 1.123, 10.0, 10.0],
            gives: ["one", "two", "three", "four", "five", 1, 2, 3, 1.123, 2.123, 10.0]
        ),
        FilterCall("distinct", [1, 1.0], gives: [1, 1.0]),
        FilterCall("distinct", [], gives: []),
        FilterCall("distinct", nil, gives: "null"),
        FilterCall("distinct", "string", fails: "`distinct` expects a list, but got string"),
        FilterCall("distinct", ["key": "value"], fails: "`distinct` expects a list, but got map"),
        // testAbs / testAbsDouble.
        FilterCall("abs", -5, gives: 5),
        FilterCall("abs", -5.2, gives: 5.2),
        FilterCall("abs", nil, fails: "`abs` expects a number, but got null"),
        FilterCall("abs", "-5", fails: "`abs` expects a number, but got string"),
        FilterCall("abs", .int(.min), fails: "`abs` of -9223372036854775808 does not fit in a 64-bit integer"),
    ])
    func reshapingAndNumbers(_ call: FilterCall) { call.check(in: CollectionFilters.all) }

    @Test(arguments: [
        // Kestra ToJsonFilterTest; JacksonMapper's NON_NULL drops null map entries unless includeNulls=true.
        FilterCall("toJson", "string", gives: "\"string\""),
        FilterCall("toJson", 1, gives: "1"),
        FilterCall("toJson", 1.123, gives: "1.123"),
        FilterCall("toJson", ["string", 1, 1.123], gives: "[\"string\",1,1.123]"),
        FilterCall("toJson", true, gives: "true"),
        FilterCall("toJson", ["empty_object": [:]], gives: "{\"empty_object\":{}}"),
        FilterCall("toJson", nil, gives: "null"),
        FilterCall("toJson", ["a": nil, "b": 1, "c": [nil, ["d": nil]]], gives: "{\"b\":1,\"c\":[null,{}]}"),
        FilterCall("toJson", ["a": nil, "b": 1], named: ["includeNulls": true], gives: "{\"a\":null,\"b\":1}"),
        FilterCall("json", "string", gives: "\"string\""),
        FilterCall("json", ["a": nil, "b": "x"], gives: "{\"b\":\"x\"}"),
    ])
    func json(_ call: FilterCall) { call.check(in: CollectionFilters.all) }

    @Test(arguments: [
        // Kestra YamlFilterTest (Jackson 3 YAML mapper with MINIMIZE_QUOTES and INDENT_ARRAYS).
        FilterCall("yaml", "string", gives: "string\n"),
        FilterCall("yaml", 1, gives: "1\n"),
        FilterCall("yaml", 1.123, gives: "1.123\n"),
        FilterCall("yaml", ["string", 1, 1.123], gives: " - string\n - 1\n - 1.123\n"),
        FilterCall("yaml", true, gives: "true\n"),
        FilterCall("yaml", ["string": "string", "int": 1, "float": 1.123], gives: "string: string\nint: 1\nfloat: 1.123\n"),
        FilterCall("yaml", nil, gives: "null"),
        // jackson-dataformats-text GeneratorWithMinimizeTest: reserved words, flow characters, numbers-like keys.
        FilterCall("yaml", ["key": "true"], gives: "key: \"true\"\n"),
        FilterCall("yaml", ["key": "nuLL"], gives: "key: nuLL\n"),
        FilterCall("yaml", ["key": "~"], gives: "key: \"~\"\n"),
        FilterCall("yaml", ["key": "a:b"], gives: "key: a:b\n"),
        FilterCall("yaml", ["key": "a# b"], gives: "key: a# b\n"),
        FilterCall("yaml", ["key": "a,b"], gives: "key: \"a,b\"\n"),
        FilterCall("yaml", ["key": "#a"], gives: "key: \"#a\"\n"),
        FilterCall("yaml", ["key": ""], gives: "key: \"\"\n"),
        FilterCall("yaml", ["key": "20"], gives: "key: 20\n"),
        FilterCall("yaml", ["42": "answer"], gives: "\"42\": answer\n"),
        FilterCall("yaml", ["key": "first\nsecond\nthird"], gives: "key: |-\n  first\n  second\n  third\n"),
        FilterCall("yaml", ["key": "first\nsecond: third"], gives: "key: |-\n  first\n  second: third\n"),
        // SnakeYAML's emitter: indicators force single quotes, tabs force double quotes, kept final line breaks.
        FilterCall("yaml", ["key": "- item"], gives: "key: '- item'\n"),
        FilterCall("yaml", ["key": "it's: ok"], gives: "key: \"it's: ok\"\n"),
        FilterCall("yaml", ["key": "- it's"], gives: "key: '- it''s'\n"),
        FilterCall("yaml", ["true": 1, "- k": "v"], gives: "\"true\": 1\n\"- k\": v\n"),
        FilterCall("yaml", ["key": "a\tb"], gives: "key: \"a\\tb\"\n"),
        FilterCall("yaml", ["key": "a\nb\n"], gives: "key: |\n  a\n  b\n"),
        FilterCall("yaml", ["key": "a\n\nb"], gives: "key: |-\n  a\n\n  b\n"),
        FilterCall("yaml", "a\nb", gives: "|-\n  a\n  b\n"),
        // Layout with INDENT_ARRAYS (indicator indent 1, indent 2), as in jackson-dataformats-text issue #34.
        FilterCall("yaml", ["tags": [["name": "test", "description": "Testing."]]], gives: "tags:\n -\n  name: test\n  description: Testing.\n"),
        FilterCall("yaml", ["list": ["a", "b"], "n": nil], gives: "list:\n - a\n - b\n\"n\": null\n"),
        FilterCall("yaml", ["a": ["b": ["c": 1]]], gives: "a:\n  b:\n    c: 1\n"),
        FilterCall("yaml", [[1, 2]], gives: " -\n   - 1\n   - 2\n"),
        FilterCall("yaml", ["list": [], "map": [:]], gives: "list: []\nmap: {}\n"),
        FilterCall("yaml", [], gives: "[]\n"),
    ])
    func yaml(_ call: FilterCall) { call.check(in: CollectionFilters.all) }
}
