import Foundation

// Value semantics of jq over ``PebbleValue``: truthiness, jackson-jq's ordering (`JsonNodeComparator`), indexing,
// slicing, arithmetic and paths, with jq 1.6's error messages.

extension Jq {
    enum Values {
        static let maximumPathLength = 256
        /// Values never nest deeper than JSON input may (JSONReader's limit), so recursion over them stays shallow.
        static let maximumDepth = 256

        /// Throws when `value`, placed `extra` levels down, would nest containers deeper than ``maximumDepth``.
        /// Walks with an explicit stack and stops at the first too-deep container.
        static func checkDepth(_ value: PebbleValue, extra: Int = 0, _ interpreter: Interpreter?) throws {
            var stack: [(PebbleValue, Int)] = [(value, 1 + extra)]
            var visited = 0
            while let (current, depth) = stack.popLast() {
                let children: [PebbleValue]
                switch current {
                case .list(let items): children = items
                case .map(let map): children = map.values
                default: continue
                }
                if depth > maximumDepth { throw LimitExceeded(message: "a value is nested more than \(maximumDepth) levels deep") }
                visited += children.count
                for child in children {
                    switch child {
                    case .list, .map: stack.append((child, depth + 1))
                    default: break
                    }
                }
            }
            try interpreter?.tick(visited / 16)
        }

        static func isTruthy(_ value: PebbleValue) -> Bool {
            switch value {
            case .null, .bool(false): false
            default: true
            }
        }

        static func double(_ value: PebbleValue) -> Double? {
            switch value {
            case .int(let n): Double(n)
            case .double(let d): d
            default: nil
            }
        }

        static func typeName(_ value: PebbleValue) -> String {
            switch value {
            case .null: "null"
            case .bool: "boolean"
            case .int, .double: "number"
            case .string: "string"
            case .list: "array"
            case .map: "object"
            }
        }

        /// jq's `jv_dump_string_trunc`: the JSON text cut to 11 characters and "...".
        static func truncatedJSON(_ value: PebbleValue) -> String {
            let text = value.json
            guard text.count > 11 else { return text }
            return String(text.prefix(11)) + "..."
        }

        /// `number (1)`, as jq names a value in errors.
        static func describe(_ value: PebbleValue) -> String { "\(typeName(value)) (\(truncatedJSON(value)))" }

        // MARK: Ordering

        private static func rank(_ value: PebbleValue) -> Int {
            switch value {
            case .null: 0
            case .bool: 1
            case .int, .double: 2
            case .string: 3
            case .list: 4
            case .map: 5
            }
        }

        /// Java's `Double.compare`: -0.0 before 0.0, NaN after everything.
        static func compareDoubles(_ a: Double, _ b: Double) -> Int {
            if a < b { return -1 }
            if a > b { return 1 }
            let aBits = a.isNaN ? Int64(0x7FF8_0000_0000_0000) : Int64(bitPattern: a.bitPattern)
            let bBits = b.isNaN ? Int64(0x7FF8_0000_0000_0000) : Int64(bitPattern: b.bitPattern)
            return aBits == bBits ? 0 : (aBits < bBits ? -1 : 1)
        }

        /// Java's `String.compareTo`: UTF-16 code units.
        static func compareStrings(_ a: String, _ b: String) -> Int {
            var left = a.utf16.makeIterator()
            var right = b.utf16.makeIterator()
            while true {
                switch (left.next(), right.next()) {
                case (nil, nil): return 0
                case (nil, _): return -1
                case (_, nil): return 1
                case (let x?, let y?): if x != y { return x < y ? -1 : 1 }
                }
            }
        }

        static func sortedKeys(_ map: PebbleMap) -> [String] { map.keys.sorted { compareStrings($0, $1) < 0 } }

        /// jackson-jq's `JsonNodeComparator`: null < booleans < numbers < strings < arrays < objects.
        static func compare(_ a: PebbleValue, _ b: PebbleValue) -> Int {
            let difference = rank(a) - rank(b)
            if difference != 0 { return difference < 0 ? -1 : 1 }
            switch (a, b) {
            case (.bool(let x), .bool(let y)): return x == y ? 0 : (x ? 1 : -1)
            case (.string(let x), .string(let y)): return compareStrings(x, y)
            case (.list(let x), .list(let y)):
                for (left, right) in zip(x, y) {
                    let result = compare(left, right)
                    if result != 0 { return result }
                }
                return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1)
            case (.map(let x), .map(let y)):
                let xKeys = sortedKeys(x)
                let yKeys = sortedKeys(y)
                for (left, right) in zip(xKeys, yKeys) {
                    let result = compareStrings(left, right)
                    if result != 0 { return result }
                }
                if xKeys.count != yKeys.count { return xKeys.count < yKeys.count ? -1 : 1 }
                for key in xKeys {
                    let result = compare(x[key] ?? .null, y[key] ?? .null)
                    if result != 0 { return result }
                }
                return 0
            default:
                if let x = double(a), let y = double(b) { return compareDoubles(x, y) }
                return 0
            }
        }

