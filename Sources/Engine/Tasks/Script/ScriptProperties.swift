import FlowModel
import Pebble

/// The properties of a shell Commands or Script task or a TerraformCLI task (KESTRA.md §5.3), rendered for one attempt.
struct ScriptProperties {
    var beforeCommands: [String]
    var commands: [String]
    /// The Script task's script.
    var script: String?
    var interpreter: [String]
    var env: [String: String]
    /// Kestra's `failFast` (default true): the commands run after `set -e`.
    var failFast: Bool
    var outputFiles: [String]
    /// `inputFiles` entries: a file name and its content or a `kestra:///` URI.
    var inputFiles: [(name: String, value: String)]
    var namespaceFiles: NamespaceFileOptions?
    /// What the task asked to run in, when that is not the host: it is said in the log, then ignored.
    var container: String?

    static let defaultInterpreter = ["/bin/sh", "-c"]

    init(_ task: Task, engine: PebbleEngine, variables: PebbleMap) throws {
        let render = { (text: String) throws -> String in try engine.render(text, variables: variables) }
        func strings(_ name: String) throws -> [String] {
            try (task.properties[name]?.listValue ?? []).compactMap(\.stringValue).map(render)
        }
        beforeCommands = try strings("beforeCommands")
        commands = try strings("commands")
        script = try task.string("script").map(render)
        interpreter = try strings("interpreter")
        if interpreter.isEmpty { interpreter = Self.defaultInterpreter }
        env = [:]
        for entry in task.properties["env"]?.mapEntries ?? [] {
            env[entry.key] = try render(entry.value.stringValue ?? entry.value.displayString)
        }
        failFast = task.properties["failFast"]?.boolValue ?? true
        outputFiles = try strings("outputFiles")
        inputFiles = try Self.inputFiles(task.properties["inputFiles"], render: render)
        namespaceFiles = try task.properties["namespaceFiles"].map { try NamespaceFileOptions($0, render: render) }
        container = try Self.container(task, render: render)
    }

    /// The argument the interpreter runs: `set -e` when failing fast, the before commands, then the commands, a line
    /// each (Kestra's ScriptService.scriptCommands).
    func commandText(running commands: [String]) -> String {
        ((failFast ? ["set -e"] : []) + beforeCommands + commands).joined(separator: "\n")
    }

    /// `inputFiles` as a map of names to contents or URIs, or as a string that renders to a JSON object of them.
    private static func inputFiles(_ value: FlowValue?, render: (String) throws -> String) throws -> [(name: String, value: String)] {
        switch value {
        case nil:
            return []
        case .map(let entries)?:
            return try entries.map { entry in
                let content: String
                switch entry.value {
                case .string(let text): content = try render(text)
                case .map, .list: content = PebbleValue(entry.value).json
                default: content = entry.value.displayString
                }
                return (try render(entry.key), content)
            }
        case .string(let text)?:
            let rendered = try render(text)
            guard case .map(let map)? = try? PebbleValue.fromJSON(rendered) else {
                throw ScriptError.invalidProperty(
                    name: "inputFiles",
                    problem: "must be a map of file names to contents, or render to a JSON object; it rendered `\(rendered.prefix(200))`")
            }
            return map.pairs.map { ($0.key, $0.value.stringValue ?? $0.value.json) }
        default:
            throw ScriptError.invalidProperty(name: "inputFiles", problem: "must be a map of file names to contents")
        }
    }

    private static func container(_ task: Task, render: (String) throws -> String) throws -> String? {
        let runnerType = task.properties["taskRunner"]?["type"]?.stringValue
        if runnerType == "io.kestra.plugin.core.runner.Process" || task.string("runner") == "PROCESS" { return nil }
        if let image = task.string("containerImage") { return "containerImage `\(try render(image))`" }
        if runnerType != nil { return "the Docker task runner" }
        if task.string("runner") == "DOCKER" || task.properties["docker"] != nil { return "the DOCKER runner" }
        return "a container"
    }
}

/// A task's `namespaceFiles`: which files of which namespaces' folders are copied into the working directory.
struct NamespaceFileOptions {
    var enabled = true
    var include: [String] = []
    var exclude: [String] = []
    /// OVERWRITE (default), FAIL, WARN (keep the existing file, say so) or IGNORE (keep it silently).
    var ifExists = "OVERWRITE"
    var folderPerNamespace = false
    /// The namespaces to copy from; empty means the flow's own.
    var namespaces: [String] = []

    init(_ value: FlowValue, render: (String) throws -> String) throws {
        func strings(_ name: String) throws -> [String] {
            try (value[name]?.listValue ?? []).compactMap(\.stringValue).map(render)
        }
        enabled = value["enabled"]?.boolValue ?? true
        include = try strings("include")
        exclude = try strings("exclude")
        ifExists = value["ifExists"]?.stringValue ?? "OVERWRITE"
        folderPerNamespace = value["folderPerNamespace"]?.boolValue ?? false
        namespaces = try strings("namespaces")
    }
}
