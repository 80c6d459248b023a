import FlowModel
import Pebble

/// Resolves a flow's (or a Pause's `onResume`) inputs from submitted text, exactly as Kestra's
/// `FlowInputOutput.resolveInputs` does (KESTRA.md §2.3): the one function the web form, the JSON API and the CLI call.
///
/// One pass returns every input with its enabled flag, typed value, options and *all* its errors, like Kestra's
/// `/validate` endpoint, so a form can show every problem at once and an execution starts only when ``InputResolution/isValid``.
package struct InputResolver: Sendable {
    let engine: PebbleEngine

    package init(engine: PebbleEngine = PebbleEngine()) {
        self.engine = engine
    }

    /// Resolves `declarations` in order: `submitted[id] ?? defaults` (empty text counts as not submitted), `dependsOn`
    /// recursively, `expression`, the required check, then parsing and validation per type.
    ///
    /// - Parameter context: variables for `dependsOn.condition`, `expression` and templated defaults or bounds (`flow`,
    ///   `vars`, …); its `inputs` is replaced by the input's resolved dependencies, as in Kestra.
    package func resolve(
        _ declarations: [InputDeclaration], submitted: [String: SubmittedInput], context: PebbleMap = PebbleMap()
    ) -> InputResolution {
        var session = ResolutionSession(engine: engine, declarations: declarations, submitted: submitted, context: context)
        let inputs = declarations.indices.map { session.resolve($0).input }
        let values = inputs.compactMap { input in input.enabled ? input.value.map { (input.id, $0) } : nil }
        return InputResolution(inputs: inputs, values: Self.nested(values))
    }

    /// Kestra's `MapUtils.flattenToNestedMap`: `a.b` → `{a: {b: …}}`, keeping the order ids were given in.
    static func nested(_ pairs: [(String, PebbleValue)]) -> PebbleMap {
        var root = PebbleMap()
        for (id, value) in pairs {
            var path = id.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            while path.count > 1, path.last?.isEmpty == true { path.removeLast() }  // Java's split drops trailing empties
            insert(value, at: path[...], into: &root)
        }
        return root
    }

    private static func insert(_ value: PebbleValue, at path: ArraySlice<String>, into map: inout PebbleMap) {
        guard let key = path.first else { return }
        guard path.count > 1 else {
            map[key] = value
            return
        }
        var child = map[key]?.mapValue ?? PebbleMap()
        insert(value, at: path.dropFirst(), into: &child)
        map[key] = .map(child)
    }

    /// Kestra's per-input wrapper (`Data.toConstraintViolationException`).
    static func message(_ id: String, _ detail: String, received: String) -> String {
        "Invalid input for `\(id)`, \(detail), but received `\(received)`"
    }
}

/// One resolution: each input is resolved once, dependencies first, whatever order they are asked for in.
private struct ResolutionSession {
    private enum State {
        case pending
        case resolving
        case resolved(Outcome)
    }

    let engine: PebbleEngine
    let declarations: [InputDeclaration]
    let submitted: [String: SubmittedInput]
    let context: PebbleMap
    private var firstIndex: [String: Int] = [:]
    private var states: [State]

    init(engine: PebbleEngine, declarations: [InputDeclaration], submitted: [String: SubmittedInput], context: PebbleMap) {
        self.engine = engine
        self.declarations = declarations
        self.submitted = submitted
        self.context = context
        self.states = Array(repeating: .pending, count: declarations.count)
        for (index, declaration) in declarations.enumerated() where firstIndex[declaration.id] == nil {
            firstIndex[declaration.id] = index
        }
    }

    mutating func resolve(_ index: Int) -> Outcome {
        outcome(index)!
    }

    /// Nil while the input is being resolved, that is when a dependency cycle leads back to it.
    private mutating func outcome(_ index: Int) -> Outcome? {
        switch states[index] {
        case .resolved(let outcome): return outcome
        case .resolving: return nil
        case .pending: break
        }
        states[index] = .resolving
        let outcome = compute(declarations[index])
        states[index] = .resolved(outcome)
        return outcome
    }

    private mutating func compute(_ declaration: InputDeclaration) -> Outcome {
        var builder = OutcomeBuilder(declaration: declaration, submitted: submitted[declaration.id])

        // Dependencies: unknown ids are ignored (the flow validator reports them); a cycle disables the input.
        var enabled = true
        var dependencies: [(String, PebbleValue)] = []
        for id in declaration.dependsOn?.inputs ?? [] where id != declaration.id {
            guard let index = firstIndex[id] else { continue }
            guard let dependency = outcome(index) else {
                enabled = false
                continue
            }
            if !dependency.input.enabled { enabled = false }
            dependencies.append((id, dependency.dependencyValue))
        }
        var variables = context
        variables["inputs"] = .map(InputResolver.nested(dependencies))

        // Kestra enables the input only when the condition evaluates to the boolean true.
        if enabled, let condition = declaration.dependsOn?.condition {
            do {
                enabled = try engine.render(condition, variables: variables) == "true"
            } catch {
                builder.errors.append("Invalid condition: \(error.description)")
                enabled = false
            }
        }
        guard enabled else { return builder.finish(enabled: false) }

        if let expression = declaration.expression, declaration.type == .select || declaration.type == .multiselect {
            switch renderOptions(expression, variables: variables) {
            case .success(let options): builder.options = options
            case .failure(let failure):
                builder.errors.append(failure.message)
                return builder.finish()
            }
        }

        if declaration.type == .form { return resolveForm(declaration, builder: builder) }

        if builder.source == .defaults, case .string(let template)? = builder.raw, TemplateSyntax.containsTemplate(template) {
            do {
                builder.raw = .string(try engine.render(template, variables: variables))
            } catch {
                builder.fail("Cannot render `defaults`. Cause: \(error.description)")
                return builder.finish()
            }
        }

        guard let raw = builder.raw, !raw.isNull else {
            if declaration.required {
                builder.fail("missing required input")
                return builder.finish()
            }
            return builder.finish(value: .null)
        }
        do {
            let value = try InputParsing.parse(raw, as: declaration.type, itemType: declaration.itemType)
            let engine = engine
            let validation = InputValidation(declaration: declaration, options: builder.options, filename: builder.filename) {
                (template: String) throws(PebbleError) -> String in try engine.render(template, variables: variables)
            }
            try validation.validate(value)
            return builder.finish(value: value)
        } catch {
            builder.fail(error.detail)
            return builder.finish()
        }
    }

