import Foundation

// Evaluation of jq programs, following jackson-jq in jq 1.6 mode (Kestra's JqFilter): values stream through
// continuations (`emit`), so `first(f)` and `limit` stop generators early. Every step, output and size is counted so no
// program can run for ever, recurse without bound or build an unbounded value.

extension Jq {
    final class Interpreter {
        static let maximumSteps = 2_000_000
        static let maximumOutputs = 100_000
        static let maximumDepth = 200
        static let maximumStringLength = 10_000_000
        static let maximumArrayLength = 1_000_000

        typealias Emit = (PebbleValue) throws -> Void
        typealias PathEmit = (PebbleValue, [PebbleValue]) throws -> Void

        private var steps = 0
        private var depth = 0
        private var nextLabel = 0
        let stack = StackGuard()

        /// A boxed continuation (see ``eval(_:_:_:_:)``).
        final class Sink<Call> {
            let call: Call
            init(_ call: Call) { self.call = call }
        }

        /// Thrown to stop a generator early (`first`, `limit`, `isempty`…); caught by the label that threw it.
        struct Break: Error {
            let label: Int
        }

        func run(_ program: Node, input: PebbleValue) throws -> [PebbleValue] {
            var outputs: [PebbleValue] = []
            try eval(program, input, [:]) { value in
                outputs.append(value)
                if outputs.count > Interpreter.maximumOutputs {
                    throw LimitExceeded(message: "the program produced more than \(Interpreter.maximumOutputs) results")
                }
            }
            return outputs
        }

        func tick(_ cost: Int = 1) throws {
            steps += cost
            if steps > Interpreter.maximumSteps {
                throw LimitExceeded(message: "the program ran too long (more than \(Interpreter.maximumSteps) steps)")
            }
        }

        func enter() throws {
            depth += 1
            if depth > Interpreter.maximumDepth || !stack.hasRoom {
                throw LimitExceeded(message: "the program nests or recurses too deeply (more than \(Interpreter.maximumDepth) levels)")
            }
        }

        private func newLabel() -> Int {
            nextLabel += 1
            return nextLabel
        }

        /// Runs `body` with a fresh label; a ``Break`` for it ends the body quietly.
        private func withLabel(_ body: (Int) throws -> Void) throws {
            let label = newLabel()
            do {
                try body(label)
            } catch let stop as Break where stop.label == label {}
        }

        /// All outputs of `node`, collected (bounded by the step budget and the output limit).
        func collect(_ node: Node, _ input: PebbleValue, _ env: [String: PebbleValue]) throws -> [PebbleValue] {
            var values: [PebbleValue] = []
            try eval(node, input, env) { value in
                values.append(value)
                if values.count > Interpreter.maximumArrayLength {
                    throw LimitExceeded(message: "a generator produced more than \(Interpreter.maximumArrayLength) values")
                }
            }
            return values
        }

        // MARK: - Evaluation

        /// Evaluates `node` on `input`, passing each output to `emit`.
        ///
        /// The continuation is boxed in a ``Sink`` before the recursive evaluation: handed over as a closure, the
        /// optimizer's closure specializer clones the recursive evaluator for every continuation and, in non-WMO `-O`
        /// builds, exhausts the compiler's memory.
        func eval(_ node: Node, _ input: PebbleValue, _ env: [String: PebbleValue], _ emit: @escaping Emit) throws {
            try evaluate(node, input, env, Sink(emit))
        }

