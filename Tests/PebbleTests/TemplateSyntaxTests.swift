import Pebble
import Testing

@Suite("Template syntax checks")
struct TemplateSyntaxTests {
    @Test(
        "well-formed templates have no problem",
        arguments: [
            "plain text, no template",
            "{{ inputs.vm_name }}",
            "{{ outputs['terraform-plan'].outputFiles['tfplan'] }}",
            "{{ secret('HCLOUD_TOKEN') }}",
            "{% if inputs.approved %}yes{% elseif x %}maybe{% else %}no{% endif %}",
            "{% for x in [1, 2] %}{{ loop.index }}{% else %}none{% endfor %}",
            "{%- set x = {'a': [1, 2]} -%}{{- x.a | join(',') -}}",
            "{% raw %}{{ not parsed {% if %}{% endraw %}",
            "{# a comment with }} inside #}text",
            "{{ \"a }} inside a string\" ~ 'and {{ this' }}",
            "{{ inputs.missing ?? 'default' }} {{ x is defined ? 1 : 2 }}",
        ]
    )
    func wellFormed(template: String) {
        #expect(TemplateSyntax.check(template) == [])
    }

    @Test(
        "malformed templates report what is wrong and where",
        arguments: [
            ("{{ inputs.name ", "`{{` is never closed with `}}`", 0),
            ("ab {% if x %}never closed", "`{% if %}` is never closed with `{% endif %}`", 3),
            ("{% endif %}", "`{% endif %}` has no matching `{% if %}`", 0),
            ("{% for x in y %}{% endif %}{% endfor %}", "`{% endif %}` has no matching `{% if %}`", 16),
            ("{{ fn(a, b }}", "`(` is never closed before `}}`", 5),
            ("{{ a] }}", "`]` has no matching `[`", 4),
            ("{{ 1 + }}", "expected a value, a variable or `(`, but found `}}`", 7),
            ("{{ a | }}", "expected a filter name after `|`, but found `}}`", 7),
            ("{% if %}x{% endif %}", "expected a value, a variable or `(`, but found `%}`", 6),
            ("{% for x y %}{% endfor %}", "expected `in` in the for tag, but found `y`", 9),
            ("{% set = 1 %}", "expected a variable name, but found `=`", 7),
            ("{{ a ? b }}", "expected `:` in the conditional expression, but found `}}`", 9),
            ("{{ 'open string }}", "a string literal starting with ' is never closed", 3),
            ("{# comment", "the comment `{#` is never closed with `#}`", 0),
            ("{{ }}", "the expression `{{ }}` is empty", 0),
            ("{% else %}", "`{% else %}` has no matching `{% if %}`", 0),
            ("{% frobnicate %}", "unknown tag `frobnicate`; Gatehouse supports if, for, set and raw", 0),
            ("{% esle %}", "unknown tag `esle`; did you mean `else`? Gatehouse supports if, for, set and raw", 0),
            ("{% raw %}unfinished", "`{% raw %}` is never closed with `{% endraw %}`", 0),
        ]
    )
    func malformed(template: String, message: String, offset: Int) {
        #expect(TemplateSyntax.check(template) == [TemplateSyntaxError(message: message, offset: offset)])
    }

    @Test("containsTemplate spots every delimiter kind")
    func containsTemplate() {
        #expect(TemplateSyntax.containsTemplate("a {{ b }}"))
        #expect(TemplateSyntax.containsTemplate("{% if %}"))
        #expect(TemplateSyntax.containsTemplate("{# c #}"))
        #expect(!TemplateSyntax.containsTemplate("{ not a template }"))
        #expect(TemplateSyntax.containsTemplate("ends with {{"))
        #expect(TemplateSyntax.containsTemplate("{{{ b }}"))
        #expect(TemplateSyntax.containsTemplate("é {%"))
        #expect(!TemplateSyntax.containsTemplate("{ { } }"))
        #expect(!TemplateSyntax.containsTemplate("% { # {"))
        #expect(!TemplateSyntax.containsTemplate(""))
    }
}

@Suite("Unknown functions and filters in templates")
struct TemplateNamesTests {
    @Test("calls of functions and filters Gatehouse lacks are reported at their offset, nested ones too; known ones pass")
    func unknownNames() {
        let template = "{% if kv('x') %}{{ [1] | frobnicate }}{% endif %}{{ secret('A') | upper }}{{ now() }}{{ read(x) | trim }}"
        let problems = TemplateSyntax.check(template)
        #expect(
            problems.map(\.message) == [
                "unknown function `kv`: Gatehouse does not provide it", "unknown filter `frobnicate`: Gatehouse does not provide it",
            ])
        #expect(problems.map(\.offset) == [6, 25])
    }
}