    /// A 2.0 FORM groups child inputs: they are submitted as `<form>.<child>` and their values nest under the form's id.
    private func resolveForm(_ declaration: InputDeclaration, builder: OutcomeBuilder) -> Outcome {
        var builder = builder
        let prefix = declaration.id + "."
        var childValues: [String: SubmittedInput] = [:]
        for (key, value) in submitted where key.hasPrefix(prefix) { childValues[String(key.dropFirst(prefix.count))] = value }
        let resolution = InputResolver(engine: engine).resolve(declaration.children, submitted: childValues, context: context)
        builder.children = resolution.inputs
        builder.errors += resolution.errors
        return builder.finish(value: resolution.isValid ? .map(resolution.values) : nil)
    }

    // MARK: - Expression

    private struct ExpressionFailure: Error {
        let message: String
    }

    /// Kestra's `renderExpressionValues`: the expression must produce a list; each element (or its `value`, for
    /// `{label, value}` maps) becomes an option.
    private func renderOptions(_ expression: String, variables: PebbleMap) -> Result<[SelectOption], ExpressionFailure> {
        let text: String
        do {
            text = try engine.render(expression, variables: variables)
        } catch {
            return .failure(ExpressionFailure(message: "Cannot render 'expression'. Cause: \(error.description)"))
        }
        // Kestra renders the expression typed; a list prints as JSON, so reading the text back recovers it.
        let result: PebbleValue = text.isEmpty ? .null : (try? PebbleValue.fromJSON(text)) ?? .string(text)
        guard case .list(let items) = result else {
            return .failure(
                ExpressionFailure(message: "Invalid expression result. Expected a list of strings, but received \(javaClassName(result))"))
        }
        return .success(
            items.compactMap { item in
                if case .map(let map) = item, let value = map["value"] {
                    return SelectOption(value: InputParsing.text(value), label: map["label"].map(InputParsing.text) ?? InputParsing.text(value))
                }
                return item.isNull ? nil : SelectOption(value: InputParsing.text(item), label: InputParsing.text(item))
            })
    }

    /// The simple name of the Java class Kestra would have seen for a rendered value.
    private func javaClassName(_ value: PebbleValue) -> String {
        switch value {
        case .null: "<null>"
        case .bool: "Boolean"
        case .int(let number): Int32(exactly: number) == nil ? "Long" : "Integer"
        case .double: "Double"
        case .string: "String"
        case .list: "ArrayList"
        case .map: "LinkedHashMap"
        }
    }
}

/// Collects what is known about one input while it is resolved.
private struct OutcomeBuilder {
    let declaration: InputDeclaration
    var raw: PebbleValue?
    var filename: String?
    var source: ResolvedInput.Source
    var options: [SelectOption]
    var errors: [String] = []
    var children: [ResolvedInput] = []

    init(declaration: InputDeclaration, submitted: SubmittedInput?) {
        self.declaration = declaration
        self.options = declaration.values
        switch submitted {
        case .text(let text)? where !text.isEmpty:
            (raw, source) = (.string(text), .submitted)
        case .file(let uri, let filename)? where !uri.isEmpty:
            (raw, self.filename, source) = (.string(uri), filename, .submitted)
        default:
            if let defaults = declaration.defaults, defaults != .null {
                (raw, source) = (PebbleValue(defaults), .defaults)
            } else {
                (raw, source) = (nil, .none)
            }
        }
    }

    /// Records a value problem in Kestra's wrapper, echoing the value as received (`null` when there is none), except a
    /// SECRET's: the message reaches the form, the API and, for triggered executions, the stored error.
    mutating func fail(_ detail: String) {
        guard let raw else {
            errors.append(InputResolver.message(declaration.id, detail, received: "null"))
            return
        }
        guard declaration.type != .secret else {
            errors.append("Invalid input for `\(declaration.id)`, \(detail); the value received is a secret and is not shown")
            return
        }
        errors.append(InputResolver.message(declaration.id, detail, received: InputParsing.text(raw)))
    }

    func finish(enabled: Bool = true, value: PebbleValue? = nil) -> Outcome {
        let input = ResolvedInput(
            declaration: declaration, enabled: enabled, value: errors.isEmpty ? value : nil, rawText: raw.map(InputParsing.text),
            source: source, errors: errors, options: options, children: children
        )
        return (input, input.value ?? raw ?? .null)
    }
}

/// A resolved input and the value its dependants see in `inputs` (Kestra's `InputAndValue.value()`: the typed value
/// when valid, else what was submitted).
private typealias Outcome = (input: ResolvedInput, dependencyValue: PebbleValue)
