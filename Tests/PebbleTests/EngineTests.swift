import Pebble
import Testing

/// The core language: literals, operators, access, tags, strict variables and errors, through the public engine.
@Suite("Pebble engine")
struct EngineTests {
    static let context: PebbleMap = PebbleMap([
        ("inputs", ["name": "web-1", "count": 7, "ratio": 2.5, "tags": ["a", "b", "c"], "empty": "", "nothing": nil, "flag": false]),
        ("outputs", ["terraform-plan": ["outputFiles": ["tfplan": "kestra://ns/flow/tfplan"]], "list": ["value": ["x": 1]]]),
        ("labels", ["team": "platform", "system": ["correlationId": "abc"]]),
        ("selfish", "{{ render(selfish) }}-"),
        ("ping", "{{ pong }}"), ("pong", "{{ ping }}"), ("pingPong", "{{ ping }}"),
    ])

    static func render(_ template: String) throws -> String {
        try PebbleEngine().render(template, variables: context)
    }

    @Test(
        "renders",
        arguments: [
            // Literals and rendering (Kestra JsonWriter: null prints nothing, collections print as compact JSON).
            ("plain text", "plain text"),
            ("{{ 'single' }} {{ \"double\" }}", "single double"),
            ("{{ 'it\\'s' }}", "it's"),
            ("{{ 42 }} {{ 2.5 }} {{ 3.0 }} {{ true }} {{ null }}|", "42 2.5 3.0 true |"),
            ("{{ [1, 'a', [true]] }}", "[1,\"a\",[true]]"),
            // Map literals are java.util.HashMap in Pebble, so they print in hash order; null entries are dropped.
            ("{{ {'b': 1, 'a': [2]} }}", "{\"a\":[2],\"b\":1}"),
            ("{{ {'a': null, 'b': 1} }}", "{\"b\":1}"),
            ("{{ 1..4 }}", "[1,2,3,4]"),
            ("{{ 3..1 }}", "[]"),
            // Arithmetic: Java long arithmetic for integers (truncating division, dividend-signed remainder).
            ("{{ 1 + 2 * 3 }}", "7"),
            ("{{ (1 + 2) * 3 }}", "9"),
            ("{{ 7 / 2 }} {{ -7 / 2 }} {{ 7 % 3 }} {{ -7 % 3 }}", "3 -3 1 -1"),
            ("{{ 7.0 / 2 }} {{ 7 / 2.0 }} {{ 2.5 * 2 }}", "3.5 3.5 5.0"),
            ("{{ 10000000.0 }} {{ 0.0001 }} {{ 123456.5 }}", "1.0E7 1.0E-4 123456.5"),
            ("{{ -inputs.count }} {{ +3 }}", "-7 3"),
            ("{{ inputs.count - 10 }}", "-3"),
            // Concatenation binds tighter than comparison and arithmetic (Pebble precedence 110).
            ("{{ 'a' ~ 1 ~ true ~ null }}", "a1true"),
            ("{{ inputs.name ~ '-' ~ inputs.count }}", "web-1-7"),
            // Comparisons: numbers by value, text lexicographically.
            ("{{ 1 == 1.0 }} {{ 1 != 2 }} {{ 'a' < 'b' }} {{ 3 >= 3 }} {{ 2 > 10 }}", "true true true true false"),
            ("{{ '2' == 2 }}", "false"),
            ("{{ inputs.name equals 'web-1' }}", "true"),
            // Logic, short-circuit and precedence (`not` is unary at 500: it binds to its operand only).
            ("{{ true and false }} {{ true or false }} {{ not false }}", "false true true"),
            ("{{ false and undefinedThing }} {{ true or undefinedThing }}", "false true"),
            ("{{ not inputs.flag and true }}", "true"),
            // contains / in.
            ("{{ inputs.tags contains 'b' }} {{ 'z' in inputs.tags }} {{ 'z' not in inputs.tags }}", "true false true"),
            ("{{ inputs.name contains 'web' }} {{ inputs contains 'name' }}", "true true"),
            ("{{ inputs.tags contains ['a', 'c'] }}", "true"),
            // Ternary.
            ("{{ inputs.count > 5 ? 'big' : 'small' }}", "big"),
            ("{{ inputs.flag ? 'on' : inputs.count == 7 ? 'seven' : 'other' }}", "seven"),
            // Access.
            ("{{ inputs.name }} {{ inputs['name'] }} {{ inputs.tags[1] }}", "web-1 web-1 b"),
            ("{{ 'a' + 1 }} {{ [1] + 2 }} {{ [1, 2, 3] - 2 }} {{ 'x' ~ [1, 'a'] }}", "a1 [1,2] [1,3] x[1, a]"),
            ("{{ 2 isIn ['1', '2'] }} {{ 'k' isIn {'k': 'v'} }}", "true true"),
            ("{{ outputs['terraform-plan'].outputFiles['tfplan'] }}", "kestra://ns/flow/tfplan"),
            ("{{ labels.system.correlationId }}", "abc"),
            ("{{ inputs.tags.size }} {{ inputs.name.length }}", "3 5"),
            ("{{ inputs.nothing }}|", "|"),
            // Tests.
            ("{{ inputs.name is defined }} {{ inputs.zzz is defined }} {{ inputs.zzz is not defined }}", "true false true"),
            (
                "{{ inputs.nothing is null }} {{ inputs.name is null }} {{ inputs.empty is empty }} {{ inputs.tags is empty }}",
                "true false true false"
            ),
            (
                "{{ 4 is even }} {{ 3 is odd }} {{ inputs.tags is iterable }} {{ inputs is iterable }} {{ inputs is map }}",
                "true true true false true"
            ),
            // Pebble's DefinedTest is "not null", and an undefined key inside counts as not defined.
            ("{{ inputs.nothing is defined }} {{ inputs[missing] is defined }}", "false false"),
            ("{{ '{\"a\":1}' is json }} {{ 'nope' is json }}", "true false"),
            // Kestra's `??` (undefined or null) and `???` (undefined only).
            ("{{ inputs.zzz ?? 'fallback' }}", "fallback"),
            ("{{ inputs.nothing ?? 'fallback' }}", "fallback"),
            ("{{ inputs.nothing ??? 'fallback' }}|", "|"),
            ("{{ inputs.zzz ??? 'fallback' }}", "fallback"),
            ("{{ inputs.a ?? inputs.b ?? inputs.name }}", "web-1"),
            ("{{ outputs.missing.value ?? 'none' }}", "none"),
            // Tags.
            ("{% if inputs.count > 5 %}big{% elseif inputs.count > 2 %}mid{% else %}small{% endif %}", "big"),
            ("{% if inputs.flag %}yes{% else %}no{% endif %}", "no"),
            ("{% if inputs.empty %}yes{% else %}no{% endif %}", "no"),
            // Inside templates Pebble's truth applies: any non-empty text is true, even "false" (IfNode).
            ("{% if 'false' %}yes{% else %}no{% endif %}", "yes"),
            ("{{ inputs.nothing ? 'yes' : 'no' }}", "no"),
            ("{% for t in inputs.tags %}{{ loop.index }}{{ t }}{% if not loop.last %},{% endif %}{% endfor %}", "0a,1b,2c"),
            ("{% for t in inputs.tags %}{{ loop.first }}/{{ loop.length }}/{{ loop.revindex }} {% endfor %}", "true/3/2 false/3/1 false/3/0 "),
            ("{% for t in [] %}x{% else %}empty{% endfor %}", "empty"),
            ("{% for e in inputs %}{{ e.key }};{% endfor %}", "name;count;ratio;tags;empty;nothing;flag;"),
            ("{% for t in inputs.nothing %}x{% else %}empty{% endfor %}|", "|"),
            ("{% for e in {'a': 1} %}{{ e.key }}:{{ e.value }}{% endfor %}", "a:1"),
            ("{% for i in 1..2 %}{% for j in 1..2 %}{{ i }}{{ j }} {% endfor %}{% endfor %}", "11 12 21 22 "),
            ("{% set x = inputs.count * 2 %}{{ x }}", "14"),
            ("{% for i in [1] %}{% set y = 5 %}{% endfor %}{{ y is defined }}", "false"),
            ("{% set total = 0 %}{% for i in [1, 2, 3] %}{% set total = total + i %}{% endfor %}{{ total }}", "6"),
            // Pebble's only string escape is the string's own quote; `#{}` interpolates in double quotes.
            ("{{ 'a\\nb' }} {{ 'it\\'s' }} {{ \"#{inputs.count + 1} items\" }}", "a\\nb it's 8 items"),
            ("{{ TRUE }} {{ 10L }} {{-5}}", "true 10 -5"),
            ("{% raw %}{{ not rendered }}{% endraw %}", "{{ not rendered }}"),
            ("a{# a comment #}b", "ab"),
            // Whitespace control.
            ("a  {{- 'b' -}}  c", "abc"),
            ("a\n  {%- if true -%}\n  b\n  {%- endif -%}\n c", "abc"),
            ("a\n{% if true %}b{% endif %}\nc", "a\nb\nc"),
            // Functions.
            ("{{ range(1, 10, 3) }} {{ range(3, 1, -1) }}", "[1,4,7,10] [3,2,1]"),
            ("{{ max(1, 5.5, 3) }} {{ min(4, 2, 8) }}", "5.5 2"),
            ("{{ fromJson('{\"b\": [1, 2.5], \"a\": null}') }}", "{\"b\":[1,2.5]}"),
            ("{{ fromJson('{\"b\": 1, \"a\": 2}') }}", "{\"b\":1,\"a\":2}"),
            ("{{ json('[1,2]')[1] }}", "2"),
            ("{{ render('{{ inputs.name }}') }}", "web-1"),
            ("{{ render(['{{ inputs.count }}', 1]) }}", "[\"7\",1]"),
            ("{{ randomInt(1, 2) }}", "1"),
            ("{{ uuid() | length }} {{ id() | length }}", "36 22"),
            ("{{ inputs.zzz | default('fallback') }} {{ inputs.empty | default('blank') }}", "fallback blank"),
            ("{{ inputs.name | upper | replace({'-': '_'}) }}", "WEB_1"),
            ("{{ inputs.tags | join(', ') }} {{ inputs.tags | length }} {{ inputs.tags | first }}", "a, b, c 3 a"),
            ("{{ (inputs.name ~ '-x') | upper }}", "WEB-1-X"),
            ("{{ inputs.missing ?? 'a' | upper }}", "A"),
            ("{{ inputs.tags | slice(fromIndex=1) }}", "[\"b\",\"c\"]"),
        ]
    )
    func renders(template: String, expected: String) throws {
        #expect(try Self.render(template) == expected)
    }

