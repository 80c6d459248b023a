/// Pebble's operators on values: integer arithmetic stays integral (Java `long`), anything decimal is a double.
enum Operators {
    static func unary(_ op: String, _ value: PebbleValue) -> Result<PebbleValue, PebbleError> {
        switch (op, value) {
        case ("-", .int(let number)):
            let (negated, overflow) = Int64(0).subtractingReportingOverflow(number)
            return overflow ? .failure(PebbleError(.evaluation, "integer overflow in `-\(number)`")) : .success(.int(negated))
        case ("-", .double(let number)): return .success(.double(-number))
        case ("+", .int), ("+", .double): return .success(value)
        default: return .failure(PebbleError(.evaluation, "`\(op)` needs a number, but got \(value.typeName)"))
        }
    }

    static func binary(_ op: String, _ lhs: PebbleValue, _ rhs: PebbleValue, limits: PebbleEngine.Limits) -> Result<PebbleValue, PebbleError> {
        switch op {
        // Pebble's concatenation writes values with Java's toString and skips null.
        case "~": return .success(.string((lhs == .null ? "" : lhs.javaString) + (rhs == .null ? "" : rhs.javaString)))
        case "==": return .success(.bool(equals(lhs, rhs)))
        case "!=": return .success(.bool(!equals(lhs, rhs)))
        case "<", ">", "<=", ">=":
            return compare(lhs, rhs, op).map { order in
                switch op {
                case "<": .bool(order < 0)
                case ">": .bool(order > 0)
                case "<=": .bool(order <= 0)
                default: .bool(order >= 0)
                }
            }
        case "contains":
            guard lhs.listValue != nil || lhs.mapValue != nil || lhs.stringValue != nil || lhs == .null else {
                return .failure(PebbleError(.evaluation, "`contains` needs a list, a map or text on its left, but got \(lhs.typeName)"))
            }
            return .success(.bool(contains(lhs, rhs)))
        case "isIn": return .success(.bool(isIn(lhs, rhs)))
        case "in": return .success(.bool(contains(rhs, lhs)))
        case "not in": return .success(.bool(!contains(rhs, lhs)))
        case "..": return range(lhs, rhs, step: .int(1), limits: limits)
        default: return arithmetic(op, lhs, rhs)
        }
    }

    static func arithmetic(_ op: String, _ lhs: PebbleValue, _ rhs: PebbleValue) -> Result<PebbleValue, PebbleError> {
        // Pebble's OperatorUtils: lists add and remove elements, and text joins with `+` through toString.
        switch (op, lhs, rhs) {
        case ("+", .list(let items), .list(let more)): return .success(.list(items + more))
        case ("+", .list(let items), _): return .success(.list(items + [rhs]))
        case ("-", .list(let items), .list(let removed)): return .success(.list(items.filter { item in !removed.contains { equals($0, item) } }))
        case ("-", .list(let items), _): return .success(.list(items.filter { !equals($0, rhs) }))
        case ("+", .string, _), ("+", _, .string):
            if number(lhs) == nil || number(rhs) == nil { return .success(.string(lhs.javaString + rhs.javaString)) }
        default: break
        }
        switch (lhs, rhs) {
        case (.int(let a), .int(let b)):
            let result: (Int64, Bool)
            switch op {
            case "+": result = a.addingReportingOverflow(b)
            case "-": result = a.subtractingReportingOverflow(b)
            case "*": result = a.multipliedReportingOverflow(by: b)
            case "/", "%":
                guard b != 0 else { return .failure(PebbleError(.evaluation, "division by zero in `\(a) \(op) \(b)`")) }
                // Java's long division truncates toward zero and `%` keeps the dividend's sign, as Swift's do.
                result = op == "/" ? a.dividedReportingOverflow(by: b) : a.remainderReportingOverflow(dividingBy: b)
            default: return .failure(PebbleError(.evaluation, "unknown operator `\(op)`"))
            }
            return result.1 ? .failure(PebbleError(.evaluation, "integer overflow in `\(a) \(op) \(b)`")) : .success(.int(result.0))
        default:
            guard let a = number(lhs), let b = number(rhs) else {
                return .failure(PebbleError(.evaluation, "`\(op)` needs numbers, but got \(lhs.typeName) and \(rhs.typeName)"))
            }
            switch op {
            case "+": return .success(.double(a + b))
            case "-": return .success(.double(a - b))
            case "*": return .success(.double(a * b))
            // Decimal division follows Java's doubles: 1.0 / 0 is Infinity.
            case "/": return .success(.double(a / b))
            case "%": return .success(.double(a.truncatingRemainder(dividingBy: b)))
            default: return .failure(PebbleError(.evaluation, "unknown operator `\(op)`"))
            }
        }
    }

