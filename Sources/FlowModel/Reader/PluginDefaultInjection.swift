/// Kestra 1.x `pluginDefaults` (and the older `taskDefaults`), written into the YAML document before the flow is
/// read, as Kestra's `PluginDefaultService` injects them into the flow's map before parsing and validating it.
///
/// Working on the document rather than on the finished model means a default can supply a required property, its
/// values are typed and checked by the property they land in, and any problem with them points at the line in
/// `pluginDefaults` that wrote them. The rules:
///
/// - A default applies to a task or a trigger when its `type` names the same type (through the alias table, so an
///   old spelling reaches the new one and back), or is a package prefix of the declared or canonical type name that
///   ends at a `.` (`io.kestra.plugin.core.log`). Kestra compares with a bare `startsWith`; the `.` boundary keeps
///   `io.kestra.plugin.core.flow.Pa` from reaching both `Parallel` and `Pause`.
/// - Non-forced defaults fill what the task leaves out; `forced: true` ones override what it writes. Mappings merge
///   key by key at every depth. Lists are joined without repeating items, as Kestra's `MapUtils.deepMerge` does: a
///   default `beforeCommands` runs before the task's own, a forced one after.
/// - When several defaults match, the one listed first wins, forced or not (Kestra's order, most important first).
/// - Only properties the target type has are injected, so `io.kestra.plugin.scripts` can set `taskRunner` without
///   breaking an `If`. A default for one exact type that names a property the type does not have is an error, as in
///   Kestra's `PluginDefaultValidator`. `id` and `type` are never defaulted.
/// - Like Kestra, every mapping with a `type` is a candidate, so tasks nested at any depth and in `errors`,
///   `finally` and `afterExecution` get their defaults; of those, Gatehouse defaults tasks and triggers only, not
///   task runners or trigger conditions, whose properties Gatehouse does not model.
extension ReadContext {
    func applyingPluginDefaults(to root: YAMLNode) -> YAMLNode {
        guard case .mapping(let entries, let location) = root,
            let defaultsEntry = entries.first(where: { Self.pluginDefaultsKeys.contains($0.key.value) })
        else { return root }
        let defaults = injectableDefaults(defaultsEntry.value, path: defaultsEntry.key.value)
        guard !defaults.isEmpty else { return root }
        // Two passes as in Kestra: every non-forced default first, then the forced ones over the result.
        let passes = [defaults.filter { !$0.forced }, defaults.filter(\.forced).reversed()]
        var result = entries
        for pass in passes where !pass.isEmpty {
            result = result.map { entry in
                Self.pluginDefaultsKeys.contains(entry.key.value) ? entry : YAMLEntry(key: entry.key, value: inject(pass, into: entry.value))
            }
        }
        return .mapping(result, location)
    }

    static let pluginDefaultsKeys: Set<String> = ["pluginDefaults", "taskDefaults"]

    /// The well-formed entries of `pluginDefaults`; malformed ones are skipped here and reported by the flow reader.
    private func injectableDefaults(_ node: YAMLNode, path: String) -> [InjectableDefault] {
        guard case .sequence(let items, _) = node else { return [] }
        return items.enumerated().compactMap { index, item in
            guard let type = item.mappingValue("type")?.scalar, !type.isNull,
                case .mapping(let values, _) = item.mappingValue("values")
            else { return nil }
            let forced = item.mappingValue("forced")?.scalar?.value.lowercased() == "true"
            let target = InjectableDefault.Target(declared: type.value)
            if let target {
                let known = target.propertyNames
                for entry in values where !known.contains(entry.key.value) && !["id", "type"].contains(entry.key.value) {
                    var message = "unknown property `\(entry.key.value)` for \(target.canonicalName) in a plugin default"
                    if let suggestion = Suggestion.closest(to: entry.key.value, among: Array(known)) {
                        message += "; did you mean `\(suggestion)`?"
                    } else {
                        message += "; known properties are: " + known.sorted().joined(separator: ", ")
                    }
                    error(entry.key.location, Path.child(Path.child(Path.index(path, index), "values"), entry.key.value), message)
                }
            }
            return InjectableDefault(type: type.value, forced: forced, values: values.filter { !["id", "type"].contains($0.key.value) })
        }
    }

