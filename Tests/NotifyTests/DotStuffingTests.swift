import Foundation
import Notify
import Testing

@Suite("SMTP dot-stuffing")
struct DotStuffingTests {
    @Test(
        "Line endings become CRLF, leading dots are doubled, and the data ends with CRLF.CRLF",
        arguments: [
            // message, exact data sent after 354
            ("", ".\r\n"),
            ("Hello", "Hello\r\n.\r\n"),
            ("Hello\r\n", "Hello\r\n.\r\n"),
            ("Hello\n", "Hello\r\n.\r\n"),
            ("a\nb\rc\r\nd", "a\r\nb\r\nc\r\nd\r\n.\r\n"),
            ("a\r\r\nb", "a\r\n\r\nb\r\n.\r\n"),
            ("a\n\nb", "a\r\n\r\nb\r\n.\r\n"),
            (".", "..\r\n.\r\n"),
            (".hidden\n..two\nnot.at.start", "..hidden\r\n...two\r\nnot.at.start\r\n.\r\n"),
            ("line\n.\nafter", "line\r\n..\r\nafter\r\n.\r\n"),
            ("line\r.\rafter", "line\r\n..\r\nafter\r\n.\r\n"),
            ("end with dot line\r\n.\r\n", "end with dot line\r\n..\r\n.\r\n"),
            (" .indented", " .indented\r\n.\r\n"),
            ("Grüße\n.für dich ✉️", "Grüße\r\n..für dich ✉️\r\n.\r\n"),
        ]
    )
    func prepare(message: String, expected: String) {
        #expect(DotStuffing.prepare(message) == expected)
    }

    @Test("No bare CR or LF and no lone '.' line survive before the terminator")
    func wireInvariants() {
        let message = "Subject: test\n\n.\r\n..\r.x\n\n\r\r\nlast."
        let data = Array(DotStuffing.prepare(message).utf8)
        #expect(data.suffix(5) == Array("\r\n.\r\n".utf8))
        for (index, byte) in data.enumerated() {
            if byte == 0x0D { #expect(index + 1 < data.count && data[index + 1] == 0x0A, "bare CR at \(index)") }
            if byte == 0x0A { #expect(index > 0 && data[index - 1] == 0x0D, "bare LF at \(index)") }
        }
        let lines = String(decoding: data, as: UTF8.self).components(separatedBy: "\r\n")
        #expect(lines.dropLast(2).allSatisfy { $0 != "." })
    }
}
