import Foundation

// jq's builtin functions, defined as jackson-jq defines them for jq 1.6 (its `jq.json` and native functions).

extension Jq {
    enum Builtins {
        typealias Emit = Interpreter.Emit
        typealias Env = [String: PebbleValue]

        /// Every combination of the value arguments' outputs, first argument outermost.
        static func withValues(
            _ arguments: [Node], _ input: PebbleValue, _ env: Env, _ interpreter: Interpreter, _ body: @escaping ([PebbleValue]) throws -> Void
        ) throws {
            func loop(_ index: Int, _ values: [PebbleValue]) throws {
                guard index < arguments.count else { return try body(values) }
                try interpreter.eval(arguments[index], input, env) { value in try loop(index + 1, values + [value]) }
            }
            try loop(0, [])
        }

        static func number(_ value: PebbleValue, _ name: String, at position: Int) throws -> Double {
            guard let number = Values.double(value) else { throw Failure("\(Values.describe(value)) number required", at: position) }
            return number
        }

        static func string(_ value: PebbleValue, _ message: String, at position: Int) throws -> String {
            guard case .string(let text) = value else { throw Failure("\(Values.describe(value)) \(message)", at: position) }
            return text
        }

        static func array(_ value: PebbleValue, _ message: String, at position: Int) throws -> [PebbleValue] {
            guard case .list(let items) = value else { throw Failure("\(Values.describe(value)) \(message)", at: position) }
            return items
        }

