import Synchronization

/// Renders Pebble templates as Kestra does: strict variables, no auto-escaping, JSON output for maps and lists.
///
/// Templates are parsed once and cached by their text. Functions that reach the outside world (`secret`, `read`,
/// `now`, ...) are injected by the caller, so the module itself does no I/O.
public struct PebbleEngine: Sendable {
    /// Bounds that keep hostile or mistaken templates from running for ever or exhausting memory.
    public struct Limits: Sendable {
        public var maximumRangeSize = 100_000
        public var maximumIterations = 1_000_000
        public var maximumOutputBytes = 16 * 1024 * 1024
        public var maximumRenderDepth = 8
        public var maximumTemplateLength = 1024 * 1024
        public var cachedTemplates = 4_096

        public init() {}
    }

    public var limits: Limits
    let filters: [String: PebbleFilter]
    let functions: [String: PebbleFunction]
    private let cache: TemplateCache

    /// An engine with the standard filters and functions, plus `functions` and `filters` (which win on a name clash).
    public init(functions: [PebbleFunction] = [], filters: [PebbleFilter] = [], limits: Limits = Limits()) {
        self.limits = limits
        var filterTable: [String: PebbleFilter] = [:]
        for filter in StandardLibrary.filters + filters { filterTable[filter.name] = filter }
        var functionTable: [String: PebbleFunction] = [:]
        for function in StandardLibrary.functions(limits: limits) + functions { functionTable[function.name] = function }
        self.filters = filterTable
        self.functions = functionTable
        self.cache = TemplateCache(capacity: limits.cachedTemplates)
    }

    /// The names of every filter and function, for documentation and suggestions.
    public var filterNames: [String] { filters.keys.sorted() }
    public var functionNames: [String] { functions.keys.sorted() }

    /// Parses `template` (or takes it from the cache); syntax errors carry their line and column.
    public func parse(_ template: String) throws(PebbleError) -> PebbleTemplate {
        if let cached = cache[template] { return cached }
        guard template.utf8.count <= limits.maximumTemplateLength else {
            throw PebbleError(.limit, "the template is longer than \(limits.maximumTemplateLength) bytes")
        }
        let parsed = PebbleTemplate(nodes: try Parser.parse(template))
        cache[template] = parsed
        return parsed
    }

    /// Renders `template` with `variables`.
    public func render(_ template: String, variables: PebbleMap) throws(PebbleError) -> String {
        try render(template, variables: variables, depth: 0)
    }

    func render(_ template: String, variables: PebbleMap, depth: Int) throws(PebbleError) -> String {
        guard depth <= limits.maximumRenderDepth else {
            throw PebbleError(.limit, "`render()` nested more than \(limits.maximumRenderDepth) levels deep")
        }
        // Text without any delimiter is returned as it is, the common case for flow properties.
        guard template.contains("{") else { return template }
        let parsed = try parse(template)
        var evaluator = Evaluator(engine: self, variables: variables, renderDepth: depth)
        try evaluator.render(parsed.nodes)
        return evaluator.output
    }

    /// Renders `template` and judges the text with Kestra's truthiness (for `If`, `Fail` and `runIf`).
    public func isTruthy(_ template: String, variables: PebbleMap) throws(PebbleError) -> Bool {
        PebbleValue.isTruthy(rendered: try render(template, variables: variables))
    }
}

/// A parsed template, ready to render many times.
public struct PebbleTemplate: Sendable {
    let nodes: [Node]
}

/// Parsed templates by their text, bounded; emptied when full, since flows reuse a small set of templates.
final class TemplateCache: Sendable {
    private let storage = Mutex<[String: PebbleTemplate]>([:])
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    subscript(template: String) -> PebbleTemplate? {
        get { storage.withLock { $0[template] } }
        set {
            storage.withLock { table in
                if table.count >= capacity { table.removeAll(keepingCapacity: true) }
                table[template] = newValue
            }
        }
    }
}
