import Foundation

/// Gatehouse's secrets file: one `NAME=value` a line, for secrets an operator would rather keep in a file with
/// tight permissions than in the process environment.
///
/// - Blank lines and lines whose first non-blank character is `#` are ignored. There are no trailing comments: a `#`
///   after the `=` belongs to the value, because passwords contain them.
/// - `NAME` is a letter or `_` followed by letters, digits and `_`; spaces around it and around `=` are ignored.
///   Names are case-insensitive (`secret('token')` reads `TOKEN`), so `token` and `TOKEN` on two lines are a
///   duplicate, which is an error rather than a silent override.
/// - An unquoted value runs to the end of the line, without surrounding spaces. In single quotes the value is taken
///   as written; in double quotes `\n`, `\r`, `\t`, `\"` and `\\` are unescaped, which is how a multi-line value such
///   as a PEM key fits on one line. Nothing but spaces may follow the closing quote.
/// - Values are plain text, not base64 as in `SECRET_*` variables: the file exists so people need not encode them.
package enum SecretsFile {
    /// One secret read from the file, with the line that defines it.
    package struct Entry: Sendable, Equatable {
        package let name: String
        package let value: String
        package let line: Int
    }

    /// Reads the file at `path`; every malformed line is reported, not only the first.
    package static func read(path: String) throws(SecretError) -> [Entry] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw FileManager.default.fileExists(atPath: path)
                ? .unreadableFile(path: path, reason: error.localizedDescription) : .fileNotFound(path: path)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .unreadableFile(path: path, reason: "it is not UTF-8 text")
        }
        return try parse(text, path: path)
    }

    package static func parse(_ text: String, path: String) throws(SecretError) -> [Entry] {
        var entries: [Entry] = []
        var problems: [SecretFileProblem] = []
        var firstLine: [String: Int] = [:]
        let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        // Swift reads `\r\n` as one Character, so a split on `\n` alone would glue CRLF lines together.
        for (index, line) in body.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            let number = index + 1
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard let equals = trimmed.firstIndex(of: "=") else {
                problems.append(SecretFileProblem(path: path, line: number, kind: .missingEquals))
                continue
            }
            let name = trimmed[..<equals].trimmingCharacters(in: .whitespaces)
            guard isValidName(name) else {
                problems.append(SecretFileProblem(path: path, line: number, kind: .invalidName(name)))
                continue
            }
            let value: String
            switch parseValue(trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: .whitespaces)) {
            case .value(let parsed): value = parsed
            case .problem(let kind):
                problems.append(SecretFileProblem(path: path, line: number, kind: kind))
                continue
            }
            let key = name.uppercased()
            if let first = firstLine[key] {
                problems.append(SecretFileProblem(path: path, line: number, kind: .duplicateName(name, firstLine: first)))
                continue
            }
            firstLine[key] = number
            entries.append(Entry(name: key, value: value, line: number))
        }
        guard problems.isEmpty else { throw .invalidFile(problems) }
        return entries
    }

    static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }

    private static func parseValue(_ text: String) -> ParsedValue {
        guard let quote = text.first, quote == "\"" || quote == "'" else { return .value(text) }
        var value = ""
        var iterator = text.dropFirst().makeIterator()
        while let character = iterator.next() {
            if character == quote {
                let rest = String(IteratorSequence(iterator))
                return rest.trimmingCharacters(in: .whitespaces).isEmpty ? .value(value) : .problem(.textAfterQuote)
            }
            guard quote == "\"", character == "\\" else {
                value.append(character)
                continue
            }
            switch iterator.next() {
            case "n": value.append("\n")
            case "r": value.append("\r")
            case "t": value.append("\t")
            case "\"": value.append("\"")
            case "\\": value.append("\\")
            case let other?: return .problem(.unknownEscape("\\" + String(other)))
            case nil: return .problem(.unterminatedQuote)
            }
        }
        return .problem(.unterminatedQuote)
    }

    private enum ParsedValue {
        case value(String)
        case problem(SecretFileProblem.Kind)
    }
}
