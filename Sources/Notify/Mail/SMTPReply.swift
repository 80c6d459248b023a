/// One SMTP reply (RFC 5321 §4.2): a three-digit code and one or more lines of text.
package struct SMTPReply: Sendable, Equatable, CustomStringConvertible {
    package let code: Int
    package let lines: [String]

    package init(code: Int, lines: [String]) {
        self.code = code
        self.lines = lines
    }

    package var isPositive: Bool { (200..<400).contains(code) }

    /// As the server wrote it, lines joined by " / ": `550 5.1.1 <x@example.com>: Recipient address rejected`.
    package var description: String {
        let text = lines.filter { !$0.isEmpty }.joined(separator: " / ")
        return text.isEmpty ? "\(code)" : "\(code) \(text)"
    }
}

/// Collects bytes from the server and cuts them into replies; a reply ends at a line whose code is followed by a space
/// (or nothing) instead of `-`.
struct SMTPReplyParser {
    /// A line longer than this is not SMTP (RFC 5321 §4.5.3.1.5 allows 512 octets).
    static let maxLineLength = 4096
    private var buffer: [UInt8] = []
    private var pending: [String] = []
    private var pendingCode: Int?

    enum ParseError: Error, Equatable {
        case malformed(String)
    }

    /// No bytes are waiting to become a reply.
    var isEmpty: Bool { buffer.isEmpty && pending.isEmpty }

    mutating func append(_ bytes: some Sequence<UInt8>) { buffer.append(contentsOf: bytes) }

    /// The next complete reply, or nil until more bytes arrive.
    mutating func next() throws(ParseError) -> SMTPReply? {
        while let newline = buffer.firstIndex(of: 0x0A) {
            var lineBytes = buffer[..<newline]
            if lineBytes.last == 0x0D { lineBytes = lineBytes.dropLast() }
            buffer.removeSubrange(...newline)
            let line = String(decoding: lineBytes, as: UTF8.self)
            let digits = line.prefix(3)
            guard digits.count == 3, let code = Int(digits), digits.allSatisfy(\.isNumber) else {
                throw .malformed(String(line.prefix(200)))
            }
            let rest = line.dropFirst(3)
            let separator = rest.first
            guard separator == nil || separator == " " || separator == "-" else { throw .malformed(String(line.prefix(200))) }
            if let pendingCode, pendingCode != code { throw .malformed(String(line.prefix(200))) }
            pendingCode = code
            pending.append(String(rest.dropFirst()))
            if separator != "-" {
                let reply = SMTPReply(code: code, lines: pending)
                pending = []
                pendingCode = nil
                return reply
            }
        }
        guard buffer.count <= Self.maxLineLength else { throw .malformed("a reply line longer than \(Self.maxLineLength) bytes") }
        return nil
    }
}