    static func number(_ value: PebbleValue) -> Double? {
        switch value {
        case .int(let number): Double(number)
        case .double(let number): number
        default: nil
        }
    }

    /// Numbers compare by value (`1 == 1.0`); everything else structurally.
    static func equals(_ lhs: PebbleValue, _ rhs: PebbleValue) -> Bool {
        if let a = number(lhs), let b = number(rhs) { return a == b }
        return lhs == rhs
    }

    static func compare(_ lhs: PebbleValue, _ rhs: PebbleValue, _ op: String) -> Result<Int, PebbleError> {
        // Kestra's comparison expressions: anything ordered against null is false both ways.
        if lhs == .null || rhs == .null { return .success(op == "<" || op == "<=" ? 1 : -1) }
        if case .int(let a) = lhs, case .int(let b) = rhs { return .success(a < b ? -1 : a > b ? 1 : 0) }
        if let a = number(lhs), let b = number(rhs) { return .success(a < b ? -1 : a > b ? 1 : 0) }
        if case .string(let a) = lhs, case .string(let b) = rhs { return .success(a < b ? -1 : a > b ? 1 : 0) }
        return .failure(PebbleError(.evaluation, "`\(op)` cannot compare \(lhs.typeName) with \(rhs.typeName)"))
    }

    static func contains(_ container: PebbleValue, _ item: PebbleValue) -> Bool {
        switch container {
        case .list(let items):
            if case .list(let needles) = item { return needles.allSatisfy { needle in items.contains { equals($0, needle) } } }
            return items.contains { equals($0, item) }
        case .map(let map): return map[item.rendered] != nil
        case .string(let text): return text.contains(item.rendered)
        default: return false
        }
    }

    /// Kestra's `isIn`: compares text forms, so `2 isIn ['1', '2']` holds; a map matches its keys or its values.
    static func isIn(_ item: PebbleValue, _ container: PebbleValue) -> Bool {
        guard item != .null else { return false }
        let text = item.javaString
        switch container {
        case .list(let items): return items.contains { $0.javaString == text }
        case .map(let map): return map.keys.contains(text) || map.values.contains { $0.javaString == text }
        default: return container.javaString == text
        }
    }

    /// An inclusive integer range, refused past the configured size so `1..1000000000` cannot exhaust memory.
    /// Single characters make a range of characters, as Pebble's RangeFunction does (`range('a', 'c')`).
    static func range(_ start: PebbleValue, _ end: PebbleValue, step: PebbleValue, limits: PebbleEngine.Limits) -> Result<PebbleValue, PebbleError> {
        if case .string(let first) = start, case .string(let last) = end, first.unicodeScalars.count == 1, last.unicodeScalars.count == 1,
            let from = first.unicodeScalars.first?.value, let to = last.unicodeScalars.first?.value
        {
            return range(.int(Int64(from)), .int(Int64(to)), step: step, limits: limits).map { codes in
                .list(
                    (codes.listValue ?? []).compactMap { code in
                        guard case .int(let value) = code, let scalar = Unicode.Scalar(UInt32(value)) else { return nil }
                        return .string(String(Character(scalar)))
                    })
            }
        }
        guard case .int(let from) = start, case .int(let to) = end, case .int(let by) = step else {
            return .failure(PebbleError(.evaluation, "a range needs integers, but got \(start.typeName) and \(end.typeName)"))
        }
        guard by != 0 else { return .failure(PebbleError(.evaluation, "a range cannot have a step of 0")) }
        let span =
            by > 0
            ? (to >= from ? (Double(to) - Double(from)) / Double(by) + 1 : 0) : (from >= to ? (Double(from) - Double(to)) / Double(-by) + 1 : 0)
        guard span <= Double(limits.maximumRangeSize) else {
            return .failure(PebbleError(.limit, "the range \(from)..\(to) has more than \(limits.maximumRangeSize) elements"))
        }
        var values: [PebbleValue] = []
        var current = from
        while by > 0 ? current <= to : current >= to {
            values.append(.int(current))
            let (next, overflow) = current.addingReportingOverflow(by)
            if overflow { break }
            current = next
        }
        return .success(.list(values))
    }
}
