/// A syntax problem in a Pebble template, with the character offset where it starts.
public struct TemplateSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String
    /// Offset in characters (Unicode scalars) from the start of the template.
    public let offset: Int

    public init(message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }

    public var description: String { message }
}

/// Syntax checks of Pebble templates, for flow validation: the template is parsed exactly as rendering would.
public enum TemplateSyntax {
    /// True when the text contains anything Pebble would interpret.
    public static func containsTemplate(_ text: String) -> Bool {
        // A byte scan: `String.contains(String)` went through Foundation's `range(of:)` here, and flow parsing asks this
        // for every scalar of every flow (7% of a server's start with 100 flows).
        var previousWasBrace = false
        for byte in text.utf8 {
            if previousWasBrace, byte == UInt8(ascii: "{") || byte == UInt8(ascii: "%") || byte == UInt8(ascii: "#") {
                return true
            }
            previousWasBrace = byte == UInt8(ascii: "{")
        }
        return false
    }

    /// The syntax problem in `template`, if any (parsing stops at the first one); when it parses, every call of a
    /// function or filter Gatehouse does not provide.
    public static func check(_ template: String) -> [TemplateSyntaxError] {
        do {
            return TemplateNames.problems(in: try Parser.parse(template))
        } catch {
            return [TemplateSyntaxError(message: error.message, offset: error.offset)]
        }
    }
}

extension String {
    package func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
