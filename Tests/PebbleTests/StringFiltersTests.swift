import Testing

@testable import Pebble

@Suite struct StringFiltersTests {
    @Test(arguments: [
        // Pebble CoreFiltersTest.testUpper / testLower; Java's full case mappings (ß → SS) and final sigma.
        FilterCall("upper", "template", gives: "TEMPLATE"),
        FilterCall("upper", "straße", gives: "STRASSE"),
        FilterCall("upper", 12, gives: "12"),
        FilterCall("upper", nil, gives: nil),
        FilterCall("upper", ["a"], fails: "`upper` expects a string, but got list"),
        FilterCall("lower", "TEMPLATE", gives: "template"),
        FilterCall("lower", "ΟΔΟΣ", gives: "οδος"),
        FilterCall("lower", true, gives: "true"),
        // testTitle, testTitleWithLeadingWhitespace, testCapitalize*.
        FilterCall("title", "test test", gives: "Test Test"),
        FilterCall("title", "TEST TEST", gives: "TEST TEST"),
        FilterCall("title", " \ntest", gives: " \nTest"),
        FilterCall("title", 5, fails: "`title` expects a string, but got integer"),
        FilterCall("capitalize", "this should be capitalized.", gives: "This should be capitalized."),
        FilterCall("capitalize", " \nthis should be capitalized.", gives: " \nThis should be capitalized."),
        FilterCall("capitalize", "", gives: ""),
        FilterCall("capitalize", "ǆemal", gives: "ǅemal"),
        // testTrim; Java's trim() strips control characters too but keeps U+00A0.
        FilterCall("trim", "        \t\tThis should be trimmed. \t\t", gives: "This should be trimmed."),
        FilterCall("trim", "  \t\u{01} hi \u{A0} \n", gives: "hi \u{A0}"),
        FilterCall("trim", nil, gives: nil),
    ])
    func caseAndWhitespace(_ call: FilterCall) { call.check(in: StringFilters.all) }

    @Test(arguments: [
        // testAbbreviate*, and AbbreviateFilter's branches.
        FilterCall("abbreviate", "This is a test of the abbreviate filter", [16], gives: "This is a tes..."),
        FilterCall("abbreviate", "This is a test of the abbreviate filter", named: ["length": 16], gives: "This is a tes..."),
        FilterCall("abbreviate", "1234567", [2], gives: "12"),
        FilterCall("abbreviate", "abcdef", [6], gives: "abc..."),
        FilterCall("abbreviate", "abc", [2], gives: "abc"),
        FilterCall("abbreviate", "short", [10], gives: "short"),
        FilterCall("abbreviate", nil, [16], gives: nil),
        FilterCall("abbreviate", "text", [-1], fails: "`abbreviate` expects a `length` of 0 or more, but got -1"),
    ])
    func abbreviate(_ call: FilterCall) { call.check(in: StringFilters.all) }

    @Test(arguments: [
        // Kestra ReplaceFilterTest.string / regexp, Pebble testReplaceFilterInTemplate.
        FilterCall("replace", "john doe is john doe", [["john": "jane"]], gives: "jane doe is jane doe"),
        FilterCall("replace", "aa1bb2cc3dd4ee5", [["(\\d)": "-$1-"]], named: ["regexp": true], gives: "aa-1-bb-2-cc-3-dd-4-ee-5-"),
        FilterCall("replace", "I like %this% and %that%.", [["%this%": "foo", "%that%": "bar"]], gives: "I like foo and bar."),
        FilterCall("replace", "a.b", [[".": "-"]], gives: "a-b"),
        FilterCall("replace", "abc", [["": "-"]], gives: "-a-b-c-"),
        FilterCall("replace", ["a-b", 1, ["k": "x-y"]], [["-": "+"]], gives: ["a+b", "1", ["k": "x+y"]]),
        FilterCall("replace", nil, [["a": "b"]], gives: nil),
        FilterCall("replace", "abc", fails: "`replace` needs a map of replacements, for example replace({'old': 'new'})"),
        FilterCall("replace", "abc", ["a"], fails: "`replace` expects a map of replacements, but got string"),
        // Kestra's Slugify and SlugifyFilterTest.
        FilterCall("slugify", "Test\t\t\ntest*", gives: "test-test"),
        FilterCall("slugify", "Héllo Wörld -- Ça_va ?", gives: "hello-world-ca-va"),
        FilterCall("slugify", "__My Flow__ ID__", gives: "my-flow-id"),
        FilterCall("slugify", "日本語 text", gives: "text"),
    ])
    func replaceAndSlugify(_ call: FilterCall) { call.check(in: StringFilters.all) }

