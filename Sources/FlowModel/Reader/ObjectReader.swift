import Pebble

/// Reads one YAML mapping strictly: every key must be asked for by the schema, or it is reported as unknown.
struct ObjectReader {
    let context: ReadContext
    let entries: [YAMLEntry]
    let location: SourceLocation
    let path: String
    /// What the mapping is, for messages: "flow", "task of type io.kestra.plugin.core.log.Log".
    let what: String
    private var known: [String] = []
    private var used: Set<String> = []
    /// Required properties that are missing while a misspelling of them may be present; `finish` decides.
    private var possiblyMisspelled: [String] = []

    /// nil (after reporting it) when `node` is not a mapping.
    init?(_ node: YAMLNode, path: String, what: String, context: ReadContext) {
        guard case .mapping(let entries, let location) = node else {
            context.error(node.location, path, "\(what) must be a mapping of properties, but got \(node.kindDescription)")
            return nil
        }
        self.context = context
        self.entries = entries
        self.location = location
        self.path = path
        self.what = what
    }

    var keys: [String] { entries.map(\.key.value) }

    /// The value of `name` (or one of its older spellings), marking them known.
    ///
    /// `listed: false` reads a property that is always rejected, without offering it in "known properties" lists.
    mutating func take(
        _ name: String,
        aliases: [String] = [],
        required: Bool = false,
        listed: Bool = true
    ) -> (node: YAMLNode, path: String)? {
        if listed {
            known.append(name)
            known.append(contentsOf: aliases)
        }
        let matches = entries.filter { $0.key.value == name || aliases.contains($0.key.value) }
        for match in matches { used.insert(match.key.value) }
        if matches.count > 1, let second = matches.dropFirst().first {
            context.error(
                second.key.location, Path.child(path, second.key.value),
                "`\(matches[0].key.value)` and `\(second.key.value)` are two spellings of the same property; keep only `\(name)`"
            )
        }
        guard let entry = matches.first else {
            if required {
                // `mesage:` next to a missing `message` is one mistake; the unknown-key hint says it best.
                if entries.contains(where: { Suggestion.closest(to: $0.key.value, among: [name]) != nil }) {
                    possiblyMisspelled.append(name)
                } else {
                    context.error(location, Path.child(path, name), "missing required property `\(name)` in \(what)")
                }
            }
            return nil
        }
        if required, entry.value.scalar?.isNull == true {
            context.error(entry.value.location, Path.child(path, name), "`\(name)` is required in \(what), but it has no value")
            return nil
        }
        return (entry.value, Path.child(path, name))
    }

    /// Marks properties as known without reading them (reported elsewhere or deliberately ignored).
    mutating func accept(_ names: [String]) {
        for name in names {
            known.append(name)
            used.insert(name)
        }
    }

    func has(_ name: String) -> Bool { entries.contains { $0.key.value == name } }

    /// Where the key `name` is written, for problems with the property itself rather than its value.
    func keyLocation(of name: String) -> SourceLocation? {
        entries.first { $0.key.value == name }?.key.location
    }

    /// Reports every key that no read asked for, suggesting the closest known name, and the missing required
    /// properties that no unknown key is a misspelling of.
    ///
    /// `reportUnknown: false` is for readers abandoned early (an unsupported type), whose other keys mean nothing.
    func finish(reportUnknown: Bool = true) {
        var suggested: Set<String> = []
        if reportUnknown {
            for entry in entries where !used.contains(entry.key.value) && !known.contains(entry.key.value) {
                let name = entry.key.value
                var message = "unknown property `\(name)` in \(what)"
                if let suggestion = Suggestion.closest(to: name, among: known) {
                    message += "; did you mean `\(suggestion)`?"
                    suggested.insert(suggestion)
                } else {
                    message += "; known properties are: " + Array(Set(known)).sorted().joined(separator: ", ")
                }
                context.error(entry.key.location, Path.child(path, name), message)
            }
        }
        for name in possiblyMisspelled where !suggested.contains(name) {
            context.error(location, Path.child(path, name), "missing required property `\(name)` in \(what)")
        }
    }
}

/// The closest spelling among known names, for "did you mean" hints; shared with Pebble's unknown-name hints.
typealias Suggestion = Suggestions