        // swift-format-ignore
        static func call(
            _ name: String, _ arguments: [Node], at position: Int, _ input: PebbleValue, _ env: Env, _ interpreter: Interpreter,
            _ emit: @escaping Emit
        ) throws {
            let arity = arguments.count
            switch (name, arity) {
            // MARK: Core
            case ("empty", 0): return
            case ("not", 0): try emit(.bool(!Values.isTruthy(input)))
            case ("error", 0): throw Failure(errorMessage(input), at: position, value: input)
            case ("error", 1):
                try withValues(arguments, input, env, interpreter) { values in
                    throw Failure(errorMessage(values[0]), at: position, value: values[0])
                }
            case ("select", 1):
                try interpreter.eval(arguments[0], input, env) { condition in
                    if Values.isTruthy(condition) { try emit(input) }
                }
            case ("map", 1):
                var result: [PebbleValue] = []
                try Values.iterate(input, at: position) { item in
                    try interpreter.eval(arguments[0], item, env) { value in result.append(value) }
                }
                try emit(.list(result))
            case ("recurse", 0), ("recurse_down", 0):
                try interpreter.recurseAll(input) { value, _ in try emit(value) }
            case ("recurse", 1), ("recurse", 2):
                // jackson-jq: def recurse(f): def r: ., (f | select(. != null) | r); r — and cond instead of `. != null`.
                func recurse(_ value: PebbleValue) throws {
                    try emit(value)
                    try interpreter.eval(arguments[0], value, env) { next in
                        if arity == 2 {
                            var keep = false
                            try interpreter.eval(arguments[1], next, env) { condition in keep = keep || Values.isTruthy(condition) }
                            if keep { try recurse(next) }
                        } else if next != .null {
                            try recurse(next)
                        }
                    }
                }
                try recurse(input)
            case ("path", 1):
                try interpreter.paths(arguments[0], input, [], env) { _, path in try emit(.list(path)) }
            case ("paths", 0), ("paths", 1), ("leaf_paths", 0):
                // jackson-jq: paths is paths(. != null); leaf_paths is paths(scalars).
                try interpreter.recurseAll(input) { value, path in
                    guard !path.isEmpty else { return }
                    var keep = false
                    if name == "leaf_paths" {
                        keep = !isContainer(value)
                    } else if arity == 0 {
                        keep = value != .null
                    } else {
                        try interpreter.eval(arguments[0], value, env) { condition in keep = keep || Values.isTruthy(condition) }
                    }
                    if keep { try emit(.list(path)) }
                }
            case ("getpath", 1):
                try withValues(arguments, input, env, interpreter) { values in
                    let path = try array(values[0], "Path must be specified as an array", at: position)
                    try emit(try Values.getPath(input, path, at: position))
                }
            case ("setpath", 2):
                try withValues(arguments, input, env, interpreter) { values in
                    let path = try array(values[0], "Path must be specified as an array", at: position)
                    try emit(try Values.setPath(input, path, values[1], at: position, interpreter))
                }
            case ("delpaths", 1):
                try withValues(arguments, input, env, interpreter) { values in
                    let paths = try array(values[0], "Paths must be specified as an array", at: position).map { path in
                        try array(path, "Path must be specified as an array", at: position)
                    }
                    try emit(try Values.deletePaths(input, paths, at: position, interpreter))
                }
            case ("del", 1):
                let paths = try interpreter.collectPaths(arguments[0], input, env)
                try emit(try Values.deletePaths(input, paths, at: position, interpreter))
            case ("to_entries", 0):
                // jq 1.6: [keys_unsorted[] as $k | {key: $k, value: .[$k]}], so arrays give index keys.
                switch input {
                case .map(let map):
                    let entries = PebbleValue.list(map.pairs.map { .map(PebbleMap([("key", .string($0.key)), ("value", $0.value)])) })
                    try Values.checkDepth(entries, interpreter)
                    try emit(entries)
                case .list(let items):
                    let entries = PebbleValue.list(
                        items.enumerated().map { .map(PebbleMap([("key", .int(Int64($0.offset))), ("value", $0.element)])) })
                    try Values.checkDepth(entries, interpreter)
                    try emit(entries)
                default: throw Failure("\(Values.describe(input)) has no keys", at: position)
                }
            case ("indices", 1), ("index", 1), ("rindex", 1):
                try withValues(arguments, input, env, interpreter) { values in
                    let found = try indices(input, values[0], at: position)
                    switch name {
                    case "index": try emit(found.listValue?.first ?? .null)
                    case "rindex": try emit(found.listValue?.last ?? .null)
                    default: try emit(found)
                    }
                }
            case ("from_entries", 0):
                try emit(try fromEntries(input, at: position))
            case ("with_entries", 1):
                guard case .map(let map) = input else { throw Failure("\(Values.describe(input)) has no keys", at: position) }
                var mapped: [PebbleValue] = []
                for (key, value) in map.pairs {
                    let entry = PebbleValue.map(PebbleMap([("key", .string(key)), ("value", value)]))
                    try interpreter.eval(arguments[0], entry, env) { mapped.append($0) }
                }
                try emit(try fromEntries(.list(mapped), at: position))
            case ("map_values", 1):
                try emit(try mapValues(arguments[0], input, at: position, env, interpreter))
            case ("walk", 1):
                try walk(arguments[0], input, at: position, env, interpreter, emit)

            // MARK: Generators
            case ("range", 1), ("range", 2), ("range", 3):
                try withValues(arguments, input, env, interpreter) { values in
                    let numbers = try values.map { try number($0, name, at: position) }
                    let (start, end, step) = arity == 1 ? (0, numbers[0], 1) : (numbers[0], numbers[1], arity == 3 ? numbers[2] : 1)
                    guard step != 0 else { return }
                    var current = start
                    while step > 0 ? current < end : current > end {
                        try interpreter.tick()
                        try emit(Jq.number(current))
                        current += step
                    }
                }
            case ("first", 0): try emit(try Values.index(input, .int(0), at: position))
            case ("last", 0): try emit(try Values.index(input, .int(-1), at: position))
            case ("nth", 1):
                try withValues(arguments, input, env, interpreter) { values in try emit(try Values.index(input, values[0], at: position)) }
            case ("first", 1):
                if let value = try interpreter.first(arguments[0], input, env) { try emit(value) }
            case ("last", 1):
                var last: PebbleValue = .null
                try interpreter.eval(arguments[0], input, env) { last = $0 }
                try emit(last)
            case ("limit", 2):
                try interpreter.eval(arguments[0], input, env) { count in
                    let limit = Values.clampedInteger(try number(count, name, at: position).rounded(.up))
                    try interpreter.limit(limit, arguments[1], input, env, emit)
                }
            case ("nth", 2):
                try interpreter.eval(arguments[0], input, env) { count in
                    let index = try number(count, name, at: position)
                    guard index >= 0 else { throw Failure("nth doesn't support negative indices", at: position) }
                    var last: PebbleValue = .null
                    let count = min(Values.clampedInteger(index.rounded(.up)), Int64.max - 1) + 1
                    try interpreter.limit(count, arguments[1], input, env) { last = $0 }
                    try emit(last)
                }
            case ("isempty", 1):
                try emit(.bool(try interpreter.first(arguments[0], input, env) == nil))
            case ("until", 2):
                var current = input
                while true {
                    try interpreter.tick()
                    var done = false
                    try interpreter.eval(arguments[0], current, env) { condition in done = done || Values.isTruthy(condition) }
                    if done { return try emit(current) }
                    guard let next = try interpreter.first(arguments[1], current, env) else { return }
                    current = next
                }
            case ("while", 2):
                var current = input
                while true {
                    try interpreter.tick()
                    var keep = false
                    try interpreter.eval(arguments[0], current, env) { condition in keep = keep || Values.isTruthy(condition) }
                    guard keep else { return }
                    try emit(current)
                    guard let next = try interpreter.first(arguments[1], current, env) else { return }
                    current = next
                }
            case ("any", 0), ("all", 0), ("any", 1), ("all", 1), ("any", 2), ("all", 2):
                try emit(.bool(try anyAll(name == "any", arguments, input, at: position, env, interpreter)))
            case ("in", 1):
                try interpreter.eval(arguments[0], input, env) { container in try emit(.bool(try has(container, input, at: position))) }
            case ("inside", 1):
                try interpreter.eval(arguments[0], input, env) { container in try emit(.bool(try contains(container, input, at: position))) }
            case ("IN", 1):
                var found = false
                try interpreter.eval(arguments[0], input, env) { value in found = found || Values.equals(value, input) }
                try emit(.bool(found))
            case ("IN", 2):
                var found = false
                try interpreter.eval(arguments[0], input, env) { source in
                    try interpreter.eval(arguments[1], input, env) { value in found = found || Values.equals(value, source) }
                }
                try emit(.bool(found))
            case ("combinations", 0):
                try combinations(try array(input, "cannot be iterated", at: position), 0, [], at: position, interpreter, Interpreter.Sink(emit))
            case ("combinations", 1):
                try withValues(arguments, input, env, interpreter) { values in
                    let count = max(0, Int(Values.clampedInteger(try number(values[0], name, at: position))))
                    guard count <= 64 else { throw LimitExceeded(message: "combinations(n) is limited to 64 repetitions") }
                    try combinations(Array(repeating: input, count: count), 0, [], at: position, interpreter, Interpreter.Sink(emit))
                }

            // MARK: Inspection
            case ("length", 0): try emit(try length(input, at: position))
            case ("utf8bytelength", 0):
                try emit(.int(Int64(try string(input, "only strings have UTF-8 byte length", at: position).utf8.count)))
            case ("type", 0): try emit(.string(Values.typeName(input)))
            case ("keys", 0), ("keys_unsorted", 0):
                switch input {
                case .map(let map): try emit(.list((name == "keys" ? Values.sortedKeys(map) : map.keys).map { .string($0) }))
                case .list(let items): try emit(.list(items.indices.map { .int(Int64($0)) }))
                default: throw Failure("\(Values.describe(input)) has no keys", at: position)
                }
            case ("has", 1):
                try withValues(arguments, input, env, interpreter) { values in try emit(.bool(try has(input, values[0], at: position))) }
            case ("contains", 1):
                try withValues(arguments, input, env, interpreter) { values in try emit(.bool(try contains(input, values[0], at: position))) }
            case ("arrays", 0), ("objects", 0), ("booleans", 0), ("numbers", 0), ("strings", 0), ("nulls", 0), ("iterables", 0),
                ("scalars", 0), ("values", 0):
                let type = Values.typeName(input)
                let keep: Bool
                switch name {
                case "iterables": keep = type == "array" || type == "object"
                case "scalars": keep = type != "array" && type != "object"
                case "values": keep = type != "null"
                default: keep = String(name.dropLast()) == (type == "boolean" ? "boolean" : type)
                }
                if keep { try emit(input) }
            case ("isinfinite", 0): try emit(.bool(try number(input, name, at: position).isInfinite))
            case ("isnan", 0): try emit(.bool(try number(input, name, at: position).isNaN))
            case ("isnormal", 0): try emit(.bool(try number(input, name, at: position).isNormal))
            case ("infinite", 0): try emit(.double(.infinity))
            case ("nan", 0): try emit(.double(.nan))

            // MARK: Arrays
            case ("add", 0):
                var sum: PebbleValue = .null
                try Values.iterate(input, at: position) { item in sum = try Values.add(sum, item, at: position, interpreter) }
                try emit(sum)
            case ("sort", 0): try emit(.list(Values.sorted(try array(input, "cannot be sorted, as it is not an array", at: position))))
            case ("sort_by", 1), ("group_by", 1), ("unique_by", 1), ("min_by", 1), ("max_by", 1), ("unique", 0), ("min", 0), ("max", 0):
                try emit(try byKey(name, arguments.first, input, at: position, env, interpreter))
            case ("reverse", 0):
                switch input {
                case .null: try emit(.list([]))
                case .list(let items): try emit(.list(items.reversed()))
                default: throw Failure("Cannot index \(Values.typeName(input)) with number", at: position)
                }
            case ("flatten", 0), ("flatten", 1):
                try withValues(arguments, input, env, interpreter) { values in
                    let depth = values.isEmpty ? -1 : try number(values[0], name, at: position)
                    if !values.isEmpty && depth < 0 { throw Failure("flatten depth must not be negative", at: position) }
                    let items = try array(input, "cannot be flattened", at: position)
                    try emit(.list(try flatten(items, depth: depth, at: position, interpreter)))
                }
            case ("transpose", 0):
                let rows = try array(input, "cannot be transposed", at: position)
                let width = try rows.map { row -> Int in
                    guard case .list(let cells) = row else { throw Failure("Cannot index \(Values.typeName(row)) with number", at: position) }
                    return cells.count
                }.max() ?? 0
                try interpreter.tick(width * rows.count / 64)
                let transposed = PebbleValue.list((0..<width).map { column in
                    .list(rows.map { row in row.listValue.flatMap { column < $0.count ? $0[column] : nil } ?? .null })
                })
                try Values.checkDepth(transposed, interpreter)
                try emit(transposed)
            case ("join", 1):
                try withValues(arguments, input, env, interpreter) { values in try emit(try join(input, values[0], at: position)) }
            case ("tostring", 0):
                if case .string = input { try emit(input) } else { try emit(.string(input.json)) }
            case ("tojson", 0): try emit(.string(input.json))
            case ("fromjson", 0):
                let text = try string(input, "cannot be parsed as JSON", at: position)
                let parsed: PebbleValue
                do throws(PebbleError) {
                    parsed = try JSONReader.parse(text)
                } catch {
                    throw Failure("\(error.message) (while parsing '\(text)')", at: position)
                }
                try emit(parsed)
            case ("tonumber", 0):
                switch input {
                case .int, .double: try emit(input)
                case .string(let text):
                    guard let value = try? JavaNumbers.double(text) else {
                        throw Failure("For input string: \"\(text)\"", at: position)
                    }
                    try emit(Jq.number(value))
                default: throw Failure("\(Values.describe(input)) cannot be parsed as a number", at: position)
                }

            // MARK: Strings
            case ("ascii_downcase", 0), ("ascii_upcase", 0):
                let text = try string(input, "cannot be case-converted", at: position)
                let lower = name == "ascii_downcase"
                try emit(.string(String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
                    if lower, ("A"..."Z").contains(scalar) { return Unicode.Scalar(scalar.value + 32) ?? scalar }
                    if !lower, ("a"..."z").contains(scalar) { return Unicode.Scalar(scalar.value - 32) ?? scalar }
                    return scalar
                }))))
            case ("explode", 0):
                let text = try string(input, "cannot be exploded", at: position)
                try emit(.list(text.unicodeScalars.map { .int(Int64($0.value)) }))
            case ("implode", 0):
                let codes = try array(input, "cannot be imploded", at: position)
                var text = ""
                for code in codes {
                    guard let value = Values.double(code), let scalar = Unicode.Scalar(UInt32(clamping: Values.clampedInteger(value))) else {
                        throw Failure("Unicode codepoint must be numeric", at: position)
                    }
                    text.unicodeScalars.append(scalar)
                }
                try emit(.string(text))
            case ("ltrimstr", 1), ("rtrimstr", 1):
                try withValues(arguments, input, env, interpreter) { values in
                    guard case .string(let text) = input, case .string(let affix) = values[0] else { return try emit(input) }
                    if name == "ltrimstr", text.hasPrefix(affix) { return try emit(.string(String(text.dropFirst(affix.count)))) }
                    if name == "rtrimstr", text.hasSuffix(affix), !affix.isEmpty { return try emit(.string(String(text.dropLast(affix.count)))) }
                    try emit(input)
                }
            case ("startswith", 1), ("endswith", 1):
                try withValues(arguments, input, env, interpreter) { values in
                    guard case .string(let text) = input, case .string(let affix) = values[0] else {
                        throw Failure("\(name)() requires string inputs", at: position)
                    }
                    try emit(.bool(name == "startswith" ? text.unicodeScalars.starts(with: affix.unicodeScalars) : text.hasSuffix(affix)))
                }
            case ("split", 1):
                try withValues(arguments, input, env, interpreter) { values in
                    guard case .string(let text) = input, case .string(let separator) = values[0] else {
                        throw Failure("split input and separator must be strings", at: position)
                    }
                    try emit(try split(text, separator, interpreter))
                }
            case ("test", 1), ("test", 2):
                try withValues(arguments, input, env, interpreter) { values in
                    try emit(.bool(try test(input, values, at: position)))
                }
            case ("splits", _), ("sub", _), ("gsub", _), ("match", _), ("capture", _), ("scan", _):
                throw Failure("\(name)/\(arity) is not supported (only test/1 and test/2 are)", at: position)

