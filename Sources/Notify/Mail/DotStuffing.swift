/// Prepares a message for the SMTP `DATA` command (RFC 5321 §4.5.2): CRLF line endings, transparency dots, and the
/// terminating `.` line.
package enum DotStuffing {
    /// Returns the exact text to send after the server's `354` reply, ending with `"\r\n.\r\n"`.
    ///
    /// Bare CR and bare LF become CRLF (RFC 5321 §2.3.8 forbids them on the wire), a line starting with "." gets a
    /// second ".", and a body that already ends with a line break gets only the final `.` line, not an empty line.
    package static func prepare(_ message: String) -> String {
        let crlf: [UInt8] = [0x0D, 0x0A]
        var output: [UInt8] = []
        output.reserveCapacity(message.utf8.count + message.utf8.count / 32 + 5)
        var atLineStart = true
        var pendingCR = false

        // Bytes, not Characters: Swift treats "\r\n" as one Character, and "." and line breaks are single bytes in
        // UTF-8 that never occur inside a multi-byte sequence.
        for byte in message.utf8 {
            if pendingCR {
                pendingCR = false
                output += crlf
                atLineStart = true
                if byte == 0x0A { continue }
            }
            switch byte {
            case 0x0D:
                pendingCR = true
            case 0x0A:
                output += crlf
                atLineStart = true
            default:
                if atLineStart && byte == UInt8(ascii: ".") {
                    output.append(UInt8(ascii: "."))
                }
                output.append(byte)
                atLineStart = false
            }
        }
        if pendingCR {
            output += crlf
            atLineStart = true
        }
        if !atLineStart {
            output += crlf
        }
        output += [UInt8(ascii: ".")] + crlf
        return String(decoding: output, as: UTF8.self)
    }
}
