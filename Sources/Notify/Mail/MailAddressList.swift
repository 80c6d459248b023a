/// The recipients of a Kestra `MailSend`/`MailExecution` `to` or `cc` property: one string, addresses separated by
/// `;` (Kestra's documented delimiter) or `,`.
package struct MailAddressList: Sendable, Equatable {
    /// The addresses in the order written, each trimmed, without empty entries.
    package let addresses: [String]

    /// Splits `text` on `;` and `,`, except inside a quoted display name or angle brackets (`"Doe, Jane" <jane@x.org>`).
    package init(parsing text: String) {
        var addresses: [String] = []
        var current = ""
        var inQuotes = false
        var inAngleBrackets = false
        var escaped = false

        func finishAddress() {
            let trimmed = current.trimmingSpaces()
            if !trimmed.isEmpty {
                addresses.append(trimmed)
            }
            current = ""
        }

        for character in text {
            if escaped {
                escaped = false
                current.append(character)
                continue
            }
            if (character == ";" || character == ",") && !inQuotes && !inAngleBrackets {
                finishAddress()
                continue
            }
            switch character {
            case "\\" where inQuotes:
                escaped = true
            case "\"" where !inAngleBrackets:
                inQuotes.toggle()
            case "<" where !inQuotes:
                inAngleBrackets = true
            case ">" where !inQuotes:
                inAngleBrackets = false
            default:
                break
            }
            current.append(character)
        }
        finishAddress()
        self.addresses = addresses
    }

    /// Whether the list has no address at all.
    package var isEmpty: Bool { addresses.isEmpty }
}
