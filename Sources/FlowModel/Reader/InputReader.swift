import Pebble

/// Reads input declarations (flow `inputs`, Pause `onResume`, FORM children) with their per-type properties.
extension ReadContext {
    static let inputTypeAliases: [String: InputType] = ["BOOLEAN": .bool, "ENUM": .select]

    func inputs(_ node: YAMLNode, path: String) -> [InputDeclaration] {
        switch node {
        case .sequence(let items, _):
            return items.enumerated().compactMap { input($0.element, path: Path.index(path, $0.offset)) }
        case .scalar(let scalar) where scalar.isNull:
            return []
        default:
            error(node.location, path, "`\(Path.lastComponent(path))` must be a list of inputs, but got \(node.kindDescription)")
            return []
        }
    }

    func inputType(_ node: YAMLNode, path: String) -> (InputType, String)? {
        guard let declared = string(node, path: path) else { return nil }
        if let type = InputType(rawValue: declared) ?? Self.inputTypeAliases[declared] { return (type, declared) }
        let names = InputType.allCases.map(\.rawValue) + Self.inputTypeAliases.keys.sorted()
        var message = "unknown input type `\(declared.abbreviated)`"
        if let suggestion = Suggestion.closest(to: declared, among: names) { message += "; did you mean `\(suggestion)`?" }
        message +=
            (message.hasSuffix("?") ? " " : ". ") + "Supported types: " + InputType.allCases.map(\.rawValue).joined(separator: ", ")
            + " (and the older BOOLEAN and ENUM)"
        error(node.location, path, message)
        return nil
    }

