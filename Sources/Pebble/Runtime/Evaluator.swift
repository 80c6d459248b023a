/// The value of an expression, or the name of what was not defined (Kestra renders with strict variables).
enum Resolved {
    case value(PebbleValue)
    case undefined(String)
}

/// Renders parsed nodes against variables. One evaluator serves one render call.
struct Evaluator {
    let engine: PebbleEngine
    /// The caller's variables, then one scope per `for` body; `set` writes to the innermost.
    var scopes: [PebbleMap]
    var output = ""
    var iterations = 0
    let renderDepth: Int

    init(engine: PebbleEngine, variables: PebbleMap, renderDepth: Int) {
        self.engine = engine
        self.scopes = [variables]
        self.renderDepth = renderDepth
    }

    // MARK: - Nodes

    mutating func render(_ nodes: [Node]) throws(PebbleError) {
        for node in nodes {
            switch node {
            case .text(let text):
                try write(text)
            case .print(let expression, let source):
                switch try evaluate(expression) {
                case .value(let value): try write(value.rendered)
                case .undefined(let name): throw undefined(name, in: source, at: expression)
                }
            case .conditional(let branches, let otherwise):
                var matched = false
                for branch in branches where try condition(branch.condition, in: "{% if %}") {
                    try render(branch.body)
                    matched = true
                    break
                }
                if !matched, let otherwise { try render(otherwise) }
            case .loop(let key, let value, let iterable, let body, let otherwise):
                try renderLoop(key: key, value: value, iterable: iterable, body: body, otherwise: otherwise)
            case .assign(let name, let expression):
                let value = try defined(expression, in: "{% set \(name) = … %}")
                // Pebble: `set` updates a variable where it already exists; a new name lives in the innermost scope.
                let holder = scopes.lastIndex { $0[name] != nil } ?? scopes.count - 1
                scopes[holder][name] = value
            }
        }
    }

    private mutating func write(_ text: String) throws(PebbleError) {
        output += text
        if output.utf8.count > engine.limits.maximumOutputBytes {
            throw PebbleError(.limit, "the rendered text is larger than \(engine.limits.maximumOutputBytes) bytes")
        }
    }

    private mutating func renderLoop(
        key: String?,
        value: String,
        iterable: Expression,
        body: [Node],
        otherwise: [Node]?
    ) throws(PebbleError) {
        let collection = try defined(iterable, in: "{% for %}")
        let items: [(PebbleValue, PebbleValue)]
        switch collection {
        case .list(let list): items = list.enumerated().map { (.int(Int64($0.offset)), $0.element) }
        case .map(let map): items = map.pairs.map { (.string($0.key), $0.value) }
        case .null:
            // Pebble's ForNode renders nothing for a null iterable, not even the else branch.
            return
        default:
            throw PebbleError(.evaluation, "`{% for %}` needs a list or a map, but got \(collection.typeName)").located(at: iterable.position)
        }
        if items.isEmpty {
            if let otherwise { try render(otherwise) }
            return
        }
        for (index, item) in items.enumerated() {
            iterations += 1
            if iterations > engine.limits.maximumIterations {
                throw PebbleError(.limit, "loops ran more than \(engine.limits.maximumIterations) times in one render").located(at: iterable.position)
            }
            var scope = PebbleMap()
            // Pebble's loop variables (ForNode): index is 0-based, revindex counts down to 0.
            scope["loop"] = .map(
                PebbleMap([
                    ("index", .int(Int64(index))), ("length", .int(Int64(items.count))), ("first", .bool(index == 0)),
                    ("last", .bool(index == items.count - 1)), ("revindex", .int(Int64(items.count - index - 1))),
                ]))
            if let key {
                scope[key] = item.0
                scope[value] = item.1
            } else if case .map = collection {
                scope[value] = .map(PebbleMap([("key", item.0), ("value", item.1)]))
            } else {
                scope[value] = item.1
            }
            scopes.append(scope)
            defer { scopes.removeLast() }
            try render(body)
        }
    }

    // MARK: - Expressions

