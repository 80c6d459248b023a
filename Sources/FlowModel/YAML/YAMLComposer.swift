import CYaml

/// A problem found while reading YAML text, before any flow schema applies.
public struct YAMLProblem: Sendable, Equatable {
    public let location: SourceLocation
    public let message: String
    /// The property path where the problem sits (`tasks[0].message`), empty when it concerns the whole text.
    public let path: String

    public init(location: SourceLocation, message: String, path: String = "") {
        self.location = location
        self.message = message
        self.path = path
    }
}

/// The result of composing one YAML file: the root node when the text could be read, and every problem found.
public struct YAMLDocument: Sendable {
    public let root: YAMLNode?
    public let problems: [YAMLProblem]
}

/// Composes libyaml's event stream into ``YAMLNode``s without recursion, so hostile input cannot exhaust the stack.
///
/// Yams' own composer stops at the first duplicate key and recurses per nesting level; a validator must report
/// every duplicate and survive "billion laughs" documents, so aliases are counted against a budget instead of
/// being trusted.
public struct YAMLComposer: Sendable {
    /// Deepest nesting of lists and mappings accepted; real flows stay far below it.
    public var maximumDepth = 128
    /// How many nodes aliases may add to the document once expanded.
    public var aliasExpansionBudget = 100_000

    public init() {}

    public func compose(_ bytes: [UInt8]) -> YAMLDocument {
        var session = ComposeSession(maximumDepth: maximumDepth, aliasExpansionBudget: aliasExpansionBudget, bytes: bytes)
        return session.run()
    }

    public func compose(_ text: String) -> YAMLDocument {
        compose(Array(text.utf8))
    }
}

private struct WeightedNode {
    var node: YAMLNode
    /// Nodes in the fully expanded subtree, saturating; aliases count their target's weight again.
    var weight: Int
}

private enum Frame {
    case sequence(items: [YAMLNode], weight: Int, location: SourceLocation, anchor: String?)
    case mapping(entries: [YAMLEntry], weight: Int, location: SourceLocation, anchor: String?, pendingKey: YAMLScalar?, keyWasComplex: Bool)
}

private struct ComposeFailure: Error {
    let problem: YAMLProblem
}

private struct ComposeSession {
    let maximumDepth: Int
    let aliasExpansionBudget: Int
    let bytes: [UInt8]
    var anchors: [String: WeightedNode] = [:]
    var stack: [Frame] = []
    /// The property path of each open container, parallel to `stack`.
    var paths: [String] = []
    var problems: [YAMLProblem] = []
    var physicalNodes = 0
    var expandedNodes = 0

    init(maximumDepth: Int, aliasExpansionBudget: Int, bytes: [UInt8]) {
        self.maximumDepth = maximumDepth
        self.aliasExpansionBudget = aliasExpansionBudget
        self.bytes = bytes
    }

    mutating func run() -> YAMLDocument {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            return YAMLDocument(root: nil, problems: [YAMLProblem(location: .start, message: "out of memory while starting the YAML parser")])
        }
        defer { yaml_parser_delete(&parser) }
        var root: YAMLNode?
        var documents = 0
        do {
            try bytes.withUnsafeBufferPointer { buffer in
                yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
                while true {
                    var event = yaml_event_t()
                    guard yaml_parser_parse(&parser, &event) == 1 else {
                        throw ComposeFailure(problem: Self.parserProblem(parser, bytes: bytes))
                    }
                    defer { yaml_event_delete(&event) }
                    let location = SourceLocation(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
                    switch event.type {
                    case YAML_STREAM_END_EVENT:
                        return
                    case YAML_DOCUMENT_START_EVENT:
                        documents += 1
                        if documents > 1 {
                            throw ComposeFailure(
                                problem: YAMLProblem(
                                    location: location,
                                    message: "a flow file holds exactly one YAML document, but a second one starts here; split it into its own file"
                                ))
                        }
                    case YAML_SCALAR_EVENT:
                        let scalar = YAMLScalar(
                            value: Self.string(event.data.scalar.value, length: event.data.scalar.length),
                            style: Self.style(event.data.scalar.style),
                            tag: Self.optionalString(event.data.scalar.tag),
                            location: location
                        )
                        physicalNodes += 1
                        let node = WeightedNode(node: .scalar(scalar), weight: 1)
                        register(anchor: Self.optionalString(event.data.scalar.anchor), node)
                        if let done = try add(node, location: location) { root = done }
                    case YAML_ALIAS_EVENT:
                        let name = Self.optionalString(event.data.alias.anchor) ?? ""
                        guard let target = anchors[name] else {
                            throw ComposeFailure(
                                problem: YAMLProblem(
                                    location: location,
                                    message: "the alias `*\(name)` refers to no anchor; define `&\(name)` before using it",
                                    path: nextChildPath
                                ))
                        }
                        if let done = try add(target, location: location, isAlias: true) { root = done }
                    case YAML_SEQUENCE_START_EVENT:
                        try push(
                            .sequence(items: [], weight: 1, location: location, anchor: Self.optionalString(event.data.sequence_start.anchor)),
                            at: location)
                    case YAML_MAPPING_START_EVENT:
                        try push(
                            .mapping(
                                entries: [], weight: 1, location: location, anchor: Self.optionalString(event.data.mapping_start.anchor),
                                pendingKey: nil, keyWasComplex: false),
                            at: location
                        )
                    case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                        let finished = try pop()
                        if let done = try add(finished, location: location) { root = done }
                    default:
                        break
                    }
                }
            }
        } catch let failure as ComposeFailure {
            problems.append(failure.problem)
            return YAMLDocument(root: nil, problems: problems)
        } catch {
            problems.append(YAMLProblem(location: .start, message: "could not read the YAML: \(error)"))
            return YAMLDocument(root: nil, problems: problems)
        }
        return YAMLDocument(root: root, problems: problems)
    }

