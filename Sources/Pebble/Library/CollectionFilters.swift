/// Filters on lists and maps, plus `abs` and the serialisers: Pebble's core ones (`length`, `first`, `join`, `sort`,
/// `slice`, `merge`, …) and Kestra's (`keys`, `values`, `chunk`, `flatten`, `distinct`, `toJson`, `yaml`), following
/// io.pebbletemplates' `extension/core/*Filter.java` and Kestra's `core/runners/pebble/filters/*.java`.
enum CollectionFilters {
    static let all: [PebbleFilter] = [
        length, first, last, join, sort, rsort, reverse, slice, merge, keys, values, chunk, flatten, distinct, abs,
        toJson, json, yaml,
    ]

    // MARK: - Size and ends

    /// Pebble's `LengthFilter`: characters of a string, entries of a list or map, 0 for null and for anything else
    /// (a number or a boolean has length 0 in Pebble, it is not an error).
    static let length = PebbleFilter("length") { input, _, _ in
        switch input {
        case .string(let text): return .int(Int64(text.unicodeScalars.count))
        case .list(let items): return .int(Int64(items.count))
        case .map(let map): return .int(Int64(map.count))
        case .null, .bool, .int, .double: return .int(0)
        }
    }

    /// The first element of a list (null when empty) or the first character of a string.
    static let first = PebbleFilter("first") { input, _, _ in
        try end(of: input, filter: "first") { $0.first }
    }

    static let last = PebbleFilter("last") { input, _, _ in
        try end(of: input, filter: "last") { $0.last }
    }

    private static func end(
        of input: PebbleValue,
        filter: String,
        pick: ([PebbleValue]) -> PebbleValue?
    ) throws -> PebbleValue {
        switch input {
        case .null: return .null
        case .list(let items): return pick(items) ?? .null
        case .string(let text):
            // Pebble returns `charAt(0)`, which throws on an empty string.
            guard let scalar = pick(text.unicodeScalars.map { .string(String($0)) }) else {
                throw PebbleError(.evaluation, "`\(filter)` cannot take a character of an empty string")
            }
            return scalar
        default: throw FilterSupport.mismatch(filter, expects: "a list or a string", got: input)
        }
    }

    // MARK: - Joining and ordering

    /// `join(separator)`: the elements printed as Java's `StringBuilder.append` prints them (`null`, `[a, b]`, `{k=v}`).
    static let join = PebbleFilter("join", arguments: ["separator"]) { input, arguments, _ in
        guard input != .null else { return .null }
        guard case .list(let items) = input else { throw FilterSupport.mismatch("join", expects: "a list", got: input) }
        let separator = try arguments.string("separator", for: "join") ?? ""
        return .string(items.map(FilterSupport.javaString).joined(separator: separator))
    }

    static let sort = PebbleFilter("sort") { input, _, _ in
        guard input != .null else { return .null }
        guard case .list(let items) = input else { throw FilterSupport.mismatch("sort", expects: "a list", got: input) }
        return .list(try sorted(items, filter: "sort", descending: false))
    }

    /// Sorts with the reversed comparison (`Collections.reverseOrder()`), so equal elements keep their order.
    static let rsort = PebbleFilter("rsort") { input, _, _ in
        guard input != .null else { return .null }
        guard case .list(let items) = input else { throw FilterSupport.mismatch("rsort", expects: "a list", got: input) }
        return .list(try sorted(items, filter: "rsort", descending: true))
    }

    /// Java's natural order (`Comparable.compareTo`): strings by UTF-16 code units, booleans false before true,
    /// numbers by value. A list mixing kinds cannot be sorted, as in Java (Java also refuses a `Long` next to a
    /// `Double`; here whole and decimal numbers compare by value).
    static func sorted(_ items: [PebbleValue], filter: String, descending: Bool) throws -> [PebbleValue] {
        guard let first = items.first, items.count > 1 else { return items }
        for item in items where kind(of: item) == nil || kind(of: item) != kind(of: first) {
            let mixed = kind(of: first) == nil ? first : item
            throw PebbleError(
                .evaluation,
                "`\(filter)` can only order strings, numbers or booleans of one kind, but the list holds \(first.typeName) and \(mixed.typeName)"
            )
        }
        return items.sorted { descending ? precedes($1, $0) : precedes($0, $1) }
    }

    private static func kind(of value: PebbleValue) -> Int? {
        switch value {
        case .string: 0
        case .int, .double: 1
        case .bool: 2
        case .null, .list, .map: nil
        }
    }