    /// The value of `expression`, failing with Kestra's "Unable to find" message when it is undefined.
    mutating func defined(_ expression: Expression, in source: String) throws(PebbleError) -> PebbleValue {
        switch try evaluate(expression) {
        case .value(let value): return value
        case .undefined(let name): throw undefined(name, in: source, at: expression)
        }
    }

    func undefined(_ name: String, in source: String, at expression: Expression) -> PebbleError {
        let position = expression.position
        return PebbleError(
            .undefined, "Unable to find `\(name)` used in the expression `\(source)`",
            line: position.line, column: position.column, offset: position.offset
        )
    }

    private mutating func operand(_ expression: Expression, of op: String) throws(PebbleError) -> PebbleValue {
        try defined(expression, in: expression.pathName.map { "{{ \($0) }}" } ?? "{{ … \(op) … }}")
    }

    /// Pebble's truth for `if`, `and`, `or`, `not` and `? :` (IfNode, TypeUtils): booleans as they are, numbers
    /// non-zero, any non-empty text true (even "false"). Null is an error under strict variables, except in `? :`,
    /// where it is false; lists and maps are errors.
    mutating func condition(_ expression: Expression, in construct: String, nullIsFalse: Bool = false) throws(PebbleError) -> Bool {
        let value = try defined(expression, in: expression.pathName.map { "{{ \($0) }}" } ?? construct)
        switch value {
        case .bool(let flag): return flag
        case .int(let number): return number != 0
        case .double(let number): return number != 0
        case .string(let text): return !text.isEmpty
        case .null where nullIsFalse: return false
        default:
            throw PebbleError(.evaluation, "\(construct) needs a boolean, but got \(value.typeName)").located(at: expression.position)
        }
    }

    mutating func evaluate(_ expression: Expression) throws(PebbleError) -> Resolved {
        switch expression {
        case .literal(let value):
            return .value(value)
        case .variable(let name, _):
            for scope in scopes.reversed() {
                if let value = scope[name] { return .value(value) }
            }
            return .undefined(name)
        case .attribute(let base, let name, _):
            return try member(of: base, key: .string(name), whole: expression)
        case .subscripted(let base, let key, _):
            let keyValue = try defined(key, in: key.pathName.map { "{{ \($0) }}" } ?? "[…]")
            return try member(of: base, key: keyValue, whole: expression)
        case .list(let items):
            var values: [PebbleValue] = []
            for item in items { values.append(try operand(item, of: "[…]")) }
            return .value(.list(values))
        case .map(let entries):
            var pairs: [(String, PebbleValue)] = []
            for (key, value) in entries {
                pairs.append((try operand(key, of: "{…}").rendered, try operand(value, of: "{…}")))
            }
            // Pebble builds map literals as java.util.HashMap, so they iterate in hash order, not source order.
            return .value(.map(JavaHashMap.ordered(pairs)))
        case .unary("not", let operand, _):
            return .value(.bool(!(try condition(operand, in: "`not`"))))
        case .unary(let op, let operand, let position):
            let value = try self.operand(operand, of: op)
            return .value(try Operators.unary(op, value).get(at: position))
        case .binary(let op, let left, let right, let position):
            return try binary(op, left, right, at: position)
        case .conditional(let test, let whenTrue, let whenFalse):
            return try evaluate(try condition(test, in: "`? :`", nullIsFalse: true) ? whenTrue : whenFalse)
        case .filter(let input, let name, let arguments, let position):
            return .value(try applyFilter(name, to: input, arguments: arguments, at: position))
        case .call(let name, let arguments, let position):
            return .value(try call(name, arguments: arguments, at: position))
        case .test(let input, let name, let negated, let arguments, let position):
            let result = try applyTest(name, to: input, arguments: arguments, at: position)
            return .value(.bool(result != negated))
        }
    }