        static func equals(_ a: PebbleValue, _ b: PebbleValue) -> Bool { compare(a, b) == 0 }

        /// A stable sort by jackson-jq's ordering.
        static func sorted(_ values: [PebbleValue]) -> [PebbleValue] {
            values.enumerated().sorted { lhs, rhs in
                let result = compare(lhs.element, rhs.element)
                return result != 0 ? result < 0 : lhs.offset < rhs.offset
            }.map(\.element)
        }

        // MARK: Access

        /// An array position from a jq number: truncated toward zero, negative counts from the end; nil when out of range.
        static func position(_ number: Double, count: Int) -> Int? {
            guard number.isFinite else { return nil }
            let truncated = number.rounded(.towardZero)
            guard abs(truncated) < 9e15 else { return nil }
            var index = Int(truncated)
            if index < 0 { index += count }
            return index >= 0 && index < count ? index : nil
        }

        static func index(_ container: PebbleValue, _ key: PebbleValue, at position: Int) throws -> PebbleValue {
            switch (container, key) {
            case (.null, .string), (.null, .int), (.null, .double), (.null, .null): return .null
            case (.map(let map), .string(let name)): return map[name] ?? .null
            case (.list(let items), .int), (.list(let items), .double):
                // jq 1.6 (jv_get): a non-integer index gives null.
                guard let number = double(key), number.rounded(.towardZero) == number,
                    let index = Values.position(number, count: items.count)
                else { return .null }
                return items[index]
            case (.list(let items), .list(let sub)):
                return indexes(items, sub)
            case (.list, .map(let range)), (.null, .map(let range)), (.string, .map(let range)):
                return try slice(container, range["start"] ?? .null, range["end"] ?? .null, at: position)
            case (_, .string(let name)):
                throw Failure("Cannot index \(typeName(container)) with string \"\(name)\"", at: position)
            default:
                throw Failure("Cannot index \(typeName(container)) with \(typeName(key))", at: position)
            }
        }

        /// jq's `jv_array_indexes`: where `sub` starts inside `items`; null (not `[]`) when nowhere.
        static func indexes(_ items: [PebbleValue], _ sub: [PebbleValue]) -> PebbleValue {
            var result: [PebbleValue] = []
            guard !sub.isEmpty else { return .null }
            for start in items.indices where start + sub.count <= items.count {
                if zip(items[start..<(start + sub.count)], sub).allSatisfy({ equals($0, $1) }) { result.append(.int(Int64(start))) }
            }
            return result.isEmpty ? .null : .list(result)
        }

        /// `.[start:end]` on arrays and strings (by code points), as jq 1.6's `parse_slice` rounds and clamps.
        static func slice(_ container: PebbleValue, _ start: PebbleValue, _ end: PebbleValue, at position: Int) throws -> PebbleValue {
            let length: Int
            switch container {
            case .null: return .null
            case .list(let items): length = items.count
            case .string(let text): length = text.unicodeScalars.count
            default: throw Failure("Cannot index \(typeName(container)) with object", at: position)
            }
            let (lower, upper) = try sliceBounds(length, start, end, at: position)
            switch container {
            case .list(let items): return .list(Array(items[lower..<upper]))
            case .string(let text):
                let scalars = Array(text.unicodeScalars)
                return .string(String(String.UnicodeScalarView(scalars[lower..<upper])))
            default: return .null
            }
        }

        static func iterate(_ container: PebbleValue, at position: Int, _ body: (PebbleValue) throws -> Void) throws {
            switch container {
            case .list(let items): for item in items { try body(item) }
            case .map(let map): for value in map.values { try body(value) }
            default: throw Failure("Cannot iterate over \(describe(container))", at: position)
            }
        }

        // MARK: Arithmetic

