/// The functions and filters a template calls, checked against the ones Gatehouse provides, so that a Kestra function
/// Gatehouse lacks (`kv()`, `http()`, …) is a validation error at its place in the flow, not a failure at run time.
package enum TemplateNames {
    /// The functions the engine adds to the standard library (FlowRunner: `secret`, `now` with the engine's clock,
    /// `read` of stored files). An engine test keeps this in step with what the running engine offers.
    package static let hostFunctions: Set<String> = ["secret", "now", "read"]

    package static let functions = Set(StandardLibrary.functions(limits: PebbleEngine.Limits()).map(\.name)).union(hostFunctions)
    package static let filters = Set(StandardLibrary.filters.map(\.name))

    /// Every call of an unknown function or filter, in the order written.
    static func problems(in nodes: [Node]) -> [TemplateSyntaxError] {
        var problems: [TemplateSyntaxError] = []
        for node in nodes { visit(node, &problems) }
        return problems
    }

    private static func visit(_ node: Node, _ problems: inout [TemplateSyntaxError]) {
        switch node {
        case .text: break
        case .print(let expression, _): visit(expression, &problems)
        case .conditional(let branches, let otherwise):
            for branch in branches {
                visit(branch.condition, &problems)
                for child in branch.body { visit(child, &problems) }
            }
            for child in otherwise ?? [] { visit(child, &problems) }
        case .loop(_, _, let iterable, let body, let otherwise):
            visit(iterable, &problems)
            for child in body + (otherwise ?? []) { visit(child, &problems) }
        case .assign(_, let value): visit(value, &problems)
        }
    }

    private static func visit(_ expression: Expression, _ problems: inout [TemplateSyntaxError]) {
        switch expression {
        case .literal, .variable: break
        case .attribute(let base, _, _): visit(base, &problems)
        case .subscripted(let base, let key, _):
            visit(base, &problems)
            visit(key, &problems)
        case .list(let items): for item in items { visit(item, &problems) }
        case .map(let pairs):
            for (key, value) in pairs {
                visit(key, &problems)
                visit(value, &problems)
            }
        case .unary(_, let operand, _): visit(operand, &problems)
        case .binary(_, let left, let right, _):
            visit(left, &problems)
            visit(right, &problems)
        case .conditional(let condition, let then, let otherwise):
            for part in [condition, then, otherwise] { visit(part, &problems) }
        case .filter(let input, let name, let arguments, let position):
            visit(input, &problems)
            if !filters.contains(name) { problems.append(unknown("filter", name, among: filters, at: position)) }
            visit(arguments, &problems)
        case .call(let name, let arguments, let position):
            if !functions.contains(name) { problems.append(unknown("function", name, among: functions, at: position)) }
            visit(arguments, &problems)
        case .test(let input, _, _, let arguments, _):
            visit(input, &problems)
            visit(arguments, &problems)
        }
    }

    private static func visit(_ arguments: ArgumentList, _ problems: inout [TemplateSyntaxError]) {
        for argument in arguments.positional + arguments.named.map(\.1) { visit(argument, &problems) }
    }

    private static func unknown(_ kind: String, _ name: String, among known: Set<String>, at position: SourcePosition) -> TemplateSyntaxError {
        var message = "unknown \(kind) `\(name)`: Gatehouse does not provide it"
        if let suggestion = Suggestions.closest(to: name, among: known.sorted()) { message += "; did you mean `\(suggestion)`?" }
        return TemplateSyntaxError(message: message, offset: position.offset)
    }
}
