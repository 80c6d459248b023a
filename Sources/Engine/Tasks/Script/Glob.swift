import Foundation

/// A file pattern as Kestra reads `outputFiles` and namespace file `include`/`exclude` (Java's `glob:` syntax), matched
/// against a path relative to a folder: `*` and `?` stay within one folder, `**` crosses folders, `[a-z]`/`[!a]` are
/// character classes, `{a,b}` alternatives, and `\` escapes the next character.
struct Glob {
    let pattern: String
    private let expression: NSRegularExpression

    init(_ pattern: String) throws(ScriptError) {
        self.pattern = pattern
        do {
            expression = try NSRegularExpression(pattern: "^" + Self.regularExpression(for: pattern) + "$")
        } catch {
            throw .invalidProperty(name: "glob", problem: "`\(pattern)` is not a valid file pattern")
        }
    }

    func matches(_ path: String) -> Bool {
        expression.firstMatch(in: path, range: NSRange(path.startIndex..., in: path)) != nil
    }

    private static func regularExpression(for pattern: String) -> String {
        var result = ""
        var characters = Array(pattern.hasPrefix("/") ? String(pattern.dropFirst()) : pattern)[...]
        var inGroup = false
        while let character = characters.popFirst() {
            switch character {
            case "*":
                if characters.first == "*" {
                    characters.removeFirst()
                    result += ".*"
                } else {
                    result += "[^/]*"
                }
            case "?": result += "[^/]"
            case "{":
                inGroup = true
                result += "(?:"
            case "}" where inGroup:
                inGroup = false
                result += ")"
            case "," where inGroup: result += "|"
            case "[":
                result += "["
                if characters.first == "!" {
                    characters.removeFirst()
                    result += "^"
                }
                while let next = characters.popFirst(), next != "]" {
                    result += next == "\\" || next == "[" ? "\\\(next)" : String(next)
                }
                result += "]"
            case "\\":
                if let next = characters.popFirst() { result += NSRegularExpression.escapedPattern(for: String(next)) }
            default:
                result += NSRegularExpression.escapedPattern(for: String(character))
            }
        }
        return result
    }

    /// The regular files below `folder` (relative paths, sorted) that match one of `include` (all when it is empty) and
    /// none of `exclude`. Symbolic links are never followed nor returned, so a link cannot pull a file from elsewhere.
    static func files(in folder: URL, include: [Glob], exclude: [Glob] = []) -> [String] {
        let base = folder.standardizedFileURL.path + "/"
        let keys: [URLResourceKey] = [.isRegularFileKey, .isSymbolicLinkKey]
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: keys) else { return [] }
        var found: [String] = []
        for case let url as URL in walker {
            guard let values = try? url.resourceValues(forKeys: Set(keys)), values.isSymbolicLink != true else {
                walker.skipDescendants()
                continue
            }
            let path = url.standardizedFileURL.path
            guard values.isRegularFile == true, path.hasPrefix(base) else { continue }
            let relative = String(path.dropFirst(base.count))
            if include.isEmpty || include.contains(where: { $0.matches(relative) }), !exclude.contains(where: { $0.matches(relative) }) {
                found.append(relative)
            }
        }
        return found.sorted()
    }
}