    @Test(
        "fails with a precise error",
        arguments: [
            ("{{ inputs.zzz }}", "Unable to find `inputs.zzz` used in the expression `{{ inputs.zzz }}` (line 1, column 4)"),
            ("{{ missing }}", "Unable to find `missing` used in the expression `{{ missing }}` (line 1, column 4)"),
            ("line one\n  {{ outputs.x.value }}", "Unable to find `outputs.x` used in the expression `{{ outputs.x.value }}` (line 2, column 6)"),
            ("{% if inputs.zzz %}x{% endif %}", "Unable to find `inputs.zzz` used in the expression `{{ inputs.zzz }}` (line 1, column 7)"),
            ("{{ inputs.tags[7] }}", "Unable to find `inputs.tags[7]` used in the expression `{{ inputs.tags[7] }}` (line 1, column 4)"),
            ("{{ 1 / 0 }}", "division by zero in `1 / 0` (line 1, column 6)"),
            ("{{ render(selfish) }}", "`render()` nested more than 8 levels deep"),
            ("{{ render(pingPong) }}", "`render` still changes the text after 8 passes"),
            ("{{ 9223372036854775807 + 1 }}", "integer overflow in `9223372036854775807 + 1`"),
            ("{{ true - 1 }}", "`-` needs numbers, but got boolean and integer"),
            ("{{ inputs.tags.length }}", "Unable to find `inputs.tags.length`"),
            ("{{ inputs.tags.0 }}", "expected an attribute name after `.`, but found `0`"),
            ("{% if inputs.tags %}x{% endif %}", "{% if %} needs a boolean, but got list"),
            ("{% if inputs.nothing %}x{% endif %}", "{% if %} needs a boolean, but got null"),
            ("{% set null = 1 %}", "Can not assign a value to null"),
            ("{% for k, v in inputs %}{% endfor %}", "expected `in` in the for tag, but found `,`"),
            ("{{ 'abc' | abbreviate(WRONG=1) }}", "`abbreviate` has no argument named `WRONG`"),
            ("{{ \"#{missing}\" }}", "Unable to find `missing`"),
            ("{{ 5 contains 5 }}", "`contains` needs a list, a map or text on its left, but got integer"),
            ("{{ 'a' < 1 }}", "`<` cannot compare string with integer"),
            ("{{ inputs.name | nope }}", "unknown filter `nope` (line 1, column 18)"),
            ("{{ inputs.zzz | upper }}", "Unable to find `inputs.zzz` used in the expression `{{ inputs.zzz | upper }}` (line 1, column 4)"),
            ("{{ inputs.name | uper }}", "unknown filter `uper`; did you mean `upper`? (line 1, column 18)"),
            ("{{ inputs.tags | upper }}", "upper"),
            ("{{ nope() }}", "unknown function `nope` (line 1, column 4)"),
            ("{{ rnage(1, 2) }}", "unknown function `rnage`; did you mean `range`?"),
            ("{{ 1 is evne }}", "unknown test `evne`; did you mean `even`?"),
            ("{{ 1..1000000 }}", "the range 1..1000000 has more than 100000 elements"),
            ("{% for x in 1 %}{% endfor %}", "`{% for %}` needs a list or a map, but got integer"),
            ("{{ fromJson('{bad') }}", "invalid JSON at character 2: expected a quoted key"),
            ("{{ 1 + }}", "expected a value, a variable or `(`, but found `}}` (line 1, column 8)"),
            ("{{ 'unclosed }}", "a string literal starting with ' is never closed (line 1, column 4)"),
            ("{% if true %}no end", "`{% if %}` is never closed with `{% endif %}` (line 1, column 1)"),
            ("text {{ a(1, b=2, 3) }}", "a positional argument cannot follow a named one (line 1, column 19)"),
        ]
    )
    func fails(template: String, expected: String) {
        #expect {
            _ = try Self.render(template)
        } throws: { error in
            (error as? PebbleError)?.description.contains(expected) == true
        }
    }

    @Test("the undefined-variable error has Kestra's shape and kind")
    func undefinedKind() throws {
        let error = try #require(throws: PebbleError.self) { try Self.render("{{ x }}") }
        #expect(error.kind == .undefined)
        #expect(error.line == 1 && error.column == 4)
    }

    @Test(
        "Kestra's truthiness for If, Fail and runIf judges the rendered text",
        arguments: [
            ("{{ true }}", true), ("{{ false }}", false), ("{{ 0 }}", false), ("-0", false), ("", false), ("  ", false),
            // Kestra's TruthUtils compares exactly: "FALSE" is true, padding is trimmed.
            ("FALSE", true), ("False", true), ("{{ 1 }}", true), ("no", true), ("{{ inputs.nothing }}", false),
            ("{{ inputs.name }}", true), (" false ", false),
        ]
    )
    func truthiness(template: String, truthy: Bool) throws {
        #expect(try PebbleEngine().isTruthy(template, variables: Self.context) == truthy)
    }

    @Test("injected functions win, and receive named and positional arguments")
    func injectedFunctions() throws {
        let secret = PebbleFunction("secret", arguments: ["key"]) { arguments, _ in
            .string(try arguments.string("key", for: "secret") == "HCLOUD_TOKEN" ? "s3cr3t" : "")
        }
        let engine = PebbleEngine(functions: [secret])
        #expect(try engine.render("{{ secret('HCLOUD_TOKEN') }}|{{ secret(key='HCLOUD_TOKEN') }}", variables: PebbleMap()) == "s3cr3t|s3cr3t")
    }

    @Test("parsing is cached per template text, and a cached template renders with new variables")
    func caching() throws {
        let engine = PebbleEngine()
        let template = "{{ inputs.name }}"
        #expect(try engine.render(template, variables: Self.context) == "web-1")
        #expect(try engine.render(template, variables: PebbleMap([("inputs", ["name": "db-2"])])) == "db-2")
    }
}