            // MARK: Math
            case ("floor", 0), ("ceil", 0), ("round", 0), ("sqrt", 0), ("fabs", 0), ("log", 0), ("log10", 0), ("log2", 0), ("exp", 0),
                ("exp10", 0), ("exp2", 0), ("trunc", 0):
                let value = try number(input, name, at: position)
                let result: Double
                switch name {
                case "floor": result = value.rounded(.down)
                case "ceil": result = value.rounded(.up)
                case "round": result = value.rounded(.toNearestOrAwayFromZero)
                case "sqrt": result = value.squareRoot()
                case "fabs": result = abs(value)
                case "log": result = Foundation.log(value)
                case "log10": result = Foundation.log10(value)
                case "log2": result = Foundation.log2(value)
                case "exp": result = Foundation.exp(value)
                case "exp10": result = Foundation.pow(10, value)
                case "exp2": result = Foundation.exp2(value)
                default: result = value.rounded(.towardZero)
                }
                try emit(Jq.number(result))
            case ("pow", 2):
                try withValues(arguments, input, env, interpreter) { values in
                    try emit(Jq.number(Foundation.pow(try number(values[0], name, at: position), try number(values[1], name, at: position))))
                }
            case ("input", _), ("inputs", _), ("debug", _), ("stderr", _), ("env", 0), ("builtins", 0), ("input_filename", 0), ("now", 0),
                ("halt", _), ("halt_error", _), ("input_line_number", 0), ("get_search_list", 0):
                throw Failure("\(name)/\(arity) is not available in Kestra's jq", at: position)
            default:
                throw Failure("\(name)/\(arity) is not defined", at: position)
            }
        }

        /// Path-mode builtins: the ones that can appear inside `path(…)`, `del(…)` or on the left of an assignment.
        static func callPaths(
            _ name: String, _ arguments: [Node], at position: Int, _ input: PebbleValue, _ path: [PebbleValue], _ env: Env,
            _ interpreter: Interpreter, _ emit: @escaping Interpreter.PathEmit
        ) throws {
            switch (name, arguments.count) {
            case ("empty", 0): return
            case ("error", _): try call(name, arguments, at: position, input, env, interpreter) { _ in }
            case ("select", 1):
                try interpreter.eval(arguments[0], input, env) { condition in
                    if Values.isTruthy(condition) { try emit(input, path) }
                }
            case ("recurse", 0):
                try interpreter.recurseAll(input, path: path, emit)
            case ("getpath", 1):
                try withValues(arguments, input, env, interpreter) { values in
                    let extra = try array(values[0], "Path must be specified as an array", at: position)
                    let value = (try? Values.getPath(input, extra, at: position)) ?? .null
                    try emit(value, path + extra)
                }
            case ("first", 1):
                var result: (PebbleValue, [PebbleValue])?
                let label = Interpreter.Break(label: -position - 1)
                do {
                    try interpreter.paths(arguments[0], input, path, env) { value, valuePath in
                        result = (value, valuePath)
                        throw label
                    }
                } catch let stop as Interpreter.Break where stop.label == label.label {}
                if let (value, valuePath) = result { try emit(value, valuePath) }
            case ("last", 1):
                var result: (PebbleValue, [PebbleValue])?
                try interpreter.paths(arguments[0], input, path, env) { value, valuePath in result = (value, valuePath) }
                if let (value, valuePath) = result { try emit(value, valuePath) }
            case ("first", 0): try emit(try Values.index(input, .int(0), at: position), path + [.int(0)])
            case ("last", 0): try emit(try Values.index(input, .int(-1), at: position), path + [.int(-1)])
            case ("arrays", 0), ("objects", 0), ("booleans", 0), ("numbers", 0), ("strings", 0), ("nulls", 0), ("iterables", 0),
                ("scalars", 0), ("values", 0):
                try call(name, arguments, at: position, input, env, interpreter) { value in try emit(value, path) }
            default:
                try call(name, arguments, at: position, input, env, interpreter) { value in
                    throw Failure("Invalid path expression with result \(Values.truncatedJSON(value))", at: position)
                }
            }
        }

        // MARK: - Implementations

        static func isContainer(_ value: PebbleValue) -> Bool {
            switch value {
            case .list, .map: true
            default: false
            }
        }

        /// jq 1.6's `indices`: sub-array positions, element positions, or substring offsets (in code points here).
        static func indices(_ input: PebbleValue, _ item: PebbleValue, at position: Int) throws -> PebbleValue {
            switch (input, item) {
            case (.null, _): return .null
            case (.list(let items), .list(let sub)): return Values.indexes(items, sub)
            case (.list(let items), _): return Values.indexes(items, [item])
            case (.string(let text), .string(let needle)):
                let haystack = Array(text.unicodeScalars)
                let pattern = Array(needle.unicodeScalars)
                guard !pattern.isEmpty, pattern.count <= haystack.count else { return .list([]) }
                var result: [PebbleValue] = []
                for start in 0...(haystack.count - pattern.count) where Array(haystack[start..<(start + pattern.count)]) == pattern {
                    result.append(.int(Int64(start)))
                }
                return .list(result)
            default:
                return try Values.index(input, .list([item]), at: position)
            }
        }

        static func errorMessage(_ value: PebbleValue) -> String {
            if case .string(let text) = value { return text }
            return "\(value.json) (not a string)"
        }

        /// jackson-jq's `LengthFunction`: the absolute value of a number, code points of a string.
        static func length(_ value: PebbleValue, at position: Int) throws -> PebbleValue {
            switch value {
            case .null: return .int(0)
            case .bool: throw Failure("\(Values.describe(value)) has no length", at: position)
            case .int, .double: return Jq.number(abs(Values.double(value) ?? 0))
            case .string(let text): return .int(Int64(text.unicodeScalars.count))
            case .list(let items): return .int(Int64(items.count))
            case .map(let map): return .int(Int64(map.count))
            }
        }

        static func has(_ container: PebbleValue, _ key: PebbleValue, at position: Int) throws -> Bool {
            switch (container, key) {
            case (.map(let map), .string(let name)): return map[name] != nil
            case (.list(let items), .int), (.list(let items), .double):
                let index = Values.double(key) ?? -1
                return index >= 0 && index < Double(items.count)
            default:
                throw Failure("Cannot check whether \(Values.typeName(container)) has a \(Values.typeName(key)) key", at: position)
            }
        }

        /// jq's `contains`: substrings, sub-arrays (any order), sub-objects, else equality.
        static func contains(_ container: PebbleValue, _ item: PebbleValue, at position: Int) throws -> Bool {
            switch (container, item) {
            case (.map(let a), .map(let b)):
                for (key, value) in b.pairs {
                    guard let existing = a[key], try contains(existing, value, at: position) else { return false }
                }
                return true
            case (.list(let a), .list(let b)):
                for value in b where try !a.contains(where: { try contains($0, value, at: position) }) { return false }
                return true
            case (.string(let a), .string(let b)):
                return b.isEmpty || a.contains(b)
            default:
                guard Values.typeName(container) == Values.typeName(item) else {
                    throw Failure(
                        "\(Values.describe(container)) and \(Values.describe(item)) cannot have their containment checked", at: position)
                }
                return Values.equals(container, item)
            }
        }

        /// jackson-jq's `FromEntriesFunction`: `key`, `Key`, `name` or `Name` (a string), `value` or `Value`.
        static func fromEntries(_ value: PebbleValue, at position: Int) throws -> PebbleValue {
            var result = PebbleMap()
            try Values.iterate(value, at: position) { entry in
                guard case .map(let fields) = entry,
                    case .string(let key)? = fields["key"] ?? fields["Key"] ?? fields["name"] ?? fields["Name"]
                else {
                    throw Failure("input elements to from_entries() must be object and have 'key', 'Key' or 'Name' field", at: position)
                }
                result[key] = fields["value"] ?? fields["Value"] ?? .null
            }
            return .map(result)
        }

        /// jackson-jq 1.6's `_modify(.[]; f)`: each value replaced by the first output of f, or deleted when f is empty.
        static func mapValues(_ function: Node, _ input: PebbleValue, at position: Int, _ env: Env, _ interpreter: Interpreter) throws
            -> PebbleValue
        {
            let paths: [[PebbleValue]]
            switch input {
            case .list(let items): paths = items.indices.map { [.int(Int64($0))] }
            case .map(let map): paths = map.keys.map { [.string($0)] }
            default: throw Failure("Cannot iterate over \(Values.describe(input))", at: position)
            }
            var result = input
            for path in paths {
                let current = try Values.getPath(result, path, at: position)
                if let replacement = try interpreter.first(function, current, env) {
                    result = try Values.setPath(result, path, replacement, at: position, interpreter)
                } else {
                    result = try Values.deletePaths(result, [path], at: position, interpreter)
                }
            }
            return result
        }

        /// jackson-jq's `walk` (jq ≥ 1.6): objects are rebuilt in sorted key order.
        static func walk(_ function: Node, _ input: PebbleValue, at position: Int, _ env: Env, _ interpreter: Interpreter, _ emit: @escaping Emit)
            throws
        {
            try walk(function, input, at: position, env, interpreter, Interpreter.Sink(emit))
        }

        private static func walk(
            _ function: Node, _ input: PebbleValue, at position: Int, _ env: Env, _ interpreter: Interpreter, _ sink: Interpreter.Sink<Emit>
        ) throws {
            let emit = sink.call
            try interpreter.tick()
            switch input {
            case .map(let map):
                var rebuilt = PebbleMap()
                for key in Values.sortedKeys(map) {
                    var last: PebbleValue?
                    try walk(function, map[key] ?? .null, at: position, env, interpreter, Interpreter.Sink { last = $0 })
                    rebuilt[key] = last ?? .null
                }
                try interpreter.eval(function, .map(rebuilt), env, emit)
            case .list(let items):
                var mapped: [PebbleValue] = []
                for item in items { try walk(function, item, at: position, env, interpreter, Interpreter.Sink { mapped.append($0) }) }
                try interpreter.eval(function, .list(mapped), env, emit)
            default:
                try interpreter.eval(function, input, env, emit)
            }
        }

        static func anyAll(_ isAny: Bool, _ arguments: [Node], _ input: PebbleValue, at position: Int, _ env: Env, _ interpreter: Interpreter)
            throws -> Bool
        {
            var result = !isAny
            let label = Interpreter.Break(label: -1_000_000 - position)
            func check(_ item: PebbleValue) throws {
                let condition = arguments.count == 2 ? arguments[1] : (arguments.count == 1 ? arguments[0] : nil)
                var truthy = false
                if let condition {
                    try interpreter.eval(condition, item, env) { truthy = truthy || Values.isTruthy($0) }
                } else {
                    truthy = Values.isTruthy(item)
                }
                if truthy == isAny {
                    result = isAny
                    throw label
                }
            }
            do {
                if arguments.count == 2 {
                    try interpreter.eval(arguments[0], input, env) { try check($0) }
                } else {
                    try Values.iterate(input, at: position) { try check($0) }
                }
            } catch let stop as Interpreter.Break where stop.label == label.label {}
            return result
        }

        static func combinations(
            _ lists: [PebbleValue], _ index: Int, _ prefix: [PebbleValue], at position: Int, _ interpreter: Interpreter,
            _ sink: Interpreter.Sink<Emit>
        ) throws {
            guard index < lists.count else {
                try Values.checkDepth(.list(prefix), interpreter)
                return try sink.call(.list(prefix))
            }
            try Values.iterate(lists[index], at: position) { item in
                try interpreter.tick()
                try combinations(lists, index + 1, prefix + [item], at: position, interpreter, sink)
            }
        }

        /// `sort_by`, `group_by`, `unique_by`, `min_by`, `max_by` and their `.` forms: keys are `[f]` (all outputs of f).
        static func byKey(_ name: String, _ function: Node?, _ input: PebbleValue, at position: Int, _ env: Env, _ interpreter: Interpreter)
            throws -> PebbleValue
        {
            let message =
                switch name {
                case "sort_by": "cannot be sorted, as it is not an array"
                case "group_by": "cannot be grouped, as it is not an array"
                default: "cannot be iterated over"
                }
            let items = try array(input, message, at: position)
            try interpreter.tick(items.count)
            var keyed: [(key: PebbleValue, value: PebbleValue)] = []
            for item in items {
                if let function {
                    keyed.append((.list(try interpreter.collect(function, item, env)), item))
                } else {
                    keyed.append((item, item))
                }
            }
            let sorted = keyed.enumerated().sorted { lhs, rhs in
                let result = Values.compare(lhs.element.key, rhs.element.key)
                return result != 0 ? result < 0 : lhs.offset < rhs.offset
            }.map(\.element)
            switch name {
            case "sort_by": return .list(sorted.map(\.value))
            case "min_by", "min": return sorted.first?.value ?? .null
            case "max_by", "max":
                // The last of the greatest keys, as a stable max.
                return sorted.last?.value ?? .null
            default:
                var groups: [[PebbleValue]] = []
                var lastKey: PebbleValue?
                for entry in sorted {
                    if let key = lastKey, Values.equals(key, entry.key) {
                        groups[groups.count - 1].append(entry.value)
                    } else {
                        groups.append([entry.value])
                        lastKey = entry.key
                    }
                }
                if name == "group_by" {
                    let grouped = PebbleValue.list(groups.map { .list($0) })
                    try Values.checkDepth(grouped, interpreter)
                    return grouped
                }
                return .list(groups.compactMap { $0.first })
            }
        }

        static func flatten(_ items: [PebbleValue], depth: Double, at position: Int, _ interpreter: Interpreter) throws -> [PebbleValue] {
            var result: [PebbleValue] = []
            for item in items {
                try interpreter.tick()
                if case .list(let inner) = item, depth != 0 {
                    result += try flatten(inner, depth: depth - 1, at: position, interpreter)
                } else {
                    result.append(item)
                }
                if result.count > Interpreter.maximumArrayLength {
                    throw LimitExceeded(message: "an array grew beyond \(Interpreter.maximumArrayLength) elements")
                }
            }
            return result
        }

        /// jackson-jq's `JoinFunction` (jq 1.6): null adds nothing, numbers and booleans their text, others are errors.
        static func join(_ input: PebbleValue, _ separator: PebbleValue, at position: Int) throws -> PebbleValue {
            var builder = ""
            var first = true
            var failure: Failure?
            try Values.iterate(input, at: position) { item in
                guard failure == nil else { return }
                if !first {
                    switch separator {
                    case .string(let text): builder += text
                    case .null: break
                    default:
                        failure = Failure("\(Values.describe(.string(builder))) and \(Values.describe(separator)) cannot be added", at: position)
                        return
                    }
                }
                switch item {
                case .string(let text): builder += text
                case .null: break
                case .int, .double, .bool: builder += item.rendered
                default:
                    failure = Failure("\(Values.describe(.string(builder))) and \(Values.describe(item)) cannot be added", at: position)
                    return
                }
                first = false
                if builder.utf8.count > Interpreter.maximumStringLength {
                    throw LimitExceeded(message: "a string grew beyond \(Interpreter.maximumStringLength) bytes")
                }
            }
            if let failure { throw failure }
            return .string(builder)
        }

        /// `split(s)` and `string / string`: an empty separator splits into characters.
        static func split(_ text: String, _ separator: String, _ interpreter: Interpreter) throws -> PebbleValue {
            try interpreter.tick(text.utf8.count / 1024)
            if text.isEmpty { return .list([]) }
            if separator.isEmpty { return .list(text.unicodeScalars.map { .string(String($0)) }) }
            return .list(text.components(separatedBy: separator).map { .string($0) })
        }

        /// `test(re)`, `test(re; flags)` and `test([re, flags])`, with ICU regular expressions standing in for Oniguruma.
        static func test(_ input: PebbleValue, _ values: [PebbleValue], at position: Int) throws -> Bool {
            guard case .string(let text) = input else {
                throw Failure("\(Values.describe(input)) cannot be matched, as it is not a string", at: position)
            }
            var pattern: PebbleValue = values[0]
            var flags: PebbleValue = values.count > 1 ? values[1] : .null
            if case .list(let pair) = pattern, !pair.isEmpty {
                pattern = pair[0]
                if pair.count > 1 { flags = pair[1] }
            }
            guard case .string(let regex) = pattern else {
                throw Failure("\(Values.describe(pattern)) cannot be matched, as it is not a string", at: position)
            }
            var options: NSRegularExpression.Options = []
            if case .string(let modes) = flags {
                for mode in modes {
                    switch mode {
                    case "i": options.insert(.caseInsensitive)
                    case "x": options.insert(.allowCommentsAndWhitespace)
                    case "s": options.insert(.dotMatchesLineSeparators)
                    case "g", "n", "l", "p": break
                    default: throw Failure("\(modes) is not a valid modifier string", at: position)
                    }
                }
            } else if flags != .null {
                throw Failure("\(Values.describe(flags)) is not a string", at: position)
            }
            guard regex.utf8.count <= 10_000, text.utf8.count <= Interpreter.maximumStringLength else {
                throw LimitExceeded(message: "the regular expression or its input is too long")
            }
            let expression: NSRegularExpression
            do {
                expression = try NSRegularExpression(pattern: regex, options: options)
            } catch {
                throw Failure("\(regex) (at offset 0) is not a valid regex", at: position)
            }
            return expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        }

        // MARK: - Formats

        /// `@text`, `@json`, `@html`, `@uri`, `@csv`, `@tsv`, `@sh`, `@base64`, `@base64d`.
        static func format(_ name: String, _ value: PebbleValue, at position: Int, _ interpreter: Interpreter) throws -> String {
            func text(_ value: PebbleValue) -> String {
                if case .string(let text) = value { return text }
                return value.json
            }
            try interpreter.tick()
            switch name {
            case "text": return text(value)
            case "json": return value.json
            case "html":
                var output = ""
                for scalar in text(value).unicodeScalars {
                    switch scalar {
                    case "<": output += "&lt;"
                    case ">": output += "&gt;"
                    case "&": output += "&amp;"
                    case "'": output += "&#39;"
                    case "\"": output += "&quot;"
                    default: output.unicodeScalars.append(scalar)
                    }
                }
                return output
            case "uri":
                // jackson-jq's AtUriFunction: URLEncoder, then `!'()~` and spaces as %20.
                var output = ""
                for byte in text(value).utf8 {
                    let scalar = Unicode.Scalar(byte)
                    if ("A"..."Z").contains(scalar) || ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
                        || "-_.*!'()~".unicodeScalars.contains(scalar)
                    {
                        output.unicodeScalars.append(scalar)
                    } else {
                        output += String(format: "%%%02X", byte)
                    }
                }
                return output
            case "csv", "tsv":
                let items = try array(value, "cannot be \(name)-formatted, only an array can be", at: position)
                return try items.map { item -> String in
                    switch item {
                    case .string(let text):
                        if name == "csv" { return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
                        return text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\t", with: "\\t")
                            .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r")
                    case .null: return ""
                    case .int, .double, .bool: return item.rendered
                    default: throw Failure("\(Values.describe(item)) is not valid in a csv row", at: position)
                    }
                }.joined(separator: name == "csv" ? "," : "\t")
            case "sh":
                let items: [PebbleValue]
                if case .list(let list) = value { items = list } else { items = [value] }
                return try items.map { item -> String in
                    switch item {
                    case .string(let text): return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
                    case .list, .map: throw Failure("\(Values.describe(item)) can not be escaped for shell", at: position)
                    default: return item.json
                    }
                }.joined(separator: " ")
            case "base64": return Data(text(value).utf8).base64EncodedString()
            case "base64d":
                var encoded = text(value).filter { !$0.isWhitespace }
                while encoded.count % 4 != 0 { encoded += "=" }
                guard let data = Data(base64Encoded: encoded) else {
                    throw Failure("\(Values.describe(value)) is not valid base64 data", at: position)
                }
                return String(decoding: data, as: UTF8.self)
            default:
                throw Failure("@\(name) is not a valid format", at: position)
            }
        }
    }
}
