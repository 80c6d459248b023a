import Notify
import Testing

@Suite("HTML escaping")
struct HTMLTextTests {
    @Test(
        "the five markup characters are escaped anywhere; every other character, multi-byte ones included, is kept",
        arguments: [
            ("", ""), ("plain text", "plain text"), ("<b>", "&lt;b&gt;"), ("a & b", "a &amp; b"),
            (#"say "hi" & 'bye'"#, "say &quot;hi&quot; &amp; &#39;bye&#39;"), ("é<ü>👍🏽", "é&lt;ü&gt;👍🏽"),
            ("&amp;", "&amp;amp;"), ("\u{301}<", "\u{301}&lt;"), ("日本語\"", "日本語&quot;"),
        ])
    func escape(text: String, expected: String) {
        #expect(HTMLText.escape(text) == expected)
        #expect(Array(HTMLText.escape(text).utf8) == Array(expected.utf8))
    }
}