    private mutating func member(of base: Expression, key: PebbleValue, whole: Expression) throws(PebbleError) -> Resolved {
        let name = whole.pathName ?? "\(base.pathName ?? "value")[\(key.rendered)]"
        let container: PebbleValue
        switch try evaluate(base) {
        case .value(let value): container = value
        case .undefined(let missing): return .undefined(missing)
        }
        switch (container, key) {
        case (.map(let map), _):
            if let value = map[key.rendered] { return .value(value) }
        case (.list(let items), .int(let index)):
            if index >= 0, index < items.count { return .value(items[Int(index)]) }
        // The few Java getters Pebble reaches by reflection that flows use: `list.size`, `text.length`, `x.empty`.
        case (.list(let items), .string("size")):
            return .value(.int(Int64(items.count)))
        case (.list(let items), .string("empty")):
            return .value(.bool(items.isEmpty))
        case (.string(let text), .string("length")):
            return .value(.int(Int64(text.utf16.count)))
        case (.string(let text), .string("empty")):
            return .value(.bool(text.isEmpty))
        default:
            break
        }
        return .undefined(name)
    }

    private mutating func binary(_ op: String, _ left: Expression, _ right: Expression, at position: SourcePosition) throws(PebbleError) -> Resolved {
        switch op {
        case "??":
            // Kestra's NullCoalescingExpression: the left side unless it is undefined (anywhere inside) or null.
            if case .value(let value) = try evaluateCatchingUndefined(left), value != .null { return .value(value) }
            return try evaluate(right)
        case "???":
            // Kestra's UndefinedCoalescingExpression: only an undefined left side falls through; null stays null.
            if case .value(let value) = try evaluateCatchingUndefined(left) { return .value(value) }
            return try evaluate(right)
        case "and":
            guard try condition(left, in: "`and`") else { return .value(.bool(false)) }
            return .value(.bool(try condition(right, in: "`and`")))
        case "or":
            if try condition(left, in: "`or`") { return .value(.bool(true)) }
            return .value(.bool(try condition(right, in: "`or`")))
        default:
            let lhs = try operand(left, of: op)
            let rhs = try operand(right, of: op)
            return .value(try Operators.binary(op, lhs, rhs, limits: engine.limits).get(at: position))
        }
    }

    /// Evaluates `expression`, turning an undefined name met anywhere inside (a key, a filter's input) into `.undefined`.
    private mutating func evaluateCatchingUndefined(_ expression: Expression) throws(PebbleError) -> Resolved {
        do {
            return try evaluate(expression)
        } catch  where error.kind == .undefined {
            return .undefined(expression.pathName ?? "value")
        }
    }

    private mutating func evaluateArguments(_ list: ArgumentList, names: [String], owner: String) throws(PebbleError) -> Arguments {
        if !names.isEmpty, let unknown = list.named.first(where: { !names.contains($0.0) }) {
            throw PebbleError(
                .evaluation,
                "`\(owner)` has no argument named `\(unknown.0)`; its arguments are " + names.map { "`\($0)`" }.joined(separator: ", ")
            ).located(at: unknown.1.position)
        }
        var positional: [PebbleValue] = []
        for expression in list.positional { positional.append(try operand(expression, of: owner)) }
        var named: [String: PebbleValue] = [:]
        for (name, expression) in list.named { named[name] = try operand(expression, of: owner) }
        return Arguments(positional: positional, named: named, names: names)
    }

    private var renderScope: RenderScope {
        let engine = self.engine
        let depth = renderDepth
        return RenderScope(scopes: scopes) { template, variables in
            do {
                return try engine.render(template, variables: variables, depth: depth + 1)
            } catch {
                throw error
            }
        }
    }

    private mutating func applyFilter(_ name: String, to input: Expression, arguments list: ArgumentList, at position: SourcePosition)
        throws(PebbleError) -> PebbleValue
    {
        guard let filter = engine.filters[name] else {
            var message = "unknown filter `\(name)`"
            if let suggestion = Suggestions.closest(to: name, among: Array(engine.filters.keys)) { message += "; did you mean `\(suggestion)`?" }
            throw PebbleError(.unknown, message, line: position.line, column: position.column, offset: position.offset)
        }
        let value: PebbleValue
        switch try evaluate(input) {
        case .value(let resolved): value = resolved
        case .undefined(let missing):
            // `default` exists to rescue undefined values; every other filter needs a defined input.
            guard name == "default" else { throw undefined(missing, in: "{{ \(missing) | \(name) }}", at: input) }
            value = .null
        }
        let arguments = try evaluateArguments(list, names: filter.argumentNames, owner: name)
        return try Self.guarded(at: position) { try filter.apply(value, arguments, renderScope) }
    }

