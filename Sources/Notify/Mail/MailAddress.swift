/// One mailbox: an optional display name and the address (`Jane Doe <jane@example.com>` or `jane@example.com`).
package struct MailAddress: Sendable, Equatable {
    package let displayName: String?
    /// The addr-spec, as sent in `MAIL FROM:<…>` and `RCPT TO:<…>`.
    package let address: String

    package init(displayName: String? = nil, address: String) {
        self.displayName = displayName
        self.address = address
    }

    /// Reads one entry of a ``MailAddressList``; nil when it has no usable address. Line breaks, control characters and
    /// angle brackets or spaces inside the address are refused, so nothing from a flow can add a header or an SMTP command.
    package init?(parsing text: String) {
        guard !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return nil }
        var name: String?
        var address = text.trimmingSpaces()
        if let open = text.lastIndex(of: "<"), let close = text.lastIndex(of: ">"), open < close,
            String(text[text.index(after: close)...]).trimmingSpaces().isEmpty
        {
            address = String(text[text.index(after: open)..<close]).trimmingSpaces()
            var display = String(text[..<open]).trimmingSpaces()
            if display.count >= 2, display.hasPrefix("\""), display.hasSuffix("\"") {
                display = String(display.dropFirst().dropLast()).replacingEscapes()
            }
            name = display.isEmpty ? nil : display
        }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count >= 2, !parts[0].isEmpty, !parts[parts.count - 1].isEmpty,
            !address.contains(where: { $0 == " " || $0 == "<" || $0 == ">" || $0 == "," || $0 == ";" })
        else { return nil }
        self.init(displayName: name, address: address)
    }

    /// The domain part, for the Message-ID.
    package var domain: String { String(address[address.index(after: address.lastIndex(of: "@")!)...]) }

    /// The mailbox as a header value: the name quoted where needed, or RFC 2047-encoded when it is not ASCII.
    package var headerValue: String {
        guard let displayName else { return address }
        return "\(MailHeader.phrase(displayName)) <\(address)>"
    }
}

extension String {
    func trimmingSpaces() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[first...last])
    }

    fileprivate func replacingEscapes() -> String {
        var result = ""
        var escaped = false
        for character in self {
            if !escaped && character == "\\" {
                escaped = true
                continue
            }
            escaped = false
            result.append(character)
        }
        return result
    }
}
