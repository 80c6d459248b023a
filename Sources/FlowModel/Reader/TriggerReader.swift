import Foundation

/// Reads triggers: Schedule, Webhook and Flow, with their common properties.
extension ReadContext {
    func triggers(_ node: YAMLNode, path: String) -> [Trigger] {
        switch node {
        case .sequence(let items, _):
            return items.enumerated().compactMap { trigger($0.element, path: Path.index(path, $0.offset)) }
        case .scalar(let scalar) where scalar.isNull:
            return []
        default:
            error(node.location, path, "`triggers` must be a list of triggers, but got \(node.kindDescription)")
            return []
        }
    }

    func trigger(_ node: YAMLNode, path: String) -> Trigger? {
        guard var probe = ObjectReader(node, path: path, what: "a trigger", context: self) else { return nil }
        guard let typeNode = probe.take("type", required: true), let declaredType = string(typeNode.node, path: typeNode.path) else {
            _ = probe.take("id", required: true).flatMap { string($0.node, path: $0.path) }
            probe.finish(reportUnknown: false)
            return nil
        }
        guard let type = TriggerType(declared: declaredType) else {
            _ = probe.take("id", required: true).flatMap { string($0.node, path: $0.path) }
            probe.finish(reportUnknown: false)
            error(
                typeNode.node.location, typeNode.path,
                "unsupported trigger type `\(declaredType)`; Gatehouse supports: " + TriggerType.allCases.map(\.canonicalName).joined(separator: ", ")
            )
            return nil
        }
        var reader = ObjectReader(node, path: path, what: "trigger of type \(type.canonicalName)", context: self)!
        _ = reader.take("type")
        let idNode = reader.take("id", required: true)
        let id = idNode.flatMap { string($0.node, path: $0.path) }
        if let id, let idNode, !Patterns.taskID.matches(id) {
            error(
                idNode.node.location, idNode.path,
                "trigger id `\(id.abbreviated)` is invalid: it must start with a letter or digit and contain only letters, digits, `_` and `-`"
            )
        }
        let description = reader.take("description").flatMap { string($0.node, path: $0.path) }
        let disabled = reader.take("disabled").flatMap { bool($0.node, path: $0.path) }?.boolValue ?? false
        let labels = reader.take("labels").map { self.labels($0.node, path: $0.path, allowReadOnly: false) } ?? []
        let inputs = reader.take("inputs").flatMap { value($0.node, path: $0.path, kind: .map) }?.mapEntries ?? []
        var properties: [String: FlowValue] = [:]
        let states = TriggerType.executionStates
        for name in ["logToFile", "allowConcurrent"] {
            if let node = reader.take(name), let value = bool(node.node, path: node.path) { properties[name] = value }
        }
        if let node = reader.take("logLevel"), let value = enumeration(node.node, path: node.path, values: Schema.logLevels) {
            properties["logLevel"] = .string(value)
        }
        if let node = reader.take("conditions"),
            let value = value(node.node, path: node.path, kind: .typedObjectList(name: "condition", types: TriggerType.conditions))
        {
            properties["conditions"] = value
        }
        for name in type.unsupportedProperties {
            guard let node = reader.take(name, listed: false) else { continue }
            error(
                reader.keyLocation(of: name) ?? node.node.location, node.path,
                "`\(name)` of trigger `\(id ?? "?")` (\(type.canonicalName)) is not supported by Gatehouse yet; remove it"
            )
        }
        for spec in type.properties {
            guard let (valueNode, valuePath) = reader.take(spec.name, aliases: spec.aliases, required: spec.required) else { continue }
            if let value = value(valueNode, path: valuePath, kind: spec.kind) { properties[spec.name] = value }
            if spec.name == "states", let list = properties["states"]?.listValue?.compactMap(\.stringValue) {
                checkStates(list, node: valueNode, path: valuePath, states: states)
            }
        }
        reader.finish()
        switch type {
        case .schedule:
            if let cron = properties["cron"]?.stringValue, let node = reader.take("cron"), !cron.contains("{{"),
                let problem = CronExpression.problem(in: cron, withSeconds: properties["withSeconds"]?.boolValue ?? false)
            {
                error(node.node.location, node.path, problem)
            }
            if let zone = properties["timezone"]?.stringValue, !zone.contains("{{"), TimeZone(identifier: zone) == nil,
                let node = reader.take("timezone")
            {
                var message = "unknown time zone `\(zone.abbreviated)`"
                if let suggestion = Suggestion.closest(to: zone, among: TimeZone.knownTimeZoneIdentifiers) {
                    message += "; did you mean `\(suggestion)`?"
                } else {
                    message += "; use an IANA time zone name such as Europe/Berlin or UTC"
                }
                error(node.node.location, node.path, message)
            }
        case .webhook:
            if let key = properties["key"]?.stringValue, key.count > 256, let node = reader.take("key") {
                error(node.node.location, node.path, "the webhook `key` must be at most 256 characters, but has \(key.count)")
            }
        case .flow:
            break
        }
        guard let id else { return nil }
        return Trigger(
            id: id, type: type, declaredType: declaredType, description: description, disabled: disabled, labels: labels,
            inputs: inputs, properties: properties, location: reader.location, path: path
        )
    }