        private func evaluate(_ node: Node, _ input: PebbleValue, _ env: [String: PebbleValue], _ sink: Sink<Emit>) throws {
            let emit = sink.call
            try tick()
            try enter()
            defer { depth -= 1 }
            switch node.kind {
            case .identity:
                try emit(input)
            case .recurseAll:
                try recurseAll(input) { value, _ in try emit(value) }
            case .literal(let value):
                try emit(value)
            case .string(let parts, let format):
                try interpolate(parts, format: format, at: node.position, input, env, emit)
            case .format(let name):
                try emit(.string(try Builtins.format(name, input, at: node.position, self)))
            case .index(let target, let key):
                try eval(target, input, env) { container in
                    try self.eval(key, input, env) { key in
                        try emit(try Values.index(container, key, at: node.position))
                    }
                }
            case .slice(let target, let from, let to):
                try eval(target, input, env) { container in
                    try self.evalOptional(to, input, env) { end in
                        try self.evalOptional(from, input, env) { start in
                            try emit(try Values.slice(container, start, end, at: node.position))
                        }
                    }
                }
            case .iterate(let target):
                try eval(target, input, env) { container in
                    try Values.iterate(container, at: node.position) { value in
                        try self.tick()
                        try emit(value)
                    }
                }
            case .optional(let body):
                // As in jq 1.6 (and jackson-jq), errors raised further down the pipeline are swallowed too.
                do {
                    try eval(body, input, env, emit)
                } catch is Failure {}
            case .tryCatch(let body, let handler):
                do {
                    try eval(body, input, env, emit)
                } catch let failure as Failure {
                    if let handler { try eval(handler, failure.value, env, emit) }
                }
            case .array(let body):
                guard let body else {
                    try emit(.list([]))
                    return
                }
                let list = PebbleValue.list(try collect(body, input, env))
                try Values.checkDepth(list, self)
                try emit(list)
            case .object(let entries):
                try construct(entries, index: 0, current: PebbleMap(), at: node.position, input, env, sink)
            case .pipe(let left, let right):
                try eval(left, input, env) { value in try self.eval(right, value, env, emit) }
            case .comma(let left, let right):
                try eval(left, input, env, emit)
                try eval(right, input, env, emit)
            case .binary(let op, let left, let right):
                // jq evaluates the right operand in the outer loop: (1,2) + (10,20) gives 11, 12, 21, 22.
                try eval(right, input, env) { rhs in
                    try self.eval(left, input, env) { lhs in
                        try emit(try Values.binary(op, lhs, rhs, at: node.position, self))
                    }
                }
            case .and(let left, let right):
                try eval(left, input, env) { lhs in
                    guard Values.isTruthy(lhs) else { return try emit(.bool(false)) }
                    try self.eval(right, input, env) { rhs in try emit(.bool(Values.isTruthy(rhs))) }
                }
            case .or(let left, let right):
                try eval(left, input, env) { lhs in
                    if Values.isTruthy(lhs) { return try emit(.bool(true)) }
                    try self.eval(right, input, env) { rhs in try emit(.bool(Values.isTruthy(rhs))) }
                }
            case .alternative(let left, let right):
                var produced = false
                do {
                    try eval(left, input, env) { value in
                        if Values.isTruthy(value) {
                            produced = true
                            try emit(value)
                        }
                    }
                } catch is Failure {}
                if !produced { try eval(right, input, env, emit) }
            case .negate(let body):
                try eval(body, input, env) { value in
                    guard let number = Values.double(value) else {
                        throw Failure("\(Values.describe(value)) cannot be negated", at: node.position)
                    }
                    if case .int(let n) = value, n != .min { return try emit(.int(-n)) }
                    try emit(Jq.number(-number))
                }
            case .variable(let name):
                guard let value = env[name] else {
                    if name == "__loc__" { return try emit(["file": "<top-level>", "line": 1]) }
                    throw Failure("$\(name) is not defined", at: node.position)
                }
                try emit(value)
            case .bind(let source, let pattern, let body):
                try eval(source, input, env) { value in
                    try self.destructure(pattern, value, input, env) { scope in try self.eval(body, input, scope, emit) }
                }
            case .reduce(let source, let pattern, let initial, let update):
                try eval(initial, input, env) { start in
                    var state: PebbleValue? = start
                    try self.eval(source, input, env) { item in
                        try self.destructure(pattern, item, input, env) { scope in
                            var last: PebbleValue?
                            if let current = state {
                                try self.eval(update, current, scope) { last = $0 }
                            }
                            state = last
                        }
                    }
                    try emit(state ?? .null)
                }
            case .foreach(let source, let pattern, let initial, let update, let extract):
                try eval(initial, input, env) { start in
                    var state = start
                    try self.eval(source, input, env) { item in
                        try self.destructure(pattern, item, input, env) { scope in
                            try self.eval(update, state, scope) { next in
                                state = next
                                if let extract {
                                    try self.eval(extract, next, scope, emit)
                                } else {
                                    try emit(next)
                                }
                            }
                        }
                    }
                }
            case .ifThen(let branches, let otherwise):
                try evalIf(branches, 0, otherwise, input, env, sink)
            case .call(let name, let arguments):
                try Builtins.call(name, arguments, at: node.position, input, env, self, emit)
            case .assign(let op, let target, let value):
                try assign(op, target, value, at: node.position, input, env, emit)
            }
        }

        private func evalOptional(_ node: Node?, _ input: PebbleValue, _ env: [String: PebbleValue], _ emit: @escaping Emit) throws {
            guard let node else { return try emit(.null) }
            try eval(node, input, env, emit)
        }