        static func binary(_ op: String, _ lhs: PebbleValue, _ rhs: PebbleValue, at position: Int, _ interpreter: Interpreter) throws
            -> PebbleValue
        {
            switch op {
            case "==": return .bool(equals(lhs, rhs))
            case "!=": return .bool(!equals(lhs, rhs))
            case "<": return .bool(compare(lhs, rhs) < 0)
            case "<=": return .bool(compare(lhs, rhs) <= 0)
            case ">": return .bool(compare(lhs, rhs) > 0)
            case ">=": return .bool(compare(lhs, rhs) >= 0)
            case "+": return try add(lhs, rhs, at: position, interpreter)
            case "-": return try subtract(lhs, rhs, at: position, interpreter)
            case "*": return try multiply(lhs, rhs, at: position, interpreter)
            case "/": return try divide(lhs, rhs, at: position, interpreter)
            case "%": return try modulo(lhs, rhs, at: position)
            default: throw Failure("unknown operator \(op)", at: position)
            }
        }

        static func add(_ lhs: PebbleValue, _ rhs: PebbleValue, at position: Int, _ interpreter: Interpreter) throws -> PebbleValue {
            switch (lhs, rhs) {
            case (.null, _): return rhs
            case (_, .null): return lhs
            case (.int(let a), .int(let b)):
                let (sum, overflow) = a.addingReportingOverflow(b)
                return overflow ? Jq.number(Double(a) + Double(b)) : .int(sum)
            case (.int, .double), (.double, .int), (.double, .double):
                return Jq.number((double(lhs) ?? 0) + (double(rhs) ?? 0))
            case (.string(let a), .string(let b)):
                guard a.utf8.count + b.utf8.count <= Interpreter.maximumStringLength else {
                    throw LimitExceeded(message: "a string grew beyond \(Interpreter.maximumStringLength) bytes")
                }
                try interpreter.tick((a.utf8.count + b.utf8.count) / 1024)
                return .string(a + b)
            case (.list(let a), .list(let b)):
                guard a.count + b.count <= Interpreter.maximumArrayLength else {
                    throw LimitExceeded(message: "an array grew beyond \(Interpreter.maximumArrayLength) elements")
                }
                try interpreter.tick((a.count + b.count) / 64)
                return .list(a + b)
            case (.map(var a), .map(let b)):
                try interpreter.tick(b.count / 64)
                for (key, value) in b.pairs { a[key] = value }
                return .map(a)
            default:
                throw Failure("\(describe(lhs)) and \(describe(rhs)) cannot be added", at: position)
            }
        }

        static func subtract(_ lhs: PebbleValue, _ rhs: PebbleValue, at position: Int, _ interpreter: Interpreter) throws -> PebbleValue {
            switch (lhs, rhs) {
            case (.int(let a), .int(let b)):
                let (difference, overflow) = a.subtractingReportingOverflow(b)
                return overflow ? Jq.number(Double(a) - Double(b)) : .int(difference)
            case (.int, .double), (.double, .int), (.double, .double):
                return Jq.number((double(lhs) ?? 0) - (double(rhs) ?? 0))
            case (.list(let a), .list(let b)):
                try interpreter.tick(a.count * max(b.count, 1) / 64)
                return .list(a.filter { item in !b.contains { equals($0, item) } })
            default:
                throw Failure("\(describe(lhs)) and \(describe(rhs)) cannot be subtracted", at: position)
            }
        }

        static func multiply(_ lhs: PebbleValue, _ rhs: PebbleValue, at position: Int, _ interpreter: Interpreter) throws -> PebbleValue {
            switch (lhs, rhs) {
            case (.int(let a), .int(let b)):
                let (product, overflow) = a.multipliedReportingOverflow(by: b)
                return overflow ? Jq.number(Double(a) * Double(b)) : .int(product)
            case (.int, .double), (.double, .int), (.double, .double):
                return Jq.number((double(lhs) ?? 0) * (double(rhs) ?? 0))
            case (.string(let text), .int), (.string(let text), .double), (.int, .string(let text)), (.double, .string(let text)):
                // jq 1.6: the count is truncated to an integer; zero or less gives null.
                let count = double(rhs) ?? double(lhs) ?? 0
                guard count.isFinite, count >= 1 else { return .null }
                if text.isEmpty { return .string("") }
                guard Double(text.utf8.count) * count.rounded(.towardZero) <= Double(Interpreter.maximumStringLength) else {
                    throw LimitExceeded(message: "a string grew beyond \(Interpreter.maximumStringLength) bytes")
                }
                let times = Int(count)
                try interpreter.tick(text.utf8.count * times / 1024)
                return .string(String(repeating: text, count: times))
            case (.map, .map):
                return try deepMerge(lhs, rhs, interpreter)
            default:
                throw Failure("\(describe(lhs)) and \(describe(rhs)) cannot be multiplied", at: position)
            }
        }

