import Pebble
import Testing

/// Random, truncated and hostile templates: every render returns text or a `PebbleError`, never a crash or a hang,
/// and memory stays bounded by the engine's limits.
@Suite("Pebble robustness", .timeLimit(.minutes(2)))
struct RobustnessTests {
    /// A small deterministic generator (SplitMix64), so a failing case can be replayed.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let fragments = [
        "{{", "}}", "{%", "%}", "{#", "#}", "{{-", "-}}", "{%-", "-%}", " ", "\n", "if", "elseif", "else", "endif", "for", "in",
        "endfor", "set", "=", "raw", "endraw", "x", "inputs", ".", "name", "[", "]", "(", ")", "{", "}", "'", "\"", "'a'", "1",
        "2.5", "-", "+", "*", "/", "%", "~", "..", "??", "???", "?", ":", "|", "upper", "default", "length", "range", "and",
        "or", "not", "is", "defined", "null", "empty", "contains", ",", "true", "loop", "index", "9999999999999999999",
        "range(1, 1000000000)", "1..100000000", "fromJson('[[[[')", "render('{{ render(\\'x\\') }}')",
    ]

    static let engine = PebbleEngine()
    static let variables = PebbleMap([
        ("inputs", ["name": "web-1", "tags": ["a", "b"]]), ("x", 3), ("selfReferencing", "{{ render(selfReferencing) }}"),
    ])

    /// Renders and accepts any outcome except a crash; returns whether it succeeded.
    @discardableResult
    static func survive(_ template: String) -> Bool {
        do {
            let output = try engine.render(template, variables: variables)
            #expect(output.utf8.count <= engine.limits.maximumOutputBytes)
            return true
        } catch {
            #expect(!error.description.isEmpty)
            return false
        }
    }

    @Test("20,000 random templates from language fragments")
    func randomTemplates() {
        var generator = SeededGenerator(state: 20_261_123)
        var rendered = 0
        for _ in 0..<20_000 {
            let length = Int.random(in: 1...24, using: &generator)
            let template = (0..<length).map { _ in Self.fragments.randomElement(using: &generator)! }.joined()
            if Self.survive(template) { rendered += 1 }
        }
        // Both outcomes must occur, or the generator is not exercising the engine.
        #expect(rendered > 100)
        #expect(rendered < 20_000)
    }

    @Test("every prefix of realistic templates")
    func truncatedTemplates() {
        let templates = [
            "{% for t in inputs.tags %}{{ loop.index }}:{{ t | upper }}{% if not loop.last %}, {% endif %}{% else %}none{% endfor %}",
            "{{ outputs['terraform-plan'].outputFiles['tfplan'] ?? (inputs.name ~ '-' ~ x * 2) }} {# note #} {% raw %}{{ y }}{% endraw %}",
            "{%- set n = {'a': [1, 2.5, 'b'], \"c\": null} -%}{{ n.a[2] is defined ? n | length : range(1, 3) }}",
        ]
        for template in templates {
            let scalars = Array(template.unicodeScalars)
            for end in 0...scalars.count {
                Self.survive(String(String.UnicodeScalarView(scalars[0..<end])))
            }
        }
    }

    @Test(
        "hostile templates are refused with an error",
        arguments: [
            "{{ " + String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000) + " }}",
            "{{ " + String(repeating: "[", count: 10_000) + " }}",
            "{{ " + String(repeating: "not ", count: 10_000) + "true }}",
            "{{ " + String(repeating: "- ", count: 10_000) + "1 }}",
            "{{ 1" + String(repeating: " + 1", count: 100_000) + " }}",
            "{{ x" + String(repeating: " | upper", count: 100_000) + " }}",
            String(repeating: "{% if true %}", count: 10_000) + "x",
            String(repeating: "{% for i in [1] %}", count: 10_000) + "x",
            "{{ 1..1000000000 }}",
            "{{ range(0, 9223372036854775807) }}",
            "{% for i in range(1, 100000) %}{% for j in range(1, 100000) %}.{% endfor %}{% endfor %}",
            "{{ render(selfReferencing) }}",
            "{{ 9223372036854775807 * 2 }}",
            "{{ fromJson('" + String(repeating: "[", count: 100_000) + "') }}",
        ]
    )
    func hostile(template: String) {
        #expect(!Self.survive(template))
    }

    @Test("a template that is too long is refused before it is parsed")
    func tooLong() {
        #expect(!Self.survive(String(repeating: "{{ x }}", count: 200_000)))
    }

    @Test("output is bounded")
    func boundedOutput() throws {
        var limits = PebbleEngine.Limits()
        limits.maximumOutputBytes = 10_000
        let engine = PebbleEngine(limits: limits)
        let error = try #require(throws: PebbleError.self) {
            try engine.render("{% for i in range(1, 100000) %}0123456789{% endfor %}", variables: PebbleMap())
        }
        #expect(error.kind == .limit)
    }
}
