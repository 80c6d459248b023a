import Foundation

/// The filters and functions every engine has; the engine adds the injected ones on top.
enum StandardLibrary {
    static var filters: [PebbleFilter] { StringFilters.all + CollectionFilters.all + DateFilters.all + NumberFilters.all + [JqFilter.filter] }

    static func functions(limits: PebbleEngine.Limits) -> [PebbleFunction] {
        [
            PebbleFunction("range", arguments: ["start", "end", "step"]) { arguments, _ in
                guard let start = arguments["start"], let end = arguments["end"] else {
                    throw PebbleError(.evaluation, "`range` needs a start and an end, for example range(1, 5)")
                }
                return try Operators.range(start, end, step: arguments["step"] ?? .int(1), limits: limits).get()
            },
            PebbleFunction("max") { arguments, _ in try extreme(arguments.positional, name: "max", pick: >) },
            PebbleFunction("min") { arguments, _ in try extreme(arguments.positional, name: "min", pick: <) },
            PebbleFunction("fromJson", arguments: ["json"], call: parseJSON),
            PebbleFunction("json", arguments: ["json"], call: parseJSON),
            PebbleFunction("uuid") { _, _ in .string(UUID().uuidString.lowercased()) },
            PebbleFunction("randomInt", arguments: ["lower", "upper"]) { arguments, _ in
                guard let lower = try arguments.int("lower", for: "randomInt"), let upper = try arguments.int("upper", for: "randomInt"),
                    lower < upper
                else {
                    throw PebbleError(.evaluation, "`randomInt` needs a lower bound below the upper bound, for example randomInt(1, 10)")
                }
                // Kestra's RandomIntFunction: lower inclusive, upper exclusive.
                return .int(Int64.random(in: lower..<upper))
            },
            PebbleFunction("printContext") { _, scope in .string(PebbleValue.map(scope.variables).json) },
            PebbleFunction("render", arguments: ["toRender", "recursive"]) { arguments, scope in
                guard let value = arguments["toRender"] else { throw PebbleError(.evaluation, "`render` needs the text to render") }
                let recursive = arguments["recursive"] != .bool(false)
                return try render(value, scope: scope, recursive: recursive, passes: limits.maximumRenderDepth)
            },
        ] + contextFunctions
    }

    /// Kestra's `render()`: renders text again until it stops changing (unless `recursive=false`), and renders the
    /// strings inside lists and maps; a text that never settles (a variable that refers to itself) is an error.
    static func render(_ value: PebbleValue, scope: RenderScope, recursive: Bool, passes: Int) throws -> PebbleValue {
        switch value {
        case .string(var text):
            for _ in 0..<max(1, passes) {
                let next = try scope.render(text)
                if !recursive || next == text { return .string(next) }
                text = next
            }
            throw PebbleError(.limit, "`render` still changes the text after \(passes) passes; does a variable refer to itself?")
        case .list(let items):
            return .list(try items.map { try render($0, scope: scope, recursive: recursive, passes: passes) })
        case .map(let map):
            return .map(PebbleMap(try map.pairs.map { ($0.key, try render($0.value, scope: scope, recursive: recursive, passes: passes)) }))
        default:
            return value
        }
    }

    @Sendable static func parseJSON(_ arguments: Arguments, _ scope: RenderScope) throws -> PebbleValue {
        guard let value = arguments["json"] else { throw PebbleError(.evaluation, "`fromJson` needs the JSON text to read") }
        guard case .string(let text) = value else { return value }
        return try JSONReader.parse(text)
    }

    static func extreme(_ values: [PebbleValue], name: String, pick: (Double, Double) -> Bool) throws -> PebbleValue {
        guard var best = values.first else { throw PebbleError(.evaluation, "`\(name)` needs at least one number") }
        for value in values.dropFirst() {
            guard let a = Operators.number(value), let b = Operators.number(best) else {
                throw PebbleError(.evaluation, "`\(name)` needs numbers, but got \(value.typeName)")
            }
            if pick(a, b) { best = value }
        }
        return best
    }
}

extension Result where Failure == PebbleError {
    func get() throws(PebbleError) -> Success {
        switch self {
        case .success(let value): return value
        case .failure(let error): throw error
        }
    }
}