        private func evalIf(
            _ branches: [(Node, Node)], _ index: Int, _ otherwise: Node?, _ input: PebbleValue, _ env: [String: PebbleValue], _ sink: Sink<Emit>
        ) throws {
            let emit = sink.call
            guard index < branches.count else {
                if let otherwise { try eval(otherwise, input, env, emit) } else { try emit(input) }
                return
            }
            try eval(branches[index].0, input, env) { condition in
                if Values.isTruthy(condition) {
                    try self.eval(branches[index].1, input, env, emit)
                } else {
                    try self.evalIf(branches, index + 1, otherwise, input, env, sink)
                }
            }
        }

        /// `..`: every value in pre-order, walked with an explicit stack so deep documents do not exhaust the call stack.
        func recurseAll(_ root: PebbleValue, path: [PebbleValue] = [], _ emit: @escaping PathEmit) throws {
            var stack: [(PebbleValue, [PebbleValue])] = [(root, path)]
            while let (value, path) = stack.popLast() {
                try tick()
                try emit(value, path)
                switch value {
                case .list(let items):
                    for (index, item) in items.enumerated().reversed() { stack.append((item, path + [.int(Int64(index))])) }
                case .map(let map):
                    for (key, item) in map.pairs.reversed() { stack.append((item, path + [.string(key)])) }
                default: break
                }
            }
        }

        /// Object construction: every combination of the entries' keys and values, first entry outermost.
        private func construct(
            _ entries: [(key: Node, value: Node)], index: Int, current: PebbleMap, at position: Int, _ input: PebbleValue,
            _ env: [String: PebbleValue], _ sink: Sink<Emit>
        ) throws {
            guard index < entries.count else {
                let object = PebbleValue.map(current)
                try Values.checkDepth(object, self)
                return try sink.call(object)
            }
            try eval(entries[index].key, input, env) { key in
                guard case .string(let name) = key else {
                    throw Failure("Cannot use \(Values.describe(key)) as object key", at: entries[index].key.position)
                }
                try self.eval(entries[index].value, input, env) { value in
                    var next = current
                    next[name] = value
                    try self.construct(entries, index: index + 1, current: next, at: position, input, env, sink)
                }
            }
        }

        /// String interpolation as jackson-jq's `StringInterpolation`: the last interpolation varies slowest.
        private func interpolate(
            _ parts: [StringNodePart], format: String?, at position: Int, _ input: PebbleValue, _ env: [String: PebbleValue],
            _ emit: @escaping Emit
        ) throws {
            var pieces: [[String]] = []
            for part in parts {
                switch part {
                case .literal(let text): pieces.append([text])
                case .interpolation(let node):
                    var texts: [String] = []
                    try eval(node, input, env) { value in
                        if let format {
                            texts.append(try Builtins.format(format, value, at: position, self))
                        } else if case .string(let text) = value {
                            texts.append(text)
                        } else if case .list = value {
                            texts.append(value.json)
                        } else if case .map = value {
                            texts.append(value.json)
                        } else {
                            texts.append(value == .null ? "null" : value.rendered)
                        }
                    }
                    pieces.append(texts)
                }
            }
            try combine(pieces, from: pieces.count - 1, suffix: "", Sink(emit))
        }

        private func combine(_ pieces: [[String]], from index: Int, suffix: String, _ sink: Sink<Emit>) throws {
            guard index >= 0 else { return try sink.call(.string(suffix)) }
            for text in pieces[index] {
                try tick()
                let combined = text + suffix
                if combined.utf8.count > Interpreter.maximumStringLength {
                    throw LimitExceeded(message: "a string grew beyond \(Interpreter.maximumStringLength) bytes")
                }
                try combine(pieces, from: index - 1, suffix: combined, sink)
            }
        }

        // MARK: - Paths

        /// Evaluates a path expression (`path(f)`, `del(f)`, assignments): each output with its path from the input.
        func paths(_ node: Node, _ input: PebbleValue, _ path: [PebbleValue], _ env: [String: PebbleValue], _ emit: @escaping PathEmit) throws {
            try evaluatePaths(node, input, path, env, Sink(emit))
        }