    func input(_ node: YAMLNode, path: String) -> InputDeclaration? {
        guard var probe = ObjectReader(node, path: path, what: "an input", context: self) else { return nil }
        guard let typeNode = probe.take("type", required: true), let (type, declaredType) = inputType(typeNode.node, path: typeNode.path) else {
            _ = probe.take("id", aliases: ["name"], required: true).flatMap { string($0.node, path: $0.path) }
            probe.finish(reportUnknown: false)
            return nil
        }
        var reader = ObjectReader(node, path: path, what: "input of type \(declaredType)", context: self)!
        _ = reader.take("type")
        let idNode = reader.take("id", aliases: ["name"], required: true)
        let id = idNode.flatMap { string($0.node, path: $0.path) }
        if let id, let idNode, !Patterns.inputID.matches(id) {
            error(
                idNode.node.location, idNode.path,
                "input id `\(id.abbreviated)` is invalid: it must start with a letter or digit and contain only letters, digits, `.`, `_` and `-`"
            )
        }
        let displayNameNode = reader.take("displayName")
        let displayName = displayNameNode.flatMap { string($0.node, path: $0.path) }
        if let displayName, let displayNameNode, displayName.count > 64 {
            error(displayNameNode.node.location, displayNameNode.path, "`displayName` must be at most 64 characters, but has \(displayName.count)")
        }
        let description = reader.take("description").flatMap { string($0.node, path: $0.path) }
        let required = reader.take("required").flatMap { bool($0.node, path: $0.path) }?.boolValue ?? true
        let defaultsNode = reader.take("defaults")
        let defaults = defaultsNode.flatMap { typedValue($0.node, path: $0.path, type: type) }
        let prefillNode = reader.take("prefill")
        let prefill = prefillNode.flatMap { typedValue($0.node, path: $0.path, type: type) }
        if defaults != nil, let prefillNode {
            error(prefillNode.node.location, prefillNode.path, "an input with `defaults` cannot also have a `prefill`; keep one of them")
        }
        let dependsOn = reader.take("dependsOn").flatMap { dependency($0.node, path: $0.path) }
        if let key = reader.keyLocation(of: "dependsOn") {
            let names = reader.entries.first { $0.key.value == "dependsOn" }?.value.mappingValue("inputs")?.sequenceItems ?? []
            dependencyLocations[path] = (key, names.map(\.location))
        }

        var validator: String?
        var minimum: FlowValue?
        var maximum: FlowValue?
        var after: String?
        var before: String?
        var options: [SelectOption] = []
        var expression: String?
        var allowCustomValue = false
        var isRadio = false
        var autoSelectFirst = false
        var itemType: InputType?
        var allowedFileExtensions: [String] = []
        var fileExtension: String?
        var children: [InputDeclaration] = []

        switch type {
        case .string, .secret:
            if let node = reader.take("validator"), let pattern = string(node.node, path: node.path) {
                if let problem = Patterns.regexProblem(pattern) {
                    error(node.node.location, node.path, "`validator` `\(pattern.abbreviated)` is not a valid regular expression: \(problem)")
                } else {
                    validator = pattern
                }
            }
        case .int:
            minimum = reader.take("min").flatMap { int($0.node, path: $0.path, minimum: nil) }
            maximum = reader.take("max").flatMap { int($0.node, path: $0.path, minimum: nil) }
        case .float:
            minimum = reader.take("min").flatMap { number($0.node, path: $0.path) }
            maximum = reader.take("max").flatMap { number($0.node, path: $0.path) }
        case .duration:
            minimum = reader.take("min").flatMap { durationText($0.node, path: $0.path) }
            maximum = reader.take("max").flatMap { durationText($0.node, path: $0.path) }
        case .datetime, .date, .time:
            after = reader.take("after").flatMap { temporal($0.node, path: $0.path, type: type) }
            before = reader.take("before").flatMap { temporal($0.node, path: $0.path, type: type) }
        case .select, .multiselect:
            let valuesNode = reader.take("values")
            let optionsNode = type == .multiselect ? reader.take("options") : nil
            if valuesNode != nil, let optionsNode {
                error(
                    optionsNode.node.location, optionsNode.path,
                    "you can't define both `values` and `options`; `options` is the older name of `values`")
            }
            if let source = valuesNode ?? optionsNode { options = selectOptions(source.node, path: source.path) }
            expression = reader.take("expression").flatMap { string($0.node, path: $0.path) }
            allowCustomValue = reader.take("allowCustomValue").flatMap { bool($0.node, path: $0.path) }?.boolValue ?? false
            autoSelectFirst = reader.take("autoSelectFirst").flatMap { bool($0.node, path: $0.path) }?.boolValue ?? false
            if type == .select {
                isRadio = reader.take("isRadio").flatMap { bool($0.node, path: $0.path) }?.boolValue ?? false
            } else {
                itemType = reader.take("itemType").flatMap { inputType($0.node, path: $0.path)?.0 }
            }
            if valuesNode == nil, optionsNode == nil, expression == nil {
                error(reader.location, path, "a \(declaredType) input needs its choices: give `values` or an `expression` that lists them")
            }
            if let defaults, !allowCustomValue, expression == nil, !options.isEmpty {
                let allowed = Set(options.map(\.value))
                let given = defaults.listValue?.compactMap(\.stringValue) ?? [defaults.stringValue].compactMap { $0 }
                for value in given where !allowed.contains(value) && !TemplateSyntax.containsTemplate(value) {
                    error(
                        defaultsNode!.node.location, defaultsNode!.path,
                        "the default `\(value.abbreviated)` is not one of the values `[\(options.map(\.value).joined(separator: ", "))]`"
                    )
                }
            }
        case .array:
            if let node = reader.take("itemType", required: true), let (item, declared) = inputType(node.node, path: node.path) {
                if item == .array {
                    error(node.node.location, node.path, "`itemType` cannot be `ARRAY`; give the type of the elements, for example STRING or INT")
                } else {
                    itemType = item
                    _ = declared
                }
            }
        case .file:
            fileExtension = reader.take("extension").flatMap { string($0.node, path: $0.path) }
            allowedFileExtensions = reader.take("allowedFileExtensions").flatMap { stringList($0.node, path: $0.path) } ?? []
        case .form:
            children = reader.take("inputs", required: true).map { inputs($0.node, path: $0.path) } ?? []
        case .bool, .json, .yaml, .uri, .email:
            break
        }
        reader.finish()
        guard let id else { return nil }
        return InputDeclaration(
            id: id, type: type, declaredType: declaredType, displayName: displayName, description: description, required: required,
            defaults: defaults, prefill: prefill, dependsOn: dependsOn, validator: validator, min: minimum, max: maximum, after: after,
            before: before, values: options, expression: expression, allowCustomValue: allowCustomValue, isRadio: isRadio,
            autoSelectFirst: autoSelectFirst, itemType: itemType, allowedFileExtensions: allowedFileExtensions,
            fileExtension: fileExtension, children: children, location: reader.location, path: path
        )
    }

