import Foundation
import Notify

/// Renders the Markdown of flow and input descriptions to HTML that can only contain what this renderer writes:
/// paragraphs, hard line breaks (two trailing spaces or a backslash), bullet and numbered lists, headings (`#` and `##` at the level the page asks for, deeper ones one below it), `**bold**`, `*italic*`, `` `code` `` and
/// `[links](https://…)`. Every character of the text is escaped first; raw HTML in a description stays visible text,
/// and a link whose target is not http, https or mailto stays text, so a flow author cannot inject script or styles.
enum SafeMarkdown {
    /// Descriptions come from flow files and are the same on every request; rendering them (three regular expressions
    /// per line, compiled by Foundation each time) took a quarter of a request form's time under load (BENCHMARKS.md).
    private static let rendered = RenderedMarkdownCache(capacity: 2_000)

    /// `headingLevel` is one below the heading the description sits under, so the page's outline never skips a level
    /// (axe's heading-order): 2 under a page's `h1`, 4 in a catalog card titled `h3`.
    static func html(_ markdown: String, headingLevel: Int = 4) -> String {
        let level = min(max(headingLevel, 2), 5)
        let key = "\(level)|" + markdown
        if let html = rendered[key] { return html }
        let html = render(markdown, headingLevel: level)
        rendered[key] = html
        return html
    }

    private static func render(_ markdown: String, headingLevel: Int) -> String {
        var output = ""
        // Each line of the paragraph, and whether it ends in a hard break (two spaces or a backslash, as in
        // CommonMark); other line ends are soft, so a description wrapped in its YAML reads as one flowing paragraph.
        var paragraph: [(text: String, hardBreak: Bool)] = []
        var list: (ordered: Bool, items: [String])?

        func flushParagraph() {
            guard !paragraph.isEmpty else { return }
            output += "<p>"
            for (index, line) in paragraph.enumerated() {
                output += inline(line.text)
                if index < paragraph.count - 1 { output += line.hardBreak ? "<br>" : "\n" }
            }
            output += "</p>"
            paragraph = []
        }
        func flushList() {
            guard let current = list else { return }
            let tag = current.ordered ? "ol" : "ul"
            output += "<\(tag)>" + current.items.map { "<li>\(inline($0))</li>" }.joined() + "</\(tag)>"
            list = nil
        }

        for raw in markdown.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if !line.isEmpty, raw.first?.isWhitespace == true, var current = list, let last = current.items.popLast() {
                // An indented line continues the list item above it.
                current.items.append(last + " " + line)
                list = current
            } else if line.isEmpty {
                flushParagraph()
                flushList()
            } else if let item = bullet(line) {
                flushParagraph()
                if list?.ordered != false { flushList() }
                list = (false, (list?.items ?? []) + [item])
            } else if let item = numbered(line) {
                flushParagraph()
                if list?.ordered != true { flushList() }
                list = (true, (list?.items ?? []) + [item])
            } else if line.hasPrefix("#") {
                flushParagraph()
                flushList()
                let level = line.prefix { $0 == "#" }.count
                let tag = "h\(level <= 2 ? headingLevel : headingLevel + 1)"
                output += "<\(tag)>\(inline(String(line.dropFirst(level)).trimmingCharacters(in: .whitespaces)))</\(tag)>"
            } else {
                flushList()
                if line.hasSuffix("\\") {
                    paragraph.append((String(line.dropLast()).trimmingCharacters(in: .whitespaces), true))
                } else {
                    paragraph.append((line, raw.hasSuffix("  ")))
                }
            }
        }
        flushParagraph()
        flushList()
        return output
    }

    private static func bullet(_ line: String) -> String? {
        for marker in ["- ", "* ", "+ "] where line.hasPrefix(marker) { return String(line.dropFirst(2)) }
        return nil
    }

    private static func numbered(_ line: String) -> String? {
        guard let dot = line.firstIndex(of: "."), line[..<dot].allSatisfy(\.isNumber), !line[..<dot].isEmpty,
            line[line.index(after: dot)...].hasPrefix(" ")
        else { return nil }
        return String(line[line.index(dot, offsetBy: 2)...])
    }

    /// Escapes the text, then turns the inline markers into tags; code spans are protected from the other markers.
    static func inline(_ text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let tick = rest.firstIndex(of: "`"), let close = rest[rest.index(after: tick)...].firstIndex(of: "`") {
            result += emphasis(escape(String(rest[..<tick])))
            result += "<code>" + escape(String(rest[rest.index(after: tick)..<close])) + "</code>"
            rest = rest[rest.index(after: close)...]
        }
        return result + emphasis(escape(String(rest)))
    }

    private static func emphasis(_ escaped: String) -> String {
        var text = escaped
        text = text.replacingOccurrences(of: #"\*\*([^*]+)\*\*"#, with: "<strong>$1</strong>", options: .regularExpression)
        text = text.replacingOccurrences(of: #"(^|[^*])\*([^*\s][^*]*)\*"#, with: "$1<em>$2</em>", options: .regularExpression)
        // Links: the target was escaped with the rest; only web and mail targets become links.
        text = text.replacingOccurrences(
            of: #"\[([^\]]+)\]\(((?:https?://|mailto:)[^)\s]+)\)"#, with: #"<a href="$2" rel="noopener noreferrer">$1</a>"#,
            options: .regularExpression)
        return text
    }

    static func escape(_ text: String) -> String { HTMLText.escape(text) }
}
