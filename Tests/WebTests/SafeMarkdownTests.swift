import Testing

@testable import Web

@Suite("Markdown in descriptions")
struct SafeMarkdownTests {
    @Test(
        "formatting becomes tags",
        arguments: [
            ("A **big** and *small* `code` line", "<p>A <strong>big</strong> and <em>small</em> <code>code</code> line</p>"),
            ("- one\n- two\n\n1. first\n2. second", "<ul><li>one</li><li>two</li></ul><ol><li>first</li><li>second</li></ol>"),
            ("# Title\nline one\nline two", "<h4>Title</h4><p>line one\nline two</p>"),
            ("hard  \nbreak\\\nand soft\nend", "<p>hard<br>break<br>and soft\nend</p>"),
            ("* a long item\n  that goes on\n* next", "<ul><li>a long item that goes on</li><li>next</li></ul>"),
            (
                "See [the docs](https://docs.example.com/a?b=1&c=2).",
                #"<p>See <a href="https://docs.example.com/a?b=1&amp;c=2" rel="noopener noreferrer">the docs</a>.</p>"#
            ),
        ])
    func formatting(markdown: String, html: String) {
        #expect(SafeMarkdown.html(markdown) == html)
    }

    @Test("headings start at the level the page asks for, deeper ones one below, within h2…h6")
    func headingLevels() {
        #expect(SafeMarkdown.html("# A\n### B", headingLevel: 2) == "<h2>A</h2><h3>B</h3>")
        #expect(SafeMarkdown.html("## A", headingLevel: 3) == "<h3>A</h3>")
        #expect(SafeMarkdown.html("# A") == "<h4>A</h4>")
        #expect(SafeMarkdown.html("# A", headingLevel: 1) == "<h2>A</h2>")
        #expect(SafeMarkdown.html("#### A", headingLevel: 9) == "<h6>A</h6>")
    }

    @Test(
        "HTML, script links and attribute breaks stay text",
        arguments: [
            "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))", "[x](https://a\" onmouseover=\"alert(1))",
            "`<b>` **<i>x</i>**", "[<script>](https://ok.example)",
        ])
    func hostile(markdown: String) {
        let html = SafeMarkdown.html(markdown)
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("href=\"javascript"))
        #expect(!html.contains("\" onmouseover"))
        #expect(!html.contains("<i>") && !html.contains("<b>"))
    }
}