    private static func precedes(_ lhs: PebbleValue, _ rhs: PebbleValue) -> Bool {
        switch (lhs, rhs) {
        case (.string(let a), .string(let b)): return FilterSupport.precedes(a, b)
        case (.int(let a), .int(let b)): return a < b
        case (.bool(let a), .bool(let b)): return !a && b
        case (.double(let a), .double(let b)): return javaDoubleLess(a, b)
        case (.int(let a), .double(let b)): return javaDoubleLess(Double(a), b)
        case (.double(let a), .int(let b)): return javaDoubleLess(a, Double(b))
        default: return false
        }
    }

    /// `Double.compare`: NaN after everything, -0.0 before 0.0.
    private static func javaDoubleLess(_ a: Double, _ b: Double) -> Bool {
        if a.isNaN || b.isNaN { return !a.isNaN && b.isNaN }
        if a == 0 && b == 0 { return a.sign == .minus && b.sign == .plus }
        return a < b
    }

    static let reverse = PebbleFilter("reverse") { input, _, _ in
        guard input != .null else { return .null }
        guard case .list(let items) = input else { throw FilterSupport.mismatch("reverse", expects: "a list", got: input) }
        return .list(items.reversed())
    }

    /// `slice(fromIndex=0, toIndex=length)` of a list or a string. As in Pebble, `toIndex` past the end and
    /// `fromIndex >= toIndex` are errors, not clamped.
    static let slice = PebbleFilter("slice", arguments: ["fromIndex", "toIndex"]) { input, arguments, _ in
        guard input != .null else { return .null }
        let from = try arguments["fromIndex"].flatMap { $0 == .null ? nil : try FilterSupport.integer($0, argument: "fromIndex", for: "slice") } ?? 0
        guard from >= 0 else { throw PebbleError(.evaluation, "`slice` expects a `fromIndex` of 0 or more, but got \(from)") }
        let to = try arguments["toIndex"].flatMap { $0 == .null ? nil : try FilterSupport.integer($0, argument: "toIndex", for: "slice") }
        func bounds(_ length: Int) throws -> Range<Int> {
            guard let to else {
                guard from <= length else { throw PebbleError(.evaluation, "`slice` got a `fromIndex` of \(from), past the end (\(length))") }
                return from..<length
            }
            guard to <= length else { throw PebbleError(.evaluation, "`slice` expects a `toIndex` of at most \(length), but got \(to)") }
            guard from < to else { throw PebbleError(.evaluation, "`slice` expects a `toIndex` greater than `fromIndex` \(from), but got \(to)") }
            return from..<to
        }
        switch input {
        case .list(let items): return .list(Array(items[try bounds(items.count)]))
        case .string(let text):
            let all = FilterSupport.scalars(text)
            return .string(FilterSupport.string(all[try bounds(all.count)]))
        default: throw FilterSupport.mismatch("slice", expects: "a list or a string", got: input)
        }
    }

    // MARK: - Combining

    /// Pebble's `merge(items)`: the input's kind decides the result. Map + map overrides keys; map + list adds each
    /// element as a key mapped to itself; list + list concatenates; list + map appends the entries, each as
    /// `{"key": …, "value": …}` (Java appends `Map.Entry` objects, which templates read with `.key`/`.value`).
    static let merge = PebbleFilter("merge", arguments: ["items"]) { input, arguments, _ in
        let items = arguments["items"] ?? .null
        switch (input, items) {
        case (.null, .null): throw PebbleError(.evaluation, "`merge` needs something to merge: both the input and the items are null")
        case (.null, _): return items
        case (_, .null): return input
        case (.map(var map), .map(let other)):
            for (key, value) in other.pairs { map[key] = value }
            return .map(map)
        case (.map(var map), .list(let elements)):
            for element in elements {
                switch element {
                case .string(let key): map[key] = element
                case .int, .double, .bool: map[element.rendered] = element
                case .null, .list, .map:
                    throw PebbleError(.evaluation, "`merge` can only add text, numbers and booleans to a map as keys, but got \(element.typeName)")
                }
            }
            return .map(map)
        case (.list(let list), .list(let elements)): return .list(list + elements)
        case (.list(let list), .map(let other)):
            return .list(list + other.pairs.map { .map(PebbleMap([("key", .string($0.key)), ("value", $0.value)])) })
        case (.list, _), (.map, _): throw FilterSupport.mismatch("merge", expects: "a list or a map to merge", got: items)
        default: throw FilterSupport.mismatch("merge", expects: "a list or a map", got: input)
        }
    }