        private func evaluatePaths(_ node: Node, _ input: PebbleValue, _ path: [PebbleValue], _ env: [String: PebbleValue], _ sink: Sink<PathEmit>)
            throws
        {
            let emit = sink.call
            try tick()
            try enter()
            defer { depth -= 1 }
            switch node.kind {
            case .identity:
                try emit(input, path)
            case .recurseAll:
                try recurseAll(input, path: path, emit)
            case .index(let target, let key):
                try paths(target, input, path, env) { container, containerPath in
                    try self.eval(key, input, env) { key in
                        let value = container == .null ? PebbleValue.null : try Values.index(container, key, at: node.position)
                        try emit(value, containerPath + [key])
                    }
                }
            case .slice(let target, let from, let to):
                try paths(target, input, path, env) { container, containerPath in
                    try self.evalOptional(to, input, env) { end in
                        try self.evalOptional(from, input, env) { start in
                            let value = try Values.slice(container, start, end, at: node.position)
                            try emit(value, containerPath + [.map(PebbleMap([("start", start), ("end", end)]))])
                        }
                    }
                }
            case .iterate(let target):
                try paths(target, input, path, env) { container, containerPath in
                    switch container {
                    case .list(let items):
                        for (index, item) in items.enumerated() { try emit(item, containerPath + [.int(Int64(index))]) }
                    case .map(let map):
                        for (key, item) in map.pairs { try emit(item, containerPath + [.string(key)]) }
                    default:
                        throw Failure("Cannot iterate over \(Values.describe(container))", at: node.position)
                    }
                }
            case .optional(let body):
                do {
                    try paths(body, input, path, env, emit)
                } catch is Failure {}
            case .tryCatch(let body, let handler):
                do {
                    try paths(body, input, path, env, emit)
                } catch let failure as Failure {
                    if let handler { try paths(handler, failure.value, path, env, emit) }
                }
            case .pipe(let left, let right):
                try paths(left, input, path, env) { value, valuePath in try self.paths(right, value, valuePath, env, emit) }
            case .comma(let left, let right):
                try paths(left, input, path, env, emit)
                try paths(right, input, path, env, emit)
            case .ifThen(let branches, let otherwise):
                try pathsIf(branches, 0, otherwise, input, path, env, sink)
            case .alternative(let left, let right):
                var produced = false
                do {
                    try paths(left, input, path, env) { value, valuePath in
                        if Values.isTruthy(value) {
                            produced = true
                            try emit(value, valuePath)
                        }
                    }
                } catch is Failure {}
                if !produced { try paths(right, input, path, env, emit) }
            case .bind(let source, let pattern, let body):
                try eval(source, input, env) { value in
                    try self.destructure(pattern, value, input, env) { scope in try self.paths(body, input, path, scope, emit) }
                }
            case .call(let name, let arguments):
                try Builtins.callPaths(name, arguments, at: node.position, input, path, env, self, emit)
            case .literal(.null):
                // `path(null)` is `[]`-relative null: jq allows `null` in path expressions and yields the empty path.
                try emit(.null, path)
            default:
                try eval(node, input, env) { value in
                    throw Failure("Invalid path expression with result \(Values.truncatedJSON(value))", at: node.position)
                }
            }
        }

        private func pathsIf(
            _ branches: [(Node, Node)], _ index: Int, _ otherwise: Node?, _ input: PebbleValue, _ path: [PebbleValue],
            _ env: [String: PebbleValue], _ sink: Sink<PathEmit>
        ) throws {
            let emit = sink.call
            guard index < branches.count else {
                if let otherwise { try paths(otherwise, input, path, env, emit) } else { try emit(input, path) }
                return
            }
            try eval(branches[index].0, input, env) { condition in
                if Values.isTruthy(condition) {
                    try self.paths(branches[index].1, input, path, env, emit)
                } else {
                    try self.pathsIf(branches, index + 1, otherwise, input, path, env, sink)
                }
            }
        }

        func collectPaths(_ node: Node, _ input: PebbleValue, _ env: [String: PebbleValue]) throws -> [[PebbleValue]] {
            var result: [[PebbleValue]] = []
            try paths(node, input, [], env) { _, path in
                result.append(path)
                if result.count > Interpreter.maximumArrayLength { throw LimitExceeded(message: "too many paths") }
            }
            return result
        }

