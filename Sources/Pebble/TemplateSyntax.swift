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
        text.contains("{{") || text.contains("{%") || text.contains("{#")
    }

    /// The syntax problem in `template`, if any (parsing stops at the first one); empty when it parses.
    public static func check(_ template: String) -> [TemplateSyntaxError] {
        do {
            _ = try Parser.parse(template)
            return []
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
