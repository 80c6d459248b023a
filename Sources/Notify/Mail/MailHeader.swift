import Foundation

/// RFC 5322 header fields with RFC 2047 encoded words for text that is not ASCII.
package enum MailHeader {
    /// The longest encoded word RFC 2047 §2 allows.
    static let maxEncodedWord = 75
    /// Lines are folded before this length (RFC 5322 §2.1.1 recommends 78).
    static let foldAt = 78

    /// `Name: value` with CRLF, folded at spaces when long. Line breaks in `value` become spaces, so a value can never
    /// start a header of its own.
    package static func field(_ name: String, _ value: String) -> String {
        let flat = value.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\r", with: " ")
            .replacingOccurrences(of: "\n", with: " ")
        return fold("\(name): \(flat)") + "\r\n"
    }

    /// Unstructured text (Subject): as is when ASCII, else encoded words.
    package static func text(_ value: String) -> String {
        value.allSatisfy(\.isASCII) ? value : encodedWords(value)
    }

    /// A display name: an atom sequence as is, a quoted string when it has specials, encoded words when not ASCII.
    package static func phrase(_ name: String) -> String {
        guard name.allSatisfy(\.isASCII) else { return encodedWords(name) }
        let atext = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "!#$%&'*+-/=?^_`{|}~ "))
        if name.unicodeScalars.allSatisfy(atext.contains) && !name.hasPrefix(" ") && !name.hasSuffix(" ") { return name }
        return "\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// `=?UTF-8?B?…?=` words of at most 75 characters, never splitting a character, separated by spaces (the spaces
    /// between encoded words are not part of the decoded text).
    package static func encodedWords(_ text: String) -> String {
        let budget = (maxEncodedWord - "=?UTF-8?B??=".count) / 4 * 3
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > budget, !chunk.isEmpty {
                words.append(word(chunk))
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append(word(chunk)) }
        return words.joined(separator: " ")
    }

    private static func word(_ bytes: [UInt8]) -> String {
        "=?UTF-8?B?" + Data(bytes).base64EncodedString() + "?="
    }

    /// Folds a header line at spaces so that each line stays within 78 characters where a space allows it; never right
    /// after the field name, which would give the value a leading space.
    static func fold(_ line: String) -> String {
        guard line.count > foldAt else { return line }
        var lines: [String] = []
        var current = ""
        for (index, piece) in line.split(separator: " ", omittingEmptySubsequences: false).enumerated() {
            if index == 0 {
                current = String(piece)
            } else if current.count + 1 + piece.count > foldAt, index > 1 {
                lines.append(current)
                current = " " + piece
            } else {
                current += " " + piece
            }
        }
        lines.append(current)
        return lines.joined(separator: "\r\n")
    }
}