        /// `=`, `|=` and the arithmetic updates, as jackson-jq 1.6 defines them (`_modify`, `_assign`).
        private func assign(
            _ op: String, _ target: Node, _ valueNode: Node, at position: Int, _ input: PebbleValue, _ env: [String: PebbleValue],
            _ emit: @escaping Emit
        ) throws {
            let targets = try collectPaths(target, input, env)
            switch op {
            case "|=":
                var result = input
                for path in targets {
                    var replacement: PebbleValue?
                    try withLabel { label in
                        try self.eval(valueNode, try Values.getPath(result, path, at: position), env) { value in
                            replacement = value
                            throw Break(label: label)
                        }
                    }
                    if let replacement {
                        result = try Values.setPath(result, path, replacement, at: position, self)
                    } else {
                        result = try Values.deletePaths(result, [path], at: position, self)
                    }
                }
                try emit(result)
            case "=":
                try eval(valueNode, input, env) { value in
                    var result = input
                    for path in targets { result = try Values.setPath(result, path, value, at: position, self) }
                    try emit(result)
                }
            default:
                let arithmetic = String(op.dropLast())
                try eval(valueNode, input, env) { operand in
                    var result = input
                    for path in targets {
                        let current = try Values.getPath(result, path, at: position)
                        let updated: PebbleValue
                        if arithmetic == "//" {
                            updated = Values.isTruthy(current) ? current : operand
                        } else {
                            updated = try Values.binary(arithmetic, current, operand, at: position, self)
                        }
                        result = try Values.setPath(result, path, updated, at: position, self)
                    }
                    try emit(result)
                }
            }
        }

        /// Binds the variables of `pattern` to the parts of `value` (every combination when keys are generators).
        func destructure(
            _ pattern: Pattern, _ value: PebbleValue, _ input: PebbleValue, _ env: [String: PebbleValue],
            _ body: @escaping ([String: PebbleValue]) throws -> Void
        ) throws {
            try bindPattern(pattern, value, input, env, Sink(body))
        }

        private func bindPattern(
            _ pattern: Pattern, _ value: PebbleValue, _ input: PebbleValue, _ env: [String: PebbleValue],
            _ sink: Sink<([String: PebbleValue]) throws -> Void>
        ) throws {
            try tick()
            switch pattern {
            case .variable(let name):
                var scope = env
                scope[name] = value
                try sink.call(scope)
            case .array(let elements):
                guard value == .null || value.listValue != nil else {
                    throw Failure("Cannot index \(Values.typeName(value)) with number", at: 0)
                }
                try bindAll(elements.enumerated().map { (index, element) in (PebbleValue.int(Int64(index)), element) }, 0, value, input, env, sink)
            case .object(let entries):
                try bindEntries(entries, 0, value, input, env, sink)
            }
        }

        private func bindAll(
            _ elements: [(PebbleValue, Pattern)], _ index: Int, _ value: PebbleValue, _ input: PebbleValue, _ env: [String: PebbleValue],
            _ sink: Sink<([String: PebbleValue]) throws -> Void>
        ) throws {
            guard index < elements.count else { return try sink.call(env) }
            let part = try Values.index(value, elements[index].0, at: 0)
            try bindPattern(
                elements[index].1, part, input, env,
                Sink { scope in
                    try self.bindAll(elements, index + 1, value, input, scope, sink)
                })
        }

        private func bindEntries(
            _ entries: [(key: Node, variable: String?, pattern: Pattern?)], _ index: Int, _ value: PebbleValue, _ input: PebbleValue,
            _ env: [String: PebbleValue], _ sink: Sink<([String: PebbleValue]) throws -> Void>
        ) throws {
            guard index < entries.count else { return try sink.call(env) }
            let entry = entries[index]
            try eval(entry.key, input, env) { key in
                guard case .string = key else {
                    throw Failure("Cannot index \(Values.typeName(value)) with \(Values.typeName(key))", at: entry.key.position)
                }
                let part = try Values.index(value, key, at: entry.key.position)
                var scope = env
                if let variable = entry.variable { scope[variable] = part }
                if let pattern = entry.pattern {
                    try self.bindPattern(
                        pattern, part, input, scope,
                        Sink { inner in
                            try self.bindEntries(entries, index + 1, value, input, inner, sink)
                        })
                } else {
                    try self.bindEntries(entries, index + 1, value, input, scope, sink)
                }
            }
        }

        // MARK: - Helpers for builtins

        /// The first output of `node`, or nil (`first(f)`).
        func first(_ node: Node, _ input: PebbleValue, _ env: [String: PebbleValue]) throws -> PebbleValue? {
            var result: PebbleValue?
            try withLabel { label in
                try self.eval(node, input, env) { value in
                    result = value
                    throw Break(label: label)
                }
            }
            return result
        }

        /// At most `limit` outputs of `node`.
        func limit(_ limit: Int64, _ node: Node, _ input: PebbleValue, _ env: [String: PebbleValue], _ emit: @escaping Emit) throws {
            if limit < 0 { return try eval(node, input, env, emit) }
            guard limit > 0 else { return }
            var count: Int64 = 0
            try withLabel { label in
                try self.eval(node, input, env) { value in
                    count += 1
                    try emit(value)
                    if count >= limit { throw Break(label: label) }
                }
            }
        }
    }
}