    /// Kestra's `keys`: the keys of a map, or the indexes of a list.
    static let keys = PebbleFilter("keys") { input, _, _ in
        switch input {
        case .null: return .null
        case .map(let map): return .list(map.keys.map(PebbleValue.string))
        case .list(let items): return .list(items.indices.map { .int(Int64($0)) })
        default: throw FilterSupport.mismatch("keys", expects: "a map or a list", got: input)
        }
    }

    static let values = PebbleFilter("values") { input, _, _ in
        switch input {
        case .null: return .null
        case .map(let map): return .list(map.values)
        default: throw FilterSupport.mismatch("values", expects: "a map", got: input)
        }
    }

    /// Kestra's `chunk(size)`: consecutive sublists of `size` elements, the last one shorter.
    static let chunk = PebbleFilter("chunk", arguments: ["size"]) { input, arguments, _ in
        guard input != .null else { return .null }
        guard let sizeArgument = arguments["size"] else { throw PebbleError(.evaluation, "`chunk` needs a `size`, for example chunk(10)") }
        guard case .list(let items) = input else { throw FilterSupport.mismatch("chunk", expects: "a list", got: input) }
        let size = try FilterSupport.integer(sizeArgument, argument: "size", for: "chunk")
        guard size > 0 else { throw PebbleError(.evaluation, "`chunk` expects a `size` of 1 or more, but got \(size)") }
        return .list(stride(from: 0, to: items.count, by: size).map { .list(Array(items[$0..<min($0 + size, items.count)])) })
    }

    /// Kestra's `flatten`: one level only; elements that are not lists are kept as they are.
    static let flatten = PebbleFilter("flatten") { input, _, _ in
        guard input != .null else { return .null }
        guard case .list(let items) = input else { throw FilterSupport.mismatch("flatten", expects: "a list", got: input) }
        return .list(items.flatMap { $0.listValue ?? [$0] })
    }

    /// Kestra's `distinct`: the first occurrence of each element, in order (`1` and `1.0` are different, as in Java).
    /// Kestra returns the text `null` for a null input (DistinctFilter.java), and so does this.
    static let distinct = PebbleFilter("distinct") { input, _, _ in
        switch input {
        case .null: return .string("null")
        case .list(let items):
            var seen = Set<PebbleValue>()
            return .list(items.filter { seen.insert($0).inserted })
        default: throw FilterSupport.mismatch("distinct", expects: "a list", got: input)
        }
    }

    // MARK: - Numbers

    /// Pebble's `AbsFilter`: numbers only; null is an error too. The one integer without an absolute value
    /// (-9223372036854775808) is an error rather than Java's silent overflow.
    static let abs = PebbleFilter("abs") { input, _, _ in
        switch input {
        case .int(let number):
            guard number != .min else { throw PebbleError(.evaluation, "`abs` of \(number) does not fit in a 64-bit integer") }
            return .int(Swift.abs(number))
        case .double(let number): return .double(Swift.abs(number))
        default: throw FilterSupport.mismatch("abs", expects: "a number", got: input)
        }
    }

    // MARK: - Serialisation

    /// Kestra's `toJson(includeNulls=false)`: compact JSON; map entries whose value is null are left out unless
    /// `includeNulls` is true (JacksonMapper's NON_NULL inclusion). A null input gives the text `null`.
    static let toJson = PebbleFilter("toJson", arguments: ["includeNulls"]) { input, arguments, _ in
        .string((arguments["includeNulls"] == .bool(true) ? input : withoutNullEntries(input)).json)
    }

    /// The deprecated `json` filter (removed in Kestra 2.0): `toJson` without the `includeNulls` option.
    static let json = PebbleFilter("json") { input, _, _ in
        .string(withoutNullEntries(input).json)
    }

    static func withoutNullEntries(_ value: PebbleValue) -> PebbleValue {
        switch value {
        case .list(let items): return .list(items.map(withoutNullEntries))
        case .map(let map):
            var output = PebbleMap()
            for (key, item) in map.pairs where item != .null { output[key] = withoutNullEntries(item) }
            return .map(output)
        default: return value
        }
    }

    /// Kestra's `yaml`: the value as a YAML document (`key: value\n`); a null input gives the text `null`.
    static let yaml = PebbleFilter("yaml") { input, _, _ in
        .string(input == .null ? "null" : YAMLText.document(input))
    }
}