    /// A default or prefill typed by the input's type: a STRING or SELECT value stays exactly the text written.
    func typedValue(_ node: YAMLNode, path: String, type: InputType) -> FlowValue? {
        if case .scalar(let scalar) = node, TemplateSyntax.containsTemplate(scalar.value) {
            return string(node, path: path).map(FlowValue.string)
        }
        switch type {
        case .int: return int(node, path: path, minimum: nil)
        case .float: return number(node, path: path)
        case .bool: return bool(node, path: path)
        case .duration: return durationText(node, path: path)
        case .datetime, .date, .time: return temporal(node, path: path, type: type).map(FlowValue.string)
        case .multiselect, .array:
            if case .sequence(let items, _) = node {
                return .list(
                    items.enumerated().compactMap { item in
                        type == .multiselect
                            ? string(item.element, path: Path.index(path, item.offset)).map(FlowValue.string)
                            : any(item.element, path: Path.index(path, item.offset))
                    })
            }
            return string(node, path: path).map(FlowValue.string)
        case .json, .yaml, .form:
            return any(node, path: path)
        case .string, .select, .uri, .email, .secret, .file:
            return string(node, path: path).map(FlowValue.string)
        }
    }

    func durationText(_ node: YAMLNode, path: String) -> FlowValue? {
        switch duration(node, path: path) {
        case .fixed(let value): .string(value.text)
        case .expression(let text): .string(text)
        case nil: nil
        }
    }

    func temporal(_ node: YAMLNode, path: String, type: InputType) -> String? {
        guard let text = string(node, path: path) else { return nil }
        if TemplateSyntax.containsTemplate(text) { return text }
        let (pattern, example) =
            switch type {
            case .date: (Patterns.isoDate, "2042-12-03")
            case .time: (Patterns.isoTime, "10:15:30")
            default: (Patterns.isoDateTime, "2042-04-02T04:20:42Z")
            }
        guard pattern.matches(text) else {
            error(
                node.location, path,
                "`\(Path.lastComponent(path))` must be an ISO-8601 \(type.rawValue.lowercased()) such as \(example), but got `\(text.abbreviated)`")
            return nil
        }
        return text
    }

    func selectOptions(_ node: YAMLNode, path: String) -> [SelectOption] {
        guard case .sequence(let items, _) = node else {
            if case .scalar(let scalar) = node, TemplateSyntax.containsTemplate(scalar.value) {
                checkTemplate(scalar, path: path)
                return []
            }
            error(node.location, path, "`\(Path.lastComponent(path))` must be a list of values, but got \(node.kindDescription)")
            return []
        }
        var options: [SelectOption] = []
        for (index, item) in items.enumerated() {
            let itemPath = Path.index(path, index)
            if case .mapping = item {
                guard var reader = ObjectReader(item, path: itemPath, what: "a value option", context: self) else { continue }
                let value = reader.take("value", required: true).flatMap { string($0.node, path: $0.path) }
                let label = reader.take("label").flatMap { string($0.node, path: $0.path) }
                reader.finish()
                if let value { options.append(SelectOption(value: value, label: label ?? value)) }
            } else if let value = string(item, path: itemPath) {
                options.append(SelectOption(value: value, label: value))
            }
        }
        return options
    }

    func dependency(_ node: YAMLNode, path: String) -> InputDependency? {
        guard var reader = ObjectReader(node, path: path, what: "`dependsOn`", context: self) else { return nil }
        let inputs = reader.take("inputs").flatMap { stringList($0.node, path: $0.path) } ?? []
        let condition = reader.take("condition").flatMap { string($0.node, path: $0.path) }
        reader.finish()
        return InputDependency(inputs: inputs, condition: condition)
    }
}