        static func deepMerge(_ lhs: PebbleValue, _ rhs: PebbleValue, _ interpreter: Interpreter) throws -> PebbleValue {
            guard case .map(var a) = lhs, case .map(let b) = rhs else { return rhs }
            for (key, value) in b.pairs {
                try interpreter.tick()
                if let existing = a[key], case .map = existing, case .map = value {
                    a[key] = try deepMerge(existing, value, interpreter)
                } else {
                    a[key] = value
                }
            }
            return .map(a)
        }

        static func divide(_ lhs: PebbleValue, _ rhs: PebbleValue, at position: Int, _ interpreter: Interpreter) throws -> PebbleValue {
            switch (lhs, rhs) {
            case (.int, .int), (.int, .double), (.double, .int), (.double, .double):
                let divisor = double(rhs) ?? 0
                guard divisor != 0 else {
                    throw Failure("\(describe(lhs)) and \(describe(rhs)) cannot be divided because the divisor is zero", at: position)
                }
                return Jq.number((double(lhs) ?? 0) / divisor)
            case (.string(let text), .string(let separator)):
                return try Builtins.split(text, separator, interpreter)
            default:
                throw Failure("\(describe(lhs)) and \(describe(rhs)) cannot be divided", at: position)
            }
        }

        /// jq 1.6: both operands truncated to integers, the sign of the dividend kept.
        static func modulo(_ lhs: PebbleValue, _ rhs: PebbleValue, at position: Int) throws -> PebbleValue {
            guard let a = double(lhs), let b = double(rhs) else {
                throw Failure("\(describe(lhs)) and \(describe(rhs)) cannot be divided", at: position)
            }
            let dividend = clampedInteger(a)
            let divisor = clampedInteger(b)
            guard divisor != 0 else {
                throw Failure(
                    "\(describe(lhs)) and \(describe(rhs)) cannot be divided (remainder) because the divisor is zero", at: position)
            }
            if divisor == -1 { return .int(0) }
            return .int(dividend % divisor)
        }

        static func clampedInteger(_ value: Double) -> Int64 {
            guard value.isFinite else { return value.isNaN ? 0 : (value < 0 ? .min : .max) }
            if value >= 9.2e18 { return .max }
            if value <= -9.2e18 { return .min }
            return Int64(value.rounded(.towardZero))
        }

        // MARK: Paths

        static func getPath(_ value: PebbleValue, _ path: [PebbleValue], at position: Int) throws -> PebbleValue {
            var current = value
            for key in path {
                if current == .null { return .null }
                current = try index(current, key, at: position)
            }
            return current
        }

        static func setPath(_ value: PebbleValue, _ path: [PebbleValue], _ newValue: PebbleValue, at position: Int, _ interpreter: Interpreter)
            throws -> PebbleValue
        {
            guard path.count <= maximumPathLength else { throw LimitExceeded(message: "a path is longer than \(maximumPathLength) keys") }
            try checkDepth(newValue, extra: path.count, interpreter)
            return try setPath(value, path[...], newValue, at: position, interpreter)
        }