    mutating func push(_ frame: Frame, at location: SourceLocation) throws {
        guard stack.count < maximumDepth else {
            throw ComposeFailure(
                problem: YAMLProblem(
                    location: location,
                    message: "the document nests lists and mappings deeper than \(maximumDepth) levels; flows never need that much, so it is refused"
                ))
        }
        physicalNodes += 1
        paths.append(nextChildPath)
        stack.append(frame)
    }

    mutating func pop() throws -> WeightedNode {
        paths.removeLast()
        switch stack.removeLast() {
        case .sequence(let items, let weight, let location, let anchor):
            let node = WeightedNode(node: .sequence(items, location), weight: weight)
            register(anchor: anchor, node)
            return node
        case .mapping(let entries, let weight, let location, let anchor, _, _):
            let node = WeightedNode(node: .mapping(Self.applyingMergeKeys(entries), location), weight: weight)
            register(anchor: anchor, node)
            return node
        }
    }

    /// Adds a finished node to the open container; returns it when it is the document's root.
    mutating func add(_ node: WeightedNode, location: SourceLocation, isAlias: Bool = false) throws -> YAMLNode? {
        if isAlias {
            expandedNodes = expandedNodes.addingSaturating(node.weight)
            if expandedNodes > aliasExpansionBudget {
                throw ComposeFailure(
                    problem: YAMLProblem(
                        location: location,
                        message:
                            "aliases expand this document to more than \(aliasExpansionBudget) extra nodes (a \"billion laughs\" document?); it is refused",
                        path: nextChildPath
                    ))
            }
        }
        let containerPath = paths.last ?? ""
        guard let top = stack.popLast() else { return node.node }
        switch top {
        case .sequence(var items, let weight, let start, let anchor):
            items.append(node.node)
            stack.append(.sequence(items: items, weight: weight.addingSaturating(node.weight), location: start, anchor: anchor))
        case .mapping(var entries, let weight, let start, let anchor, let pendingKey, let keyWasComplex):
            let newWeight = weight.addingSaturating(node.weight)
            if let key = pendingKey {
                if let first = entries.first(where: { $0.key.value == key.value }), key.value != "<<" {
                    problems.append(
                        YAMLProblem(
                            location: key.location,
                            message:
                                "duplicate key `\(key.value)`; it is already defined at line \(first.key.location.line), column \(first.key.location.column)",
                            path: Path.child(containerPath, key.value)
                        ))
                } else {
                    entries.append(YAMLEntry(key: key, value: node.node))
                }
                stack.append(.mapping(entries: entries, weight: newWeight, location: start, anchor: anchor, pendingKey: nil, keyWasComplex: false))
            } else if keyWasComplex {
                // The value of a key we already rejected: drop it.
                stack.append(.mapping(entries: entries, weight: newWeight, location: start, anchor: anchor, pendingKey: nil, keyWasComplex: false))
            } else if case .scalar(let key) = node.node {
                stack.append(.mapping(entries: entries, weight: newWeight, location: start, anchor: anchor, pendingKey: key, keyWasComplex: false))
            } else {
                problems.append(
                    YAMLProblem(
                        location: node.node.location,
                        message: "a mapping key must be a plain name, but this key is \(node.node.kindDescription)",
                        path: containerPath
                    ))
                stack.append(.mapping(entries: entries, weight: newWeight, location: start, anchor: anchor, pendingKey: nil, keyWasComplex: true))
            }
        }
        return nil
    }