    private mutating func call(_ name: String, arguments list: ArgumentList, at position: SourcePosition) throws(PebbleError) -> PebbleValue {
        guard let function = engine.functions[name] else {
            var message = "unknown function `\(name)`"
            if let suggestion = Suggestions.closest(to: name, among: Array(engine.functions.keys)) { message += "; did you mean `\(suggestion)`?" }
            throw PebbleError(.unknown, message, line: position.line, column: position.column, offset: position.offset)
        }
        let arguments = try evaluateArguments(list, names: function.argumentNames, owner: name)
        let scope = renderScope
        return try Self.guarded(at: position) { try function.call(arguments, scope) }
    }

    private mutating func applyTest(_ name: String, to input: Expression, arguments: ArgumentList, at position: SourcePosition) throws(PebbleError)
        -> Bool
    {
        if name == "defined" {
            // Pebble's DefinedTest is "not null", and an undefined name anywhere inside counts as not defined.
            guard case .value(let value) = try evaluateCatchingUndefined(input) else { return false }
            return value != .null
        }
        let resolved = try evaluate(input)
        let value: PebbleValue
        switch resolved {
        case .value(let defined): value = defined
        case .undefined(let missing):
            // Like Pebble with strict variables, only `defined` may look at an undefined name.
            throw undefined(missing, in: "{{ \(missing) is \(name) }}", at: input)
        }
        switch name {
        case "null": return value == .null
        case "empty":
            switch value {
            case .null: return true
            case .string(let text): return text.trimmingWhitespace().isEmpty
            case .list(let items): return items.isEmpty
            case .map(let map): return map.isEmpty
            default: return false
            }
        case "even", "odd":
            guard case .int(let number) = value else {
                throw PebbleError(
                    .evaluation, "the test `\(name)` needs an integer, but got \(value.typeName)", line: position.line, column: position.column,
                    offset: position.offset)
            }
            return (number % 2 == 0) == (name == "even")
        // A Java Map is not Iterable; only lists are.
        case "iterable": return value.listValue != nil
        case "map": return value.mapValue != nil
        case "json":
            switch value {
            case .string(let text): return (try? JSONReader.parse(text)) != nil
            case .list, .map: return true
            default: return false
            }
        default:
            let tests = ["defined", "null", "empty", "even", "odd", "iterable", "map", "json"]
            var message = "unknown test `\(name)`"
            if let suggestion = Suggestions.closest(to: name, among: tests) { message += "; did you mean `\(suggestion)`?" }
            throw PebbleError(.unknown, message, line: position.line, column: position.column, offset: position.offset)
        }
    }

    /// Runs library code, turning any error into a positioned `PebbleError`.
    static func guarded(at position: SourcePosition, _ body: () throws -> PebbleValue) throws(PebbleError) -> PebbleValue {
        do {
            return try body()
        } catch let error as PebbleError {
            throw error.located(at: position)
        } catch {
            throw PebbleError(.evaluation, "\(error)", line: position.line, column: position.column, offset: position.offset)
        }
    }
}

extension Expression {
    /// Where the expression starts, for error messages.
    var position: SourcePosition {
        switch self {
        case .variable(_, let position), .call(_, _, let position), .unary(_, _, let position): position
        case .attribute(let base, _, _), .subscripted(let base, _, _), .filter(let base, _, _, _), .test(let base, _, _, _, _),
            .binary(_, let base, _, _), .conditional(let base, _, _):
            base.position
        case .literal, .list, .map: .start
        }
    }
}

extension Result where Failure == PebbleError {
    func get(at position: SourcePosition) throws(PebbleError) -> Success {
        switch self {
        case .success(let value): return value
        case .failure(let error): throw error.located(at: position)
        }
    }
}
