/// Reads tasks: the common properties, the type's own schema, and child task lists.
extension ReadContext {
    func tasks(_ node: YAMLNode, path: String, nonEmpty: Bool) -> [Task] {
        switch node {
        case .sequence(let items, let location):
            if nonEmpty, items.isEmpty {
                error(location, path, "`\(Path.lastComponent(path))` must not be empty; give at least one task")
            }
            return items.enumerated().compactMap { task($0.element, path: Path.index(path, $0.offset)) }
        case .scalar(let scalar) where scalar.isNull:
            if nonEmpty { error(node.location, path, "`\(Path.lastComponent(path))` must not be empty; give at least one task") }
            return []
        default:
            error(node.location, path, "`\(Path.lastComponent(path))` must be a list of tasks, but got \(node.kindDescription)")
            return []
        }
    }

    func task(_ node: YAMLNode, path: String) -> Task? {
        // The type decides which properties exist, so it is read first; without a known type only the id is checked.
        guard var probe = ObjectReader(node, path: path, what: "a task", context: self) else { return nil }
        guard let typeNode = probe.take("type", required: true), let declaredType = string(typeNode.node, path: typeNode.path) else {
            _ = probe.take("id", required: true).flatMap { string($0.node, path: $0.path) }
            probe.finish(reportUnknown: false)
            return nil
        }
        guard let type = TaskType(declared: declaredType) else {
            _ = probe.take("id", required: true).flatMap { string($0.node, path: $0.path) }
            probe.finish(reportUnknown: false)
            var message = "unsupported task type `\(declaredType)`"
            // A typo is a few letters; a different plugin (python.Script for shell.Script) is not a typo.
            if let suggestion = Suggestion.closest(to: declaredType, among: TaskType.allCases.map(\.canonicalName), limit: 3) {
                message += "; did you mean `\(suggestion)`?"
            }
            message += (message.hasSuffix("?") ? " " : ". ") + "Gatehouse supports: " + TaskType.allCases.map(\.canonicalName).joined(separator: ", ")
            error(typeNode.node.location, typeNode.path, message)
            return nil
        }
        var reader = ObjectReader(node, path: path, what: "task of type \(type.canonicalName)", context: self)!
        _ = reader.take("type")
        let idNode = reader.take("id", required: true)
        let id = idNode.flatMap { string($0.node, path: $0.path) }
        if let id, let idNode {
            if !Patterns.taskID.matches(id) {
                error(
                    idNode.node.location, idNode.path,
                    "task id `\(id.abbreviated)` is invalid: it must start with a letter or digit and contain only letters, digits, `_` and `-` (no dots)"
                )
            }
            taskIDs.append((id, idNode.node.location, idNode.path))
        }
        let description = reader.take("description").flatMap { string($0.node, path: $0.path) }
        let retry = reader.take("retry").flatMap { retryPolicy($0.node, path: $0.path, flowLevel: false) }
        let timeout = reader.take("timeout").flatMap { duration($0.node, path: $0.path) }
        let disabled = reader.take("disabled").flatMap { bool($0.node, path: $0.path) }?.boolValue ?? false
        let runIf = reader.take("runIf").flatMap { string($0.node, path: $0.path) }
        let allowFailure = reader.take("allowFailure").flatMap { bool($0.node, path: $0.path) }?.boolValue ?? false
        let allowWarning = reader.take("allowWarning").flatMap { bool($0.node, path: $0.path) }?.boolValue ?? false
        let logLevel = reader.take("logLevel").flatMap { enumeration($0.node, path: $0.path, values: Schema.logLevels) }
        let logToFile = reader.take("logToFile").flatMap { bool($0.node, path: $0.path) }?.boolValue ?? false
        if let workerGroup = reader.take("workerGroup", listed: false) {
            error(
                reader.keyLocation(of: "workerGroup") ?? workerGroup.node.location, workerGroup.path,
                "`workerGroup` is a Kestra Enterprise Edition feature that Gatehouse does not have; remove it"
            )
        }

        for name in type.unsupportedProperties {
            guard let node = reader.take(name, listed: false) else { continue }
            error(
                reader.keyLocation(of: name) ?? node.node.location, node.path,
                "`\(name)` of task `\(id ?? "?")` (\(type.canonicalName)) is not supported by Gatehouse yet; remove it"
            )
        }
        var properties: [String: FlowValue] = [:]
        var branches: [TaskBranch] = []
        var onResume: [InputDeclaration] = []
        for spec in type.properties {
            guard let (valueNode, valuePath) = reader.take(spec.name, aliases: spec.aliases, required: spec.required) else { continue }
            switch spec.kind {
            case .tasks(let nonEmpty):
                branches.append(TaskBranch(name: spec.name, caseKey: nil, tasks: tasks(valueNode, path: valuePath, nonEmpty: nonEmpty)))
            case .task:
                if let child = task(valueNode, path: valuePath) { branches.append(TaskBranch(name: spec.name, caseKey: nil, tasks: [child])) }
            case .cases:
                branches += cases(valueNode, path: valuePath)
            case .inputs:
                onResume = inputs(valueNode, path: valuePath)
            default:
                if let value = value(valueNode, path: valuePath, kind: spec.kind) { properties[spec.name] = value }
            }
        }
        reader.finish()
        guard let id else { return nil }
        let task = Task(
            id: id, type: type, declaredType: declaredType, description: description, retry: retry, timeout: timeout,
            disabled: disabled, runIf: runIf, allowFailure: allowFailure, allowWarning: allowWarning, logLevel: logLevel,
            logToFile: logToFile, properties: properties, branches: branches, onResume: onResume, location: reader.location
        )
        checkTaskRules(task, path: path)
        return task
    }

