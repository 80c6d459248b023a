/// Arguments of a filter or function call: positional ones map onto the declared names, then named ones.
public struct Arguments: Sendable {
    public let positional: [PebbleValue]
    public let named: [String: PebbleValue]
    let names: [String]

    public init(positional: [PebbleValue] = [], named: [String: PebbleValue] = [:], names: [String] = []) {
        self.positional = positional
        self.named = named
        self.names = names
    }

    /// The argument declared as `name` (at `names` position) given by position or by name.
    public subscript(name: String) -> PebbleValue? {
        if let value = named[name] { return value }
        if let index = names.firstIndex(of: name), index < positional.count { return positional[index] }
        return nil
    }

    public var isEmpty: Bool { positional.isEmpty && named.isEmpty }

    /// The argument as a string, or an error naming it.
    public func string(_ name: String, for owner: String) throws -> String? {
        guard let value = self[name], value != .null else { return nil }
        guard case .string(let text) = value else {
            throw PebbleError(.evaluation, "the `\(name)` argument of `\(owner)` must be a string, but got \(value.typeName)")
        }
        return text
    }

    public func int(_ name: String, for owner: String) throws -> Int64? {
        guard let value = self[name], value != .null else { return nil }
        switch value {
        case .int(let number): return number
        case .double(let number) where number.rounded() == number && abs(number) < 9.2e18: return Int64(number)
        case .string(let text) where Int64(text) != nil: return Int64(text)
        default: throw PebbleError(.evaluation, "the `\(name)` argument of `\(owner)` must be a whole number, but got \(value.typeName)")
        }
    }
}

/// A filter: `{{ value | name(arguments) }}`.
public struct PebbleFilter: Sendable {
    public let name: String
    /// Names of the arguments in positional order, for `name(a, b)` and `name(b=…)`.
    public let argumentNames: [String]
    public let apply: @Sendable (PebbleValue, Arguments, RenderScope) throws -> PebbleValue

    public init(
        _ name: String,
        arguments: [String] = [],
        apply: @escaping @Sendable (PebbleValue, Arguments, RenderScope) throws -> PebbleValue
    ) {
        self.name = name
        self.argumentNames = arguments
        self.apply = apply
    }
}

/// A function: `{{ name(arguments) }}`. Functions that reach the outside world (`secret`, `read`, `now`) are injected.
public struct PebbleFunction: Sendable {
    public let name: String
    public let argumentNames: [String]
    public let call: @Sendable (Arguments, RenderScope) throws -> PebbleValue

    public init(
        _ name: String,
        arguments: [String] = [],
        call: @escaping @Sendable (Arguments, RenderScope) throws -> PebbleValue
    ) {
        self.name = name
        self.argumentNames = arguments
        self.call = call
    }
}

/// What a filter or function may see of the render in progress: the variables, and rendering of nested templates.
public struct RenderScope: Sendable {
    /// The caller's variables, then the loop scopes; merged only when someone asks, as most filters never do.
    let scopes: [PebbleMap]
    let renderTemplate: @Sendable (String, PebbleMap) throws -> String

    public init(variables: PebbleMap, renderTemplate: @escaping @Sendable (String, PebbleMap) throws -> String) {
        self.init(scopes: [variables], renderTemplate: renderTemplate)
    }

    init(scopes: [PebbleMap], renderTemplate: @escaping @Sendable (String, PebbleMap) throws -> String) {
        self.scopes = scopes
        self.renderTemplate = renderTemplate
    }

    /// Every variable visible at the call; inner scopes (loop variables, `set`) hide outer ones of the same name.
    public var variables: PebbleMap {
        guard scopes.count > 1 else { return scopes.first ?? PebbleMap() }
        var merged = PebbleMap()
        for scope in scopes {
            for (key, value) in scope.pairs { merged[key] = value }
        }
        return merged
    }

    /// Renders `template` with the same engine and variables (Kestra's `render()`).
    public func render(_ template: String) throws -> String {
        try renderTemplate(template, variables)
    }
}