    @Test(arguments: [
        // Kestra SubstringFilterTest, then StringUtils edge cases (checked against commons-lang3).
        FilterCall("substringBefore", "a.b.c", ["."], gives: "a"),
        FilterCall("substringAfter", "a.b.c", named: ["separator": "."], gives: "b.c"),
        FilterCall("substringBeforeLast", "a.b.c", named: ["separator": "."], gives: "a.b"),
        FilterCall("substringAfterLast", "a.b.c", ["."], gives: "c"),
        FilterCall("substringBefore", "abc", ["."], gives: "abc"),
        FilterCall("substringBefore", "abc", [""], gives: ""),
        FilterCall("substringAfter", "abc", ["."], gives: ""),
        FilterCall("substringAfter", "abc", [""], gives: "abc"),
        FilterCall("substringBeforeLast", "abc", [""], gives: "abc"),
        FilterCall("substringAfterLast", "abc.", ["."], gives: ""),
        FilterCall("substringAfterLast", "a\r\nb", ["\n"], gives: "b"),
        FilterCall("substringBefore", "abc", fails: "`substringBefore` needs the `separator` argument, for example substringBefore('.')"),
        // StartsWithFilterTest; Java compares code units, so a decomposed é starts with e.
        FilterCall("startsWith", "Hello World", ["Hello"], gives: true),
        FilterCall("startsWith", "Hello World", ["World"], gives: false),
        FilterCall("endsWith", "Hello World", ["World"], gives: true),
        FilterCall("startsWith", "e\u{301}t\u{E9}", ["e"], gives: true),
        FilterCall("endsWith", 2024, [24], gives: true),
        FilterCall("startsWith", nil, ["a"], fails: "`startsWith` expects a string, but got null"),
    ])
    func substrings(_ call: FilterCall) { call.check(in: StringFilters.all) }

    @Test(arguments: [
        // Kestra IndentFilterTest and NindentFilterTest.
        FilterCall("indent", nil, [2], gives: nil),
        FilterCall("indent", "", [2], gives: ""),
        FilterCall("indent", "\n\n", [2], gives: "\n  \n  "),
        FilterCall("indent", "string", [2], gives: "string"),
        FilterCall("indent", 1, [2], gives: "1"),
        FilterCall("indent", "first line\r\nsecond line", [2], gives: "first line\r\n  second line"),
        FilterCall("indent", "first line\nsecond line", [2], gives: "first line\n  second line"),
        FilterCall("indent", "first line\rsecond line", [2], gives: "first line\r  second line"),
        FilterCall("indent", "first line\nsecond line", [2, "\t"], gives: "first line\n\t\tsecond line"),
        FilterCall("indent", "a\nb", [-1], fails: "`indent` expects an `amount` of 0 or more, but got -1"),
        FilterCall("nindent", "", [2], gives: ""),
        FilterCall("nindent", "\n\n", [2], gives: "\n  \n  \n  "),
        FilterCall("nindent", "string", [2], gives: "\n  string"),
        FilterCall("nindent", 1, [2], gives: "\n  1"),
        FilterCall("nindent", "first line\r\nsecond line", [2], gives: "\r\n  first line\r\n  second line"),
        FilterCall("nindent", "first line\rsecond line", [2], gives: "\r  first line\r  second line"),
        FilterCall("nindent", "first line\nsecond line", named: ["amount": 2, "prefix": "\t"], gives: "\n\t\tfirst line\n\t\tsecond line"),
        FilterCall("nindent", "text", fails: "`nindent` needs the `amount` of indentation, for example nindent(2)"),
    ])
    func indentation(_ call: FilterCall) { call.check(in: StringFilters.all) }

    @Test(arguments: [
        // Kestra EscapeCharFilterTest.
        FilterCall("escapeChar", "L'eau c'est la vie", ["single"], gives: "L\\'eau c\\'est la vie"),
        FilterCall("escapeChar", "\"Hello\"", ["double"], gives: "\\\"Hello\\\""),
        FilterCall("escapeChar", "L'eau c'est la vie", ["shell"], gives: "L'\\''eau c'\\''est la vie"),
        FilterCall("escapeChar", "", ["single"], gives: ""),
        FilterCall("escapeChar", "it's", ["SHELL"], gives: "it'\\''s"),
        FilterCall("escapeChar", ["it's", ["k": "o'k"]], ["single"], gives: ["it\\'s", ["k": "o\\'k"]]),
        FilterCall("escapeChar", "Hello", ["foo"], fails: "`escapeChar` expects the type 'single', 'double' or 'shell', but got 'foo'"),
        FilterCall("escapeChar", "Hello", [""], fails: "`escapeChar` expects the type 'single', 'double' or 'shell', but got ''"),
        // Pebble testUrlEncode, Kestra UrlDecodeFilter, and JDK URLEncoder/URLDecoder results.
        FilterCall("urlencode", "The string ü@foo-bar", gives: "The+string+%C3%BC%40foo-bar"),
        FilterCall("urlencode", "a b&c=d/e?f~g*h.i_j-k'l(m)!😀", gives: "a+b%26c%3Dd%2Fe%3Ff%7Eg*h.i_j-k%27l%28m%29%21%F0%9F%98%80"),
        FilterCall("urlencode", nil, gives: nil),
        FilterCall("urldecode", "Kestra+rulez+%21", gives: "Kestra rulez !"),
        FilterCall("urldecode", "a+b%20c%C3%A9%2F", gives: "a b cé/"),
        FilterCall("urldecode", "%C3%28", gives: "\u{FFFD}("),
        FilterCall("urldecode", "100%", fails: "`urldecode` found an incomplete escape `%` at the end"),
        FilterCall("urldecode", "%zz", fails: "`urldecode` found an invalid escape `%zz`"),
        FilterCall("urldecode", 5, fails: "`urldecode` expects a string, but got integer"),
    ])
    func escaping(_ call: FilterCall) { call.check(in: StringFilters.all) }