        private static func setPath(
            _ value: PebbleValue, _ path: ArraySlice<PebbleValue>, _ newValue: PebbleValue, at position: Int, _ interpreter: Interpreter
        ) throws -> PebbleValue {
            guard let key = path.first else { return newValue }
            try interpreter.tick()
            let rest = path.dropFirst()
            switch (value, key) {
            case (.null, .string(let name)):
                return .map(PebbleMap([(name, try setPath(.null, rest, newValue, at: position, interpreter))]))
            case (.map(var map), .string(let name)):
                map[name] = try setPath(map[name] ?? .null, rest, newValue, at: position, interpreter)
                return .map(map)
            case (.null, .int), (.null, .double), (.list, .int), (.list, .double):
                var items = value.listValue ?? []
                var index = clampedInteger(double(key) ?? 0)
                if index < 0 { index += Int64(items.count) }
                guard index >= 0 else { throw Failure("Out of bounds negative array index", at: position) }
                guard index < Int64(Interpreter.maximumArrayLength) else {
                    throw LimitExceeded(message: "an array grew beyond \(Interpreter.maximumArrayLength) elements")
                }
                let slot = Int(index)
                if slot >= items.count {
                    try interpreter.tick((slot - items.count) / 64)
                    items += Array(repeating: PebbleValue.null, count: slot - items.count + 1)
                }
                items[slot] = try setPath(items[slot], rest, newValue, at: position, interpreter)
                return .list(items)
            case (.null, .map(let range)), (.list, .map(let range)):
                let items = value.listValue ?? []
                let (lower, upper) = try sliceBounds(items.count, range["start"] ?? .null, range["end"] ?? .null, at: position)
                let sliceItems = Array(items[lower..<upper])
                guard case .list(let replacement) = try setPath(.list(sliceItems), rest, newValue, at: position, interpreter) else {
                    throw Failure("A slice of an array can only be assigned another array", at: position)
                }
                return .list(Array(items[..<lower]) + replacement + Array(items[upper...]))
            case (_, .string(let name)):
                throw Failure("Cannot index \(typeName(value)) with \"\(name)\"", at: position)
            default:
                throw Failure("Cannot index \(typeName(value)) with \(typeName(key))", at: position)
            }
        }

        /// jq 1.6's `parse_slice`: negative positions count from the end, the start is truncated and the end rounded up.
        static func sliceBounds(_ length: Int, _ start: PebbleValue, _ end: PebbleValue, at position: Int) throws -> (Int, Int) {
            let startValue = start == .null ? 0 : double(start)
            let endValue = end == .null ? Double(length) : double(end)
            guard var from = startValue, var to = endValue, !from.isNaN, !to.isNaN else {
                throw Failure("Start and end indices of an array slice must be numbers", at: position)
            }
            let count = Double(length)
            if from < 0 { from += count }
            if to < 0 { to += count }
            from = min(max(from, 0), count)
            to = min(to, count)
            if to < from { to = from }
            let upper = to > to.rounded(.down) ? Int(to) + 1 : Int(to)
            return (Int(from), min(upper, length))
        }

        /// `delpaths`: the paths sorted, deleted from the last so earlier indices stay valid.
        static func deletePaths(_ value: PebbleValue, _ paths: [[PebbleValue]], at position: Int, _ interpreter: Interpreter) throws
            -> PebbleValue
        {
            let ordered = paths.sorted { compare(.list($0), .list($1)) < 0 }
            var result = value
            for path in ordered.reversed() {
                guard path.count <= maximumPathLength else { throw LimitExceeded(message: "a path is longer than \(maximumPathLength) keys") }
                result = try delete(result, path[...], at: position, interpreter)
            }
            return result
        }

        private static func delete(_ value: PebbleValue, _ path: ArraySlice<PebbleValue>, at position: Int, _ interpreter: Interpreter) throws
            -> PebbleValue
        {
            guard let key = path.first else { return .null }
            try interpreter.tick()
            if value == .null { return .null }
            if path.count == 1 {
                switch (value, key) {
                case (.map(var map), .string(let name)):
                    map[name] = nil
                    return .map(map)
                case (.list(var items), .int), (.list(var items), .double):
                    if let index = Values.position(double(key) ?? 0, count: items.count) { items.remove(at: index) }
                    return .list(items)
                case (.list(let items), .map(let range)):
                    let (lower, upper) = try sliceBounds(items.count, range["start"] ?? .null, range["end"] ?? .null, at: position)
                    return .list(Array(items[..<lower]) + Array(items[upper...]))
                case (_, .string(let name)):
                    throw Failure("Cannot delete field at object index of \(typeName(value)) (\"\(name)\")", at: position)
                default:
                    throw Failure("Cannot delete field at index of \(typeName(value))", at: position)
                }
            }
            let rest = path.dropFirst()
            switch (value, key) {
            case (.map(var map), .string(let name)):
                guard let child = map[name] else { return value }
                map[name] = try delete(child, rest, at: position, interpreter)
                return .map(map)
            case (.list(var items), .int), (.list(var items), .double):
                guard let index = Values.position(double(key) ?? 0, count: items.count) else { return value }
                items[index] = try delete(items[index], rest, at: position, interpreter)
                return .list(items)
            default:
                let child = try index(value, key, at: position)
                return try setPath(value, [key], try delete(child, rest, at: position, interpreter), at: position, interpreter)
            }
        }
    }
}
