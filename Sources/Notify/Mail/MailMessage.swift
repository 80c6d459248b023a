import Foundation

/// An e-mail as `MailSend` describes it, rendered to RFC 5322 + MIME text for the SMTP `DATA` command.
package struct MailMessage: Sendable {
    package struct Attachment: Sendable {
        package var name: String
        package var contentType: String
        package var data: [UInt8]
        /// An image the HTML shows (`<img src="cid:NAME">`, Kestra's `embeddedImages`) rather than a file to download.
        package var inline: Bool

        package init(name: String, contentType: String = "application/octet-stream", data: [UInt8], inline: Bool = false) {
            self.name = name
            self.contentType = contentType
            self.data = data
            self.inline = inline
        }
    }

    package var from: MailAddress
    package var to: [MailAddress]
    package var cc: [MailAddress]
    /// Receive the message but appear in no header.
    package var bcc: [MailAddress]
    package var subject: String?
    package var plainText: String?
    package var html: String?
    package var attachments: [Attachment]
    package var date: Date
    package var messageID: String

    package init(
        from: MailAddress, to: [MailAddress], cc: [MailAddress] = [], bcc: [MailAddress] = [], subject: String? = nil,
        plainText: String? = nil, html: String? = nil, attachments: [Attachment] = [], date: Date = Date(),
        messageID: String? = nil
    ) {
        self.from = from
        self.to = to
        self.cc = cc
        self.bcc = bcc
        self.subject = subject
        self.plainText = plainText
        self.html = html
        self.attachments = attachments
        self.date = date
        self.messageID = messageID ?? "<\(UUID().uuidString.lowercased())@\(from.domain)>"
    }

    /// Everyone the server is asked to deliver to: To, Cc and Bcc, each address once.
    package var recipients: [String] {
        var seen = Set<String>()
        return (to + cc + bcc).map(\.address).filter { seen.insert($0.lowercased()).inserted }
    }

    /// The message with CRLF line endings. Text parts are quoted-printable UTF-8, attachments base64; an HTML body gets a
    /// plain-text alternative (Kestra's sentence when none is given), and attachments wrap both in multipart/mixed.
    package func rendered() -> String {
        var head = MailHeader.field("Date", Self.rfc5322Date(date))
        head += MailHeader.field("From", from.headerValue)
        if !to.isEmpty { head += MailHeader.field("To", to.map(\.headerValue).joined(separator: ", ")) }
        if !cc.isEmpty { head += MailHeader.field("Cc", cc.map(\.headerValue).joined(separator: ", ")) }
        if let subject { head += MailHeader.field("Subject", MailHeader.text(subject)) }
        head += MailHeader.field("Message-ID", messageID)
        head += MailHeader.field("MIME-Version", "1.0")

        let text = plainText ?? (html == nil ? "" : "Please view this email in a modern email client")
        var body = Self.textPart(text, subtype: "plain")
        if let html {
            body = Self.multipart("alternative", [body, Self.textPart(html, subtype: "html")])
        }
        if !attachments.isEmpty {
            body = Self.multipart("mixed", [body] + attachments.map(Self.attachmentPart))
        }
        return head + body
    }

    /// One MIME entity: its header fields, a blank line, its content.
    private static func textPart(_ text: String, subtype: String) -> String {
        MailHeader.field("Content-Type", "text/\(subtype); charset=UTF-8")
            + MailHeader.field("Content-Transfer-Encoding", "quoted-printable") + "\r\n" + QuotedPrintable.encode(text)
    }

    private static func attachmentPart(_ attachment: Attachment) -> String {
        let name = MailParameter.value("name", attachment.name)
        let filename = MailParameter.value("filename", attachment.name)
        let contentID = attachment.inline ? MailHeader.field("Content-ID", "<\(attachment.name.filter { $0 != "<" && $0 != ">" })>") : ""
        return MailHeader.field("Content-Type", "\(attachment.contentType); \(name)")
            + MailHeader.field("Content-Disposition", "\(attachment.inline ? "inline" : "attachment"); \(filename)") + contentID
            + MailHeader.field("Content-Transfer-Encoding", "base64") + "\r\n"
            + Data(attachment.data).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
            + "\r\n"
    }

    /// The boundary starts with `=_`, which neither quoted-printable nor base64 output can contain.
    private static func multipart(_ subtype: String, _ parts: [String]) -> String {
        let boundary = "=_gatehouse_\(UUID().uuidString.lowercased())"
        var text = MailHeader.field("Content-Type", "multipart/\(subtype); boundary=\"\(boundary)\"") + "\r\n"
        for part in parts {
            text += "--\(boundary)\r\n" + part
            if !part.hasSuffix("\r\n") { text += "\r\n" }
        }
        return text + "--\(boundary)--\r\n"
    }

    /// `Tue, 01 Jan 2030 10:00:00 +0000`.
    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }
}

/// MIME parameters (`filename="…"`), with RFC 2231 `filename*=UTF-8''…` for names that are not plain ASCII.
enum MailParameter {
    static func value(_ name: String, _ value: String) -> String {
        let printable = value.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F }
        if printable {
            return "\(name)=\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$&+-.^_`|~")
        return "\(name)*=UTF-8''" + (value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "file")
    }
}

/// Quoted-printable (RFC 2045 §6.7) for UTF-8 text: lines of at most 76 characters, CRLF line breaks kept as breaks.
enum QuotedPrintable {
    static func encode(_ text: String) -> String {
        let normalised = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        var output = ""
        for line in normalised.split(separator: "\n", omittingEmptySubsequences: false) {
            var current = ""
            let bytes = Array(line.utf8)
            for (index, byte) in bytes.enumerated() {
                let isLast = index == bytes.count - 1
                let literal = (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "=")) || ((byte == 0x20 || byte == 0x09) && !isLast)
                let piece = literal ? String(UnicodeScalar(byte)) : String(format: "=%02X", byte)
                // A soft line break (`=` at the end) keeps each line within 76 characters.
                if current.count + piece.count > 75 {
                    output += current + "=\r\n"
                    current = ""
                }
                current += piece
            }
            output += current + "\r\n"
        }
        return output
    }
}
