import Foundation

/// The outcome of reading one flow file: the model when it has no errors, and every diagnostic found.
public struct FlowParseResult: Sendable {
    public let flow: Flow?
    public let diagnostics: [Diagnostic]

    public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    public var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }
}

/// Turns Kestra flow YAML into a ``Flow``, reporting every problem with its line, column and property path.
public struct FlowParser: Sendable {
    /// Larger files are refused before parsing; real flows are a few kilobytes.
    public var maximumFileSize = 16 * 1024 * 1024
    public var composer = YAMLComposer()

    public init() {}

    public func parse(source: String, file: String) -> FlowParseResult {
        parse(bytes: Array(source.utf8), file: file)
    }

    public func parse(bytes: [UInt8], file: String) -> FlowParseResult {
        guard bytes.count <= maximumFileSize else {
            let context = ReadContext(file: file)
            context.error(.start, "", "the file is \(bytes.count / 1_048_576) MiB; flows larger than \(maximumFileSize / 1_048_576) MiB are refused")
            return FlowParseResult(flow: nil, diagnostics: context.diagnostics)
        }
        let context = ReadContext(file: file, text: String(decoding: bytes, as: UTF8.self))
        let document = composer.compose(bytes)
        for problem in document.problems {
            context.error(problem.location, problem.path, problem.message)
        }
        guard let root = document.root else {
            if document.problems.isEmpty {
                context.error(.start, "", "the file is empty; a flow needs at least `id`, `namespace` and `tasks`")
            }
            return FlowParseResult(flow: nil, diagnostics: context.diagnostics)
        }
        if case .scalar(let scalar) = root, scalar.isNull {
            context.error(root.location, "", "the file is empty; a flow needs at least `id`, `namespace` and `tasks`")
            return FlowParseResult(flow: nil, diagnostics: context.diagnostics)
        }
        let flow = context.flow(context.applyingPluginDefaults(to: root))
        // A plugin default injected into several tasks is read once per task; its problem is reported once.
        var seen: Set<Diagnostic> = []
        let diagnostics = context.diagnostics.filter {
            seen.insert(Diagnostic(file: $0.file, location: $0.location, severity: $0.severity, path: "", message: $0.message)).inserted
        }.sorted {
            ($0.line, $0.column, $0.severity == .error ? 0 : 1) < ($1.line, $1.column, $1.severity == .error ? 0 : 1)
        }
        let hasErrors = diagnostics.contains { $0.severity == .error }
        return FlowParseResult(flow: hasErrors ? nil : flow, diagnostics: diagnostics)
    }

    /// Reads and parses a file from disk; unreadable files become a diagnostic, never a crash.
    public func parse(fileAt url: URL, displayPath: String? = nil) -> FlowParseResult {
        let name = displayPath ?? url.path
        do {
            let data = try Data(contentsOf: url)
            return parse(bytes: [UInt8](data), file: name)
        } catch {
            let context = ReadContext(file: name)
            context.error(.start, "", "cannot read the file: \(error.localizedDescription)")
            return FlowParseResult(flow: nil, diagnostics: context.diagnostics)
        }
    }
}
