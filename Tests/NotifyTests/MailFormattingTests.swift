import Foundation
import Testing

@testable import Notify

/// Header encoding, addresses, quoted-printable and reply parsing, each checked on its own.
@Suite("Mail formatting")
struct MailFormattingTests {
    @Test("encoded words stay within 75 characters, never split a character, and decode to the text")
    func encodedWords() throws {
        let text = String(repeating: "Grüße ✓ 日本語 ", count: 8)
        let words = MailHeader.encodedWords(text).split(separator: " ")
        #expect(words.count > 1)
        var decoded: [UInt8] = []
        for word in words {
            #expect(word.count <= 75)
            let payload = try #require(Data(base64Encoded: String(word.dropFirst(10).dropLast(2))))
            #expect(String(data: payload, encoding: .utf8) != nil, "each word holds whole characters")
            decoded += payload
        }
        #expect(String(decoding: decoded, as: UTF8.self) == text)
    }

    @Test("header fields: line breaks cannot start a new header; long values fold, never right after the name")
    func fields() {
        #expect(MailHeader.field("Subject", "hi\r\nBcc: evil@example.com") == "Subject: hi Bcc: evil@example.com\r\n")
        let folded = MailHeader.field("Subject", MailHeader.text(String(repeating: "é", count: 60)))
        #expect(folded.hasPrefix("Subject: =?UTF-8?B?"))
        #expect(folded.components(separatedBy: "\r\n").dropLast().allSatisfy { $0.count <= 86 })
        #expect(MailHeader.phrase("Doe, Jane") == #""Doe, Jane""#)
        #expect(MailHeader.phrase("Jane Doe") == "Jane Doe")
    }

    @Test(
        "addresses: display names, quoted names, and refusals of what could inject headers or commands",
        arguments: [
            ("jane@example.com", MailAddress(address: "jane@example.com")),
            ("Jane Doe <jane@example.com>", MailAddress(displayName: "Jane Doe", address: "jane@example.com")),
            (#""Doe, \"JD\" Jane" <jane@example.com>"#, MailAddress(displayName: #"Doe, "JD" Jane"#, address: "jane@example.com")),
            ("jane@example.com>\r\nRCPT TO:<x@y.z", nil),
            ("not an address", nil),
            ("<@example.com>", nil),
        ] as [(String, MailAddress?)]
    )
    func addresses(text: String, expected: MailAddress?) {
        #expect(MailAddress(parsing: text) == expected)
    }

    @Test("quoted-printable keeps lines within 76 characters and encodes '=' and non-ASCII")
    func quotedPrintable() {
        let encoded = QuotedPrintable.encode(String(repeating: "a=é ", count: 40) + "\nend ")
        #expect(encoded.components(separatedBy: "\r\n").allSatisfy { $0.count <= 76 })
        #expect(encoded.hasPrefix("a=3D=C3=A9 a=3D"))
        #expect(encoded.hasSuffix("end=20\r\n"))
    }

    @Test("SMTP replies: multi-line replies end at the line without '-'; garbage is an error")
    func replies() throws {
        var parser = SMTPReplyParser()
        parser.append(Array("250-mail.example.com\r\n250-STARTTLS\r\n250 AUTH PLAIN LOGIN\r\n220 ".utf8))
        #expect(try parser.next() == SMTPReply(code: 250, lines: ["mail.example.com", "STARTTLS", "AUTH PLAIN LOGIN"]))
        #expect(try parser.next() == nil)
        parser.append(Array("ready\r\n".utf8))
        #expect(try parser.next() == SMTPReply(code: 220, lines: ["ready"]))
        var broken = SMTPReplyParser()
        broken.append(Array("HTTP/1.1 400 Bad Request\r\n".utf8))
        #expect(throws: SMTPReplyParser.ParseError.self) { try broken.next() }
    }
}
