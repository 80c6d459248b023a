/// A parsed template: a tree of nodes, parsed once and rendered many times.
indirect enum Node: Sendable {
    case text(String)
    case print(Expression, source: String)
    case conditional(branches: [(condition: Expression, body: [Node])], otherwise: [Node]?)
    case loop(key: String?, value: String, iterable: Expression, body: [Node], otherwise: [Node]?)
    case assign(name: String, value: Expression)
}

/// One call's arguments as written: positional first, then `name=value`.
struct ArgumentList: Sendable {
    var positional: [Expression] = []
    var named: [(String, Expression)] = []
}

/// An expression with the position it starts at, for error messages.
indirect enum Expression: Sendable {
    case literal(PebbleValue)
    case variable(String, SourcePosition)
    case attribute(Expression, String, SourcePosition)
    case subscripted(Expression, Expression, SourcePosition)
    case list([Expression])
    case map([(Expression, Expression)])
    case unary(String, Expression, SourcePosition)
    case binary(String, Expression, Expression, SourcePosition)
    case conditional(Expression, Expression, Expression)
    case filter(Expression, String, ArgumentList, SourcePosition)
    case call(String, ArgumentList, SourcePosition)
    case test(Expression, String, negated: Bool, ArgumentList, SourcePosition)

    /// The dotted name of a variable path (`inputs.name`, `outputs['a-b'].value`), for "Unable to find" messages.
    var pathName: String? {
        switch self {
        case .variable(let name, _): return name
        case .attribute(let base, let name, _): return base.pathName.map { "\($0).\(name)" }
        case .subscripted(let base, .literal(.string(let key)), _): return base.pathName.map { "\($0)['\(key)']" }
        case .subscripted(let base, .literal(.int(let index)), _): return base.pathName.map { "\($0)[\(index)]" }
        default: return nil
        }
    }
}
