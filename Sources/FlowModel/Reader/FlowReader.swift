/// Reads the flow document itself and puts the model together.
extension ReadContext {
    /// Flow ids that Kestra 2.0 reserves for its own API routes.
    static let reservedFlowIDs: Set<String> = [
        "pause", "resume", "force-run", "change-status", "kill", "executions", "search", "source", "disable", "enable",
    ]

    func flow(_ root: YAMLNode) -> Flow? {
        guard var reader = ObjectReader(root, path: "", what: "the flow", context: self) else { return nil }
        let idNode = reader.take("id", required: true)
        let id = idNode.flatMap { string($0.node, path: $0.path) }
        if let id, let idNode {
            if !Patterns.flowID.matches(id) || id.count > 100 {
                error(
                    idNode.node.location, idNode.path,
                    "flow id `\(id.abbreviated)` is invalid: it must be 1 to 100 characters, start with a letter or digit and contain only letters, digits, `.`, `_` and `-`"
                )
            } else if Self.reservedFlowIDs.contains(id) {
                error(idNode.node.location, idNode.path, "flow id `\(id)` is reserved by Kestra 2.0 for its API; choose another id")
            }
        }
        let namespaceNode = reader.take("namespace", required: true)
        let namespace = namespaceNode.flatMap { string($0.node, path: $0.path) }
        if let namespace, let namespaceNode, !Patterns.namespace.matches(namespace) || namespace.count > 150 {
            error(
                namespaceNode.node.location, namespaceNode.path,
                "namespace `\(namespace.abbreviated)` is invalid: it must be 1 to 150 characters, start with a lowercase letter or digit and contain only lowercase letters, digits, `.`, `_` and `-`"
            )
        }
        let revision = reader.take("revision").flatMap { int($0.node, path: $0.path, minimum: 1) }?.intValue
        let description = reader.take("description").flatMap { string($0.node, path: $0.path) }
        let labels = reader.take("labels").map { self.labels($0.node, path: $0.path, allowReadOnly: true) } ?? []
        let inputsNode = reader.take("inputs")
        let inputs = inputsNode.map { self.inputs($0.node, path: $0.path) } ?? []
        let variables = reader.take("variables").flatMap { value($0.node, path: $0.path, kind: .map) }?.mapEntries ?? []
        let tasks = reader.take("tasks", required: true).map { self.tasks($0.node, path: $0.path, nonEmpty: true) } ?? []
        let errors = reader.take("errors").map { self.tasks($0.node, path: $0.path, nonEmpty: false) } ?? []
        let finally = reader.take("finally").map { self.tasks($0.node, path: $0.path, nonEmpty: false) } ?? []
        let afterExecution = reader.take("afterExecution").map { self.tasks($0.node, path: $0.path, nonEmpty: false) } ?? []
        let triggersNode = reader.take("triggers")
        let triggers = triggersNode.map { self.triggers($0.node, path: $0.path) } ?? []
        let outputsNode = reader.take("outputs")
        let outputsRead = outputsNode.map { self.flowOutputs($0.node, path: $0.path) } ?? []
        let outputs = outputsRead.map(\.output)
        let concurrency = reader.take("concurrency").flatMap { self.concurrency($0.node, path: $0.path) }
        let pluginDefaults = reader.take("pluginDefaults", aliases: ["taskDefaults"]).map { self.pluginDefaults($0.node, path: $0.path) } ?? []
        let retry = reader.take("retry").flatMap { retryPolicy($0.node, path: $0.path, flowLevel: true) }
        let disabled = reader.take("disabled").flatMap { bool($0.node, path: $0.path) }?.boolValue ?? false
        for name in ["sla", "checks", "listeners"] {
            if let node = reader.take(name) { _ = any(node.node, path: node.path) }
        }
        reader.finish()

        checkUniqueTaskIDs()
        checkInputs(inputs)
        checkUnique(triggers.map { ($0.id, $0.location, Path.child($0.path, "id")) }, what: "trigger id")
        checkUnique(outputsRead.map { ($0.output.id, $0.location, Path.child($0.path, "id")) }, what: "output id")
        checkTriggerInputs(triggers, inputs: inputs)

        guard let id, let namespace else { return nil }
        return Flow(
            id: id, namespace: namespace, revision: revision, description: description, labels: labels, inputs: inputs,
            variables: variables, tasks: tasks, errors: errors, finally: finally, afterExecution: afterExecution,
            triggers: triggers, outputs: outputs, concurrency: concurrency, pluginDefaults: pluginDefaults, retry: retry,
            disabled: disabled
        )
    }

    func flowOutputs(_ node: YAMLNode, path: String) -> [FlowOutputWithLocation] {
        guard case .sequence(let items, _) = node else {
            if case .scalar(let scalar) = node, scalar.isNull { return [] }
            error(node.location, path, "`outputs` must be a list of outputs, but got \(node.kindDescription)")
            return []
        }
        return items.enumerated().compactMap { index, item in
            let itemPath = Path.index(path, index)
            guard var reader = ObjectReader(item, path: itemPath, what: "a flow output", context: self) else { return nil }
            let id = reader.take("id", required: true).flatMap { string($0.node, path: $0.path) }
            let type = reader.take("type", required: true).flatMap { inputType($0.node, path: $0.path)?.0 }
            let value = reader.take("value", required: true).map { any($0.node, path: $0.path) }
            let displayName = reader.take("displayName").flatMap { string($0.node, path: $0.path) }
            let description = reader.take("description").flatMap { string($0.node, path: $0.path) }
            _ = reader.take("required").flatMap { bool($0.node, path: $0.path) }
            reader.finish()
            guard let id, let type, let value else { return nil }
            return FlowOutputWithLocation(
                output: FlowOutput(id: id, type: type, value: value, displayName: displayName, description: description),
                location: reader.location, path: itemPath
            )
        }
    }

    func concurrency(_ node: YAMLNode, path: String) -> Concurrency? {
        guard var reader = ObjectReader(node, path: path, what: "`concurrency`", context: self) else { return nil }
        let limit = reader.take("limit", required: true).flatMap { int($0.node, path: $0.path, minimum: 1) }?.intValue
        let behavior = reader.take("behavior").flatMap {
            enumeration($0.node, path: $0.path, values: Concurrency.Behavior.allCases.map(\.rawValue))
        }
        reader.finish()
        guard let limit else { return nil }
        return Concurrency(limit: limit, behavior: behavior.flatMap(Concurrency.Behavior.init(rawValue:)) ?? .queue)
    }

    func pluginDefaults(_ node: YAMLNode, path: String) -> [PluginDefault] {
        let spec: [PropertySpec] = [
            PropertySpec("type", .string, required: true), PropertySpec("forced", .bool), PropertySpec("values", .map, required: true),
        ]
        guard let list = value(node, path: path, kind: .objectList(name: "plugin default", properties: spec))?.listValue else { return [] }
        return list.compactMap { item in
            guard let type = item["type"]?.stringValue, let values = item["values"] else { return nil }
            return PluginDefault(type: type, forced: item["forced"]?.boolValue ?? false, values: values)
        }
    }
}

/// A flow output with where it was declared, for the duplicate check.
struct FlowOutputWithLocation {
    let output: FlowOutput
    let location: SourceLocation
    let path: String
}
