/// Why secrets could not be loaded.
package enum SecretError: Error, Equatable, CustomStringConvertible {
    /// `GATEHOUSE_SECRETS_FILE` names a file that does not exist.
    case fileNotFound(path: String)
    case unreadableFile(path: String, reason: String)
    /// Every malformed line of the file, in order.
    case invalidFile([SecretFileProblem])

    package var description: String {
        switch self {
        case .fileNotFound(let path):
            "\(path): no such secrets file; create it or unset \(SecretStore.fileVariable)"
        case .unreadableFile(let path, let reason):
            "\(path): cannot read the secrets file: \(reason)"
        case .invalidFile(let problems):
            problems.map(\.description).joined(separator: "\n")
        }
    }
}

/// One malformed line of a secrets file.
package struct SecretFileProblem: Sendable, Equatable, CustomStringConvertible {
    package enum Kind: Sendable, Equatable {
        case missingEquals
        case invalidName(String)
        case duplicateName(String, firstLine: Int)
        case unterminatedQuote
        case textAfterQuote
        case unknownEscape(String)
    }

    package let path: String
    package let line: Int
    package let kind: Kind

    /// `file:line: what is wrong`, never the value itself, which may be a secret.
    package var description: String {
        let message =
            switch kind {
            case .missingEquals:
                "expected `NAME=value`, but the line has no `=`"
            case .invalidName(let name):
                name.isEmpty
                    ? "the line has no name before `=`"
                    : "`\(name)` is not a valid secret name: use letters, digits and `_`, not starting with a digit"
            case .duplicateName(let name, let firstLine):
                "`\(name)` is already defined on line \(firstLine) (names are case-insensitive)"
            case .unterminatedQuote:
                "the quoted value has no closing quote; values cannot span lines, write `\\n` inside double quotes"
            case .textAfterQuote:
                "unexpected text after the closing quote"
            case .unknownEscape(let escape):
                "unknown escape `\(escape)` in double quotes; write `\\\\` for a backslash, or use single quotes"
            }
        return "\(path):\(line): \(message)"
    }
}