    @Test(arguments: [
        // Pebble testBase64EncoderFilterInTemplate / testBase64DecoderFilterInTemplate / *Fail, JDK Base64 results.
        FilterCall("base64encode", "test", gives: "dGVzdA=="),
        FilterCall("base64encode", "héllo wörld", gives: "aMOpbGxvIHfDtnJsZA=="),
        FilterCall("base64encode", nil, gives: nil),
        FilterCall("base64decode", "dGVzdA==", gives: "test"),
        FilterCall("base64decode", "aGk", gives: "hi"),
        FilterCall("base64decode", "", gives: ""),
        FilterCall(
            "base64decode", "this is not a base64 encoded string",
            fails: "`base64decode` expects Base64 text, but got `this is not a base64 encoded string`"),
        FilterCall("base64decode", "aG=k", fails: "`base64decode` expects Base64 text, but got `aG=k`"),
        FilterCall("base64decode", "a===", fails: "`base64decode` expects Base64 text, but got `a===`"),
        FilterCall("base64decode", "aGk=x", fails: "`base64decode` expects Base64 text, but got `aGk=x`"),
        FilterCall("base64decode", "aGVsbG8=\n", fails: "`base64decode` expects Base64 text, but got `aGVsbG8=\n`"),
        FilterCall("base64decode", ["foo": 1], fails: "`base64decode` expects a string, but got map"),
        // Pebble testSha256FilterInTemplate; the others from the JDK's MessageDigest.
        FilterCall("sha256", "test", gives: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
        FilterCall("sha1", "hello", gives: "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d"),
        FilterCall(
            "sha512", "hello",
            gives:
                "9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca72323c3d99ba5c11d7c7acc6e14b8c5da0c4663475c2e5c3adef46f73bcdec043"
        ),
        FilterCall("md5", "hello", gives: "5d41402abc4b2a76b9719d911017c592"),
        FilterCall("md5", "héllo", gives: "be50e8478cf24ff3595bc7307fb91b50"),
        FilterCall("sha1", nil, gives: nil),
        FilterCall("sha256", ["foo": 1], fails: "`sha256` expects a string, but got map"),
        FilterCall("md5", 42, fails: "`md5` expects a string, but got integer"),
    ])
    func encodingAndHashes(_ call: FilterCall) { call.check(in: StringFilters.all) }

    @Test(arguments: [
        // JDK String.split results: trailing empties dropped unless limit < 0, limit caps the parts, regex delimiter.
        FilterCall("split", "a,b,,c,,", [","], gives: ["a", "b", "", "c"]),
        FilterCall("split", "a,b,,c,,", [",", -1], gives: ["a", "b", "", "c", "", ""]),
        FilterCall("split", "a,b,c,d", [","], named: ["limit": 2], gives: ["a", "b,c,d"]),
        FilterCall("split", "a.b.c", ["."], gives: []),
        FilterCall("split", "a.b.c", ["\\."], gives: ["a", "b", "c"]),
        FilterCall("split", "a1b22c", ["\\d+"], gives: ["a", "b", "c"]),
        FilterCall("split", "", [","], gives: [""]),
        FilterCall("split", "abc", [""], gives: ["a", "b", "c"]),
        FilterCall("split", ",a,b", [","], gives: ["", "a", "b"]),
        FilterCall("split", "one two  three", [" "], gives: ["one", "two", "", "three"]),
        FilterCall("split", "abc", fails: "`split` needs a delimiter, for example split(',')"),
        FilterCall("split", "a(b", ["("], fails: "`split` got an invalid regular expression `(`"),
        // Pebble testDefault / testDefaultWithNamedArguments: null, blank strings and empty collections take the default.
        FilterCall("default", nil, ["ONE"], gives: "ONE"),
        FilterCall("default", nil, named: ["default": "ONE"], gives: "ONE"),
        FilterCall("default", "  ", ["THREE"], gives: "THREE"),
        FilterCall("default", 4, ["FOUR"], gives: 4),
        FilterCall("default", [], ["empty"], gives: "empty"),
        FilterCall("default", [:], ["empty"], gives: "empty"),
        FilterCall("default", false, ["x"], gives: false),
        FilterCall("default", "a", ["x"], gives: "a"),
        FilterCall("default", nil, gives: nil),
    ])
    func splitAndDefault(_ call: FilterCall) { call.check(in: StringFilters.all) }
}
