import Pebble

/// Types YAML nodes by the property they belong to, reporting values of the wrong shape.
extension ReadContext {
    /// A scalar kept exactly as written; nil for a YAML null.
    func string(_ node: YAMLNode, path: String) -> String? {
        guard case .scalar(let scalar) = node else {
            error(node.location, path, "`\(Path.lastComponent(path))` must be a text value, but got \(node.kindDescription)")
            return nil
        }
        if scalar.isNull { return nil }
        checkTemplate(scalar, path: path)
        return scalar.value
    }

    func bool(_ node: YAMLNode, path: String) -> FlowValue? {
        guard let text = string(node, path: path) else { return nil }
        switch text.lowercased() {
        case "true": return .bool(true)
        case "false": return .bool(false)
        default:
            if TemplateSyntax.containsTemplate(text) { return .string(text) }
            error(node.location, path, "`\(Path.lastComponent(path))` must be true or false, but got `\(text.abbreviated)`")
            return nil
        }
    }

    func int(_ node: YAMLNode, path: String, minimum: Int?) -> FlowValue? {
        guard let text = string(node, path: path) else { return nil }
        if TemplateSyntax.containsTemplate(text) { return .string(text) }
        guard let value = Int32(text.trimmingWhitespace()) else {
            error(node.location, path, "`\(Path.lastComponent(path))` must be a whole number, but got `\(text.abbreviated)`")
            return nil
        }
        if let minimum, value < minimum {
            error(node.location, path, "`\(Path.lastComponent(path))` must be at least \(minimum), but got \(value)")
            return nil
        }
        return .int(Int(value))
    }

    func number(_ node: YAMLNode, path: String) -> FlowValue? {
        guard let text = string(node, path: path) else { return nil }
        if TemplateSyntax.containsTemplate(text) { return .string(text) }
        guard let value = Double(text.trimmingWhitespace()), value.isFinite else {
            error(node.location, path, "`\(Path.lastComponent(path))` must be a number, but got `\(text.abbreviated)`")
            return nil
        }
        return .double(value)
    }

    func duration(_ node: YAMLNode, path: String) -> DurationValue? {
        guard let text = string(node, path: path) else { return nil }
        if TemplateSyntax.containsTemplate(text) { return .expression(text) }
        guard let duration = ISODuration(text.trimmingWhitespace()) else {
            error(
                node.location, path,
                "`\(Path.lastComponent(path))` must be an ISO-8601 duration such as PT30S, PT5M, PT1H30M or P1D, but got `\(text.abbreviated)`"
            )
            return nil
        }
        return .fixed(duration)
    }

    func enumeration(_ node: YAMLNode, path: String, values: [String]) -> String? {
        guard let text = string(node, path: path) else { return nil }
        if values.contains(text) || TemplateSyntax.containsTemplate(text) { return text }
        var message = "`\(Path.lastComponent(path))` must be one of \(values.joined(separator: ", ")), but got `\(text.abbreviated)`"
        if let suggestion = Suggestion.closest(to: text, among: values) { message += "; did you mean `\(suggestion)`?" }
        error(node.location, path, message)
        return nil
    }

    func stringList(_ node: YAMLNode, path: String) -> [String]? {
        switch node {
        case .sequence(let items, _):
            var result: [String] = []
            for (index, item) in items.enumerated() {
                if let text = string(item, path: Path.index(path, index)) { result.append(text) }
            }
            return result
        case .scalar(let scalar) where scalar.isNull:
            return nil
        default:
            error(node.location, path, "`\(Path.lastComponent(path))` must be a list of text values, but got \(node.kindDescription)")
            return nil
        }
    }

    func stringMap(_ node: YAMLNode, path: String) -> FlowValue? {
        switch node {
        case .mapping(let entries, _):
            var result: [FlowValue.Entry] = []
            for entry in entries {
                let childPath = Path.child(path, entry.key.value)
                guard case .scalar(let scalar) = entry.value else {
                    error(entry.value.location, childPath, "`\(entry.key.value)` must be a text value, but got \(entry.value.kindDescription)")
                    continue
                }
                checkTemplate(scalar, path: childPath)
                result.append(.init(key: entry.key.value, value: .string(scalar.isNull ? "" : scalar.value)))
            }
            return .map(result)
        case .scalar(let scalar) where scalar.isNull:
            return nil
        default:
            error(node.location, path, "`\(Path.lastComponent(path))` must be a mapping of names to text values, but got \(node.kindDescription)")
            return nil
        }
    }

    /// Free-form YAML typed by the YAML 1.2 core schema; quoted scalars always stay strings.
    func any(_ node: YAMLNode, path: String) -> FlowValue {
        switch node {
        case .scalar(let scalar):
            checkTemplate(scalar, path: path)
            return Self.coreSchemaValue(scalar)
        case .sequence(let items, _):
            return .list(items.enumerated().map { any($0.element, path: Path.index(path, $0.offset)) })
        case .mapping(let entries, _):
            return .map(entries.map { .init(key: $0.key.value, value: any($0.value, path: Path.child(path, $0.key.value))) })
        }
    }

    static func coreSchemaValue(_ scalar: YAMLScalar) -> FlowValue {
        if let tag = scalar.tag {
            switch tag {
            case "tag:yaml.org,2002:str": return .string(scalar.value)
            case "tag:yaml.org,2002:int": return Int(scalar.value).map(FlowValue.int) ?? .string(scalar.value)
            case "tag:yaml.org,2002:float": return Double(scalar.value).map(FlowValue.double) ?? .string(scalar.value)
            case "tag:yaml.org,2002:bool": return .bool(scalar.value.lowercased() == "true")
            default: break
            }
        }
        guard scalar.style == .plain else { return .string(scalar.value) }
        if scalar.isNull { return .null }
        let value = scalar.value
        switch value {
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default: break
        }
        if value.first.map({ $0.isNumber || $0 == "-" || $0 == "+" }) == true {
            if let int = Int(value) { return .int(int) }
            if value.allSatisfy({ $0.isNumber || "+-.eE".contains($0) }), value.contains(where: \.isNumber), let double = Double(value) {
                return .double(double)
            }
        }
        return .string(value)
    }