    /// Applies `defaults` to every task and trigger inside `node`, innermost first, as Kestra's `recursiveDefaults`.
    private func inject(_ defaults: [InjectableDefault], into node: YAMLNode) -> YAMLNode {
        switch node {
        case .scalar:
            return node
        case .sequence(let items, let location):
            return .sequence(items.map { inject(defaults, into: $0) }, location)
        case .mapping(let entries, let location):
            var result = YAMLNode.mapping(entries.map { YAMLEntry(key: $0.key, value: inject(defaults, into: $0.value)) }, location)
            guard let declared = node.mappingValue("type")?.scalar?.value, let target = InjectableDefault.Target(declared: declared) else {
                return result
            }
            let known = target.propertyNames
            for pluginDefault in defaults where pluginDefault.applies(to: declared, target: target) {
                let values = pluginDefault.values.filter { known.contains($0.key.value) }
                result = Self.merge(task: result, default: .mapping(values, location), forced: pluginDefault.forced)
            }
            return result
        }
    }

    /// Kestra's `MapUtils.deepMerge` with the task on one side and a default on the other; the merged node keeps the
    /// task's location, so "missing property" errors still point at the task.
    static func merge(task: YAMLNode, default value: YAMLNode, forced: Bool) -> YAMLNode {
        if value.scalar?.isNull == true { return task }
        if task.scalar?.isNull == true { return value }
        switch (task, value) {
        case (.mapping(let taskEntries, let location), .mapping(let defaultEntries, _)):
            var merged = taskEntries.map { entry in
                guard let other = defaultEntries.first(where: { $0.key.value == entry.key.value }) else { return entry }
                return YAMLEntry(key: entry.key, value: merge(task: entry.value, default: other.value, forced: forced))
            }
            merged += defaultEntries.filter { entry in !taskEntries.contains { $0.key.value == entry.key.value } }
            return .mapping(merged, location)
        case (.sequence(let taskItems, let location), .sequence(let defaultItems, _)):
            let (first, second) = forced ? (taskItems, defaultItems) : (defaultItems, taskItems)
            return .sequence(first + second.filter { item in !first.contains { $0.sameValue(as: item) } }, location)
        default:
            return forced ? value : task
        }
    }
}

/// One entry of `pluginDefaults`, kept as YAML so its values are read by the property they are injected into.
private struct InjectableDefault {
    let type: String
    let forced: Bool
    let values: [YAMLEntry]

    /// The task or trigger type a mapping's `type` names.
    enum Target {
        case task(TaskType)
        case trigger(TriggerType)

        init?(declared: String) {
            if let type = TaskType(declared: declared) {
                self = .task(type)
            } else if let type = TriggerType(declared: declared) {
                self = .trigger(type)
            } else {
                return nil
            }
        }

        var canonicalName: String {
            switch self {
            case .task(let type): type.canonicalName
            case .trigger(let type): type.canonicalName
            }
        }

        /// Every property name the type reads, older spellings included.
        var propertyNames: Set<String> {
            switch self {
            // Unsupported properties are injected too, so that the flow is rejected where they are written.
            case .task(let type):
                Set(TaskType.commonProperties + type.unsupportedProperties + type.properties.flatMap { [$0.name] + $0.aliases })
            case .trigger(let type):
                Set(TriggerType.commonProperties + type.unsupportedProperties + type.properties.flatMap { [$0.name] + $0.aliases })
            }
        }
    }

    func applies(to declared: String, target: Target) -> Bool {
        if let named = Target(declared: type) { return named.canonicalName == target.canonicalName }
        return isPackagePrefix(of: declared) || isPackagePrefix(of: target.canonicalName)
    }

    private func isPackagePrefix(of name: String) -> Bool {
        guard name.hasPrefix(type), name.count > type.count else { return false }
        return type.hasSuffix(".") || name[name.index(name.startIndex, offsetBy: type.count)] == "."
    }
}

extension YAMLNode {
    /// Equality of the values written, ignoring where and how: `1` and `1.0` differ, `a` and `"a"` do not, key order
    /// does not matter; Kestra compares the Java values its YAML parser produced the same way.
    func sameValue(as other: YAMLNode) -> Bool {
        switch (self, other) {
        case (.scalar(let lhs), .scalar(let rhs)):
            return ReadContext.coreSchemaValue(lhs) == ReadContext.coreSchemaValue(rhs)
        case (.sequence(let lhs, _), .sequence(let rhs, _)):
            return lhs.count == rhs.count && zip(lhs, rhs).allSatisfy { $0.sameValue(as: $1) }
        case (.mapping(let lhs, _), .mapping(let rhs, _)):
            return lhs.count == rhs.count
                && lhs.allSatisfy { entry in rhs.contains { $0.key.value == entry.key.value && $0.value.sameValue(as: entry.value) } }
        default:
            return false
        }
    }
}