    func checkStates(_ list: [String], node: YAMLNode, path: String, states: [String]) {
        for (index, state) in list.enumerated() where !states.contains(state) && !state.contains("{{") {
            let location = (node.sequenceItems?[safe: index]?.location) ?? node.location
            var message = "unknown execution state `\(state)`"
            if let suggestion = Suggestion.closest(to: state, among: states) { message += "; did you mean `\(suggestion)`?" }
            error(location, Path.index(path, index), message)
        }
    }

    /// Labels as a map or as a list of `{key, value}`; system labels other than `system.readOnly` are refused.
    func labels(_ node: YAMLNode, path: String, allowReadOnly: Bool) -> [Label] {
        var result: [(Label, SourceLocation, String)] = []
        switch node {
        case .mapping(let entries, _):
            for entry in entries {
                let entryPath = Path.child(path, entry.key.value)
                guard case .scalar(let scalar) = entry.value else {
                    error(
                        entry.value.location, entryPath,
                        "the label `\(entry.key.value)` must have a text value, but got \(entry.value.kindDescription)")
                    continue
                }
                result.append((Label(key: entry.key.value, value: scalar.value), entry.key.location, entryPath))
            }
        case .sequence(let items, _):
            for (index, item) in items.enumerated() {
                let itemPath = Path.index(path, index)
                guard var reader = ObjectReader(item, path: itemPath, what: "a label", context: self) else { continue }
                let key = reader.take("key", required: true).flatMap { string($0.node, path: $0.path) }
                let value = reader.take("value", required: true).flatMap { string($0.node, path: $0.path) }
                reader.finish()
                if let key, let value { result.append((Label(key: key, value: value), reader.location, itemPath)) }
            }
        case .scalar(let scalar) where scalar.isNull:
            return []
        default:
            error(node.location, path, "`labels` must be a mapping or a list of `{key, value}`, but got \(node.kindDescription)")
            return []
        }
        for (label, location, labelPath) in result where label.key.first?.isUppercase == true {
            warning(
                location, labelPath,
                "the label key `\(label.key)` starts with an uppercase letter, which Kestra 2.0 refuses; start it with a lowercase letter"
            )
        }
        // Gatehouse's approval policy lives in flow labels; a bad one is caught here, not when someone tries to approve.
        for (label, location, labelPath) in result where allowReadOnly {
            if let problem = ApprovalPolicy.problem(key: label.key, value: label.value) { error(location, labelPath, problem) }
        }
        for (label, location, labelPath) in result where label.key.hasPrefix("system.") {
            if allowReadOnly, label.key == "system.readOnly" { continue }
            error(
                location, labelPath,
                "system labels can only be set by Gatehouse itself"
                    + (allowReadOnly ? ", except `system.readOnly`" : "") + "; offending label: `\(label.key)=\(label.value.abbreviated)`"
            )
        }
        return result.map(\.0)
    }
}

extension YAMLNode {
    var sequenceItems: [YAMLNode]? {
        if case .sequence(let items, _) = self { return items }
        return nil
    }

    func mappingValue(_ key: String) -> YAMLNode? {
        if case .mapping(let entries, _) = self { return entries.first { $0.key.value == key }?.value }
        return nil
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