    func cases(_ node: YAMLNode, path: String) -> [TaskBranch] {
        guard case .mapping(let entries, _) = node else {
            if case .scalar(let scalar) = node, scalar.isNull { return [] }
            error(node.location, path, "`cases` must map each value to a list of tasks, but got \(node.kindDescription)")
            return []
        }
        return entries.map { entry in
            TaskBranch(name: "cases", caseKey: entry.key.value, tasks: tasks(entry.value, path: Path.child(path, entry.key.value), nonEmpty: false))
        }
    }

    /// Rules that need the whole task (Switch emptiness, the Pause auto-approve trap).
    func checkTaskRules(_ task: Task, path: String) {
        switch task.type {
        case .switchCase:
            let hasTasks = task.branches.contains { ($0.name == "cases" || $0.name == "defaults") && !$0.tasks.isEmpty }
            if !hasTasks {
                error(
                    task.location, path,
                    "Switch task `\(task.id)` has no tasks to run: give at least one entry under `cases` with tasks, or `defaults`"
                )
            }
        case .pause:
            checkInputs(task.onResume)
            if let duration = task.properties["pauseDuration"]?.stringValue, (task.properties["behavior"]?.stringValue ?? "RESUME") == "RESUME" {
                warning(
                    task.location, path,
                    "Pause `\(task.id)` has `pauseDuration: \(duration)` and the default `behavior: RESUME`, so the execution "
                        + "continues as if approved when nobody acts in time (Kestra issue #18680); for an approval gate set "
                        + "`behavior: FAIL` or `CANCEL`, or remove `pauseDuration`"
                )
            }
        default:
            break
        }
    }

    func retryPolicy(_ node: YAMLNode, path: String, flowLevel: Bool) -> RetryPolicy? {
        guard var reader = ObjectReader(node, path: path, what: "`retry`", context: self) else { return nil }
        let kindNode = reader.take("type", required: true)
        let kind = kindNode.flatMap { enumeration($0.node, path: $0.path, values: RetryPolicy.Kind.allCases.map(\.rawValue)) }
            .flatMap(RetryPolicy.Kind.init(rawValue:))
        let maxAttempts = reader.take("maxAttempts", aliases: ["maxAttempt"]).flatMap { int($0.node, path: $0.path, minimum: 1) }?.intValue
        let maxDuration = reader.take("maxDuration").flatMap { duration($0.node, path: $0.path) }
        let warningOnRetry = reader.take("warningOnRetry").flatMap { bool($0.node, path: $0.path) }?.boolValue ?? false
        let behavior =
            flowLevel
            ? reader.take("behavior").flatMap { enumeration($0.node, path: $0.path, values: ["RETRY_FAILED_TASK", "CREATE_NEW_EXECUTION"]) }
            : nil
        let needs: (interval: Bool, minInterval: Bool, maxInterval: Bool) =
            switch kind {
            case .constant: (true, false, false)
            case .exponential: (true, false, true)
            case .random: (false, true, true)
            case nil: (false, false, false)
            }
        // Read every interval property only where the chosen type has it, so a misplaced one is reported as unknown.
        let interval = kind != .random ? reader.take("interval", required: needs.interval).flatMap { duration($0.node, path: $0.path) } : nil
        let minInterval =
            kind == .random || kind == nil
            ? reader.take("minInterval", required: needs.minInterval).flatMap { duration($0.node, path: $0.path) } : nil
        let maxInterval =
            kind != .constant ? reader.take("maxInterval", required: needs.maxInterval).flatMap { duration($0.node, path: $0.path) } : nil
        let delayFactor = kind == .exponential || kind == nil ? reader.take("delayFactor").flatMap { number($0.node, path: $0.path) } : nil
        if kind == nil { reader.accept(reader.keys) }
        reader.finish()
        guard let kind else { return nil }
        let factor: Double? =
            switch delayFactor {
            case .double(let value): value
            case .int(let value): Double(value)
            default: nil
            }
        return RetryPolicy(
            kind: kind, maxAttempts: maxAttempts, maxDuration: maxDuration, interval: interval, minInterval: minInterval,
            maxInterval: maxInterval, delayFactor: factor, warningOnRetry: warningOnRetry, behavior: behavior
        )
    }
}