    /// Reads a value of a non-structural kind; tasks and inputs are read by their own readers.
    func value(_ node: YAMLNode, path: String, kind: PropertyKind) -> FlowValue? {
        switch kind {
        case .string:
            return string(node, path: path).map(FlowValue.string)
        case .bool:
            return bool(node, path: path)
        case .int(let minimum):
            return int(node, path: path, minimum: minimum)
        case .number:
            return number(node, path: path)
        case .duration:
            switch duration(node, path: path) {
            case .fixed(let value): return .string(value.text)
            case .expression(let text): return .string(text)
            case nil: return nil
            }
        case .enumeration(let values):
            return enumeration(node, path: path, values: values).map(FlowValue.string)
        case .stringList:
            if case .scalar(let scalar) = node, TemplateSyntax.containsTemplate(scalar.value) {
                return string(node, path: path).map(FlowValue.string)
            }
            return stringList(node, path: path).map { .list($0.map(FlowValue.string)) }
        case .stringOrList:
            if case .sequence = node { return stringList(node, path: path).map { .list($0.map(FlowValue.string)) } }
            return string(node, path: path).map(FlowValue.string)
        case .stringMap:
            return stringMap(node, path: path)
        case .any:
            return any(node, path: path)
        case .map, .mapOrString:
            if case .mapping = node { return any(node, path: path) }
            if case .scalar(let scalar) = node, scalar.isNull { return nil }
            // A string stands for the mapping when the property allows it (JSON, a URI) or when it is an expression.
            if case .scalar(let scalar) = node, kind.acceptsString || TemplateSyntax.containsTemplate(scalar.value) {
                return string(node, path: path).map(FlowValue.string)
            }
            error(node.location, path, "`\(Path.lastComponent(path))` must be a mapping, but got \(node.kindDescription)")
            return nil
        case .listOrString:
            if case .sequence = node { return any(node, path: path) }
            if case .scalar = node { return string(node, path: path).map(FlowValue.string) }
            error(node.location, path, "`\(Path.lastComponent(path))` must be a list or a JSON array in a string, but got \(node.kindDescription)")
            return nil
        case .cron:
            // Checked by the trigger reader, which knows `withSeconds`.
            return string(node, path: path).map(FlowValue.string)
        case .object(let name, let properties):
            guard var reader = ObjectReader(node, path: path, what: "`\(name)`", context: self) else { return nil }
            let values = readProperties(properties, with: &reader)
            reader.finish()
            return .map(values)
        case .typedObject(let name, let types):
            return typedObject(node, path: path, name: name, types: types)
        case .objectList(let name, let properties):
            return list(node, path: path) { item, itemPath in self.value(item, path: itemPath, kind: .object(name: name, properties: properties)) }
        case .typedObjectList(let name, let types):
            return list(node, path: path) { item, itemPath in self.typedObject(item, path: itemPath, name: name, types: types) }
        case .tasks, .task, .cases, .inputs:
            return any(node, path: path)
        }
    }

    func list(_ node: YAMLNode, path: String, item read: (YAMLNode, String) -> FlowValue?) -> FlowValue? {
        guard case .sequence(let items, _) = node else {
            if case .scalar(let scalar) = node, scalar.isNull { return nil }
            error(node.location, path, "`\(Path.lastComponent(path))` must be a list, but got \(node.kindDescription)")
            return nil
        }
        return .list(items.enumerated().compactMap { read($0.element, Path.index(path, $0.offset)) })
    }

    func typedObject(_ node: YAMLNode, path: String, name: String, types: [TypedObjectSpec]) -> FlowValue? {
        guard var reader = ObjectReader(node, path: path, what: name, context: self) else { return nil }
        guard let typeNode = reader.take("type", required: true), let typeName = string(typeNode.node, path: typeNode.path) else {
            reader.finish(reportUnknown: false)
            return nil
        }
        guard let spec = types.first(where: { $0.allNames.contains(typeName) }) else {
            error(
                typeNode.node.location, typeNode.path,
                "unsupported \(name) type `\(typeName)`; supported types are: " + types.map(\.canonicalName).joined(separator: ", ")
            )
            return nil
        }
        var values: [FlowValue.Entry] = [.init(key: "type", value: .string(spec.canonicalName))]
        if let properties = spec.properties {
            reader = ObjectReader(node, path: path, what: "\(name) of type \(spec.canonicalName)", context: self)!
            _ = reader.take("type")
            values += readProperties(properties, with: &reader)
            reader.finish()
        } else if case .mapping(let entries, _) = node {
            values += entries.filter { $0.key.value != "type" }.map {
                .init(key: $0.key.value, value: any($0.value, path: Path.child(path, $0.key.value)))
            }
        }
        return .map(values)
    }

    /// Reads each non-structural property of `specs`, in schema order.
    func readProperties(_ specs: [PropertySpec], with reader: inout ObjectReader) -> [FlowValue.Entry] {
        var values: [FlowValue.Entry] = []
        for spec in specs {
            guard let (node, path) = reader.take(spec.name, aliases: spec.aliases, required: spec.required) else { continue }
            if let value = value(node, path: path, kind: spec.kind) {
                values.append(.init(key: spec.name, value: value))
            }
        }
        return values
    }
}