    /// The property path of the next node added to the open container.
    var nextChildPath: String {
        guard let top = stack.last, let path = paths.last else { return "" }
        switch top {
        case .sequence(let items, _, _, _): return Path.index(path, items.count)
        case .mapping(_, _, _, _, let pendingKey, _): return pendingKey.map { Path.child(path, $0.value) } ?? path
        }
    }

    mutating func register(anchor: String?, _ node: WeightedNode) {
        if let anchor { anchors[anchor] = node }
    }

    /// YAML 1.1 merge keys (`<<: *defaults`), which Kestra's parser honours: explicit keys win over merged ones.
    static func applyingMergeKeys(_ entries: [YAMLEntry]) -> [YAMLEntry] {
        guard entries.contains(where: { $0.key.value == "<<" && $0.key.style == .plain }) else { return entries }
        var result = entries.filter { !($0.key.value == "<<" && $0.key.style == .plain) }
        var present = Set(result.map(\.key.value))
        for entry in entries where entry.key.value == "<<" && entry.key.style == .plain {
            let sources: [YAMLNode]
            switch entry.value {
            case .mapping: sources = [entry.value]
            case .sequence(let items, _): sources = items
            case .scalar: sources = []
            }
            for case .mapping(let merged, _) in sources {
                for item in merged where !present.contains(item.key.value) {
                    result.append(item)
                    present.insert(item.key.value)
                }
            }
        }
        return result
    }

    static func parserProblem(_ parser: yaml_parser_t, bytes: [UInt8]) -> YAMLProblem {
        let problem = optionalCString(parser.problem) ?? "unknown problem"
        if parser.error == YAML_READER_ERROR {
            let offset = min(Int(parser.problem_offset), bytes.count)
            let location = locationOf(offset: offset, in: bytes)
            let detail =
                problem == "invalid leading UTF-8 octet" || problem.contains("UTF-8")
                ? "the file is not UTF-8 text (\(problem) at byte \(offset)); is it a binary file?"
                : "the file cannot be read as text: \(problem) at byte \(offset)"
            return YAMLProblem(location: location, message: detail)
        }
        let mark = parser.problem_mark
        let problemLocation = SourceLocation(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
        let context = optionalCString(parser.context)
        let contextLocation = SourceLocation(line: Int(parser.context_mark.line) + 1, column: Int(parser.context_mark.column) + 1)
        // Running off the end of the file is noticed at the end; the mistake is where the unfinished thing began.
        if problem.contains("end of stream"), let context {
            return YAMLProblem(
                location: contextLocation,
                message: "invalid YAML: \(context) that starts here, found the end of the file; is a closing quote or bracket missing?"
            )
        }
        // An unclosed `[` or `{` is noticed far below; point at the bracket that was never closed.
        if let context, context.hasPrefix("while parsing a flow") {
            let (what, bracket, closer) = context.contains("sequence") ? ("list", "[", "]") : ("mapping", "{", "}")
            return YAMLProblem(
                location: contextLocation,
                message: "invalid YAML: the \(what) opened with `\(bracket)` here is not closed: expected `,` or `\(closer)` "
                    + "before line \(problemLocation.line), column \(problemLocation.column)"
            )
        }
        var message = "invalid YAML: \(problem)"
        if let context {
            message += " \(context) (line \(contextLocation.line), column \(contextLocation.column))"
        }
        if problem.hasPrefix("did not find expected") || problem.contains("mapping values are not allowed") {
            message += "; check the indentation of this line and the lines before it"
        }
        return YAMLProblem(location: problemLocation, message: message)
    }

    static func locationOf(offset: Int, in bytes: [UInt8]) -> SourceLocation {
        var line = 1
        var lineStart = 0
        for index in 0..<offset where bytes[index] == UInt8(ascii: "\n") {
            line += 1
            lineStart = index + 1
        }
        let column = String(decoding: bytes[lineStart..<offset], as: UTF8.self).unicodeScalars.count + 1
        return SourceLocation(line: line, column: column)
    }

    static func style(_ style: yaml_scalar_style_t) -> YAMLScalar.Style {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: .literal
        case YAML_FOLDED_SCALAR_STYLE: .folded
        default: .plain
        }
    }

    static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?, length: Int) -> String {
        guard let pointer else { return "" }
        return String(decoding: UnsafeBufferPointer(start: pointer, count: length), as: UTF8.self)
    }

    static func optionalString(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }

    static func optionalCString(_ pointer: UnsafePointer<CChar>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }
}

extension Int {
    func addingSaturating(_ other: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? Int.max : sum
    }
}
