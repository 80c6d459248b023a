import Foundation

/// Kestra's `jq` filter (`io.kestra.core.runners.pebble.filters.JqFilter`, jackson-jq in jq 1.6 mode): runs a jq program
/// on a value, or on a string holding JSON, and always returns the list of its outputs — `| first` takes one.
///
/// The interpreter (``Jq``) covers the usual jq language: paths, iteration, pipes, commas, literals, arithmetic and
/// comparisons, `and`/`or`/`not`, `//`, `if`, `try`/`?`, `as $x`, `reduce`, `foreach`, object and array construction,
/// string interpolation and `@formats`, assignments, and the common builtins (`select`, `map`, `keys`, `length`,
/// `first`, `sort_by`, `group_by`, `to_entries`, `del`, `test`…). Function definitions (`def`) and the regex functions
/// other than `test` are refused with an error. Every run is bounded in steps, depth, output count and value size.
enum JqFilter {
    static let filter = PebbleFilter("jq", arguments: ["expression"]) { input, arguments, _ in
        guard input != .null else { return .null }
        guard let program = try arguments.string("expression", for: "jq") else {
            throw PebbleError(.evaluation, "The 'jq' filter expects an argument 'expression', for example jq('.items[].name')")
        }
        return try run(program, on: input)
    }

    /// Runs `program` on `input` (a string is read as JSON first, as Kestra does with Jackson's `readTree`).
    static func run(_ program: String, on input: PebbleValue) throws(PebbleError) -> PebbleValue {
        guard program.unicodeScalars.count <= Jq.maximumProgramLength else {
            throw PebbleError(.limit, "jq: the program is longer than \(Jq.maximumProgramLength) characters")
        }
        var value = input
        if case .string(let text) = input {
            guard !text.allSatisfy(\.isWhitespace) else {
                throw PebbleError(.evaluation, "jq: the input is an empty string, but a JSON text or a value was expected")
            }
            do {
                value = try JSONReader.parse(text)
            } catch {
                throw PebbleError(.evaluation, "jq: the input string is not valid JSON (\(error.message))")
            }
        }
        do {
            let node = try Jq.Parser.parse(program)
            try Jq.Values.checkDepth(value, nil)
            let outputs = try Jq.Interpreter().run(node, input: value)
            try checkSize(outputs)
            return .list(outputs)
        } catch let failure as Jq.Failure {
            throw PebbleError(.evaluation, "jq: \(failure.message) (at position \(failure.position + 1) of `\(excerpt(program))`)")
        } catch let limit as Jq.LimitExceeded {
            throw PebbleError(.limit, "jq: \(limit.message)")
        } catch let error as PebbleError {
            throw error
        } catch {
            throw PebbleError(.evaluation, "jq: \(error)")
        }
    }

    static let maximumResultNodes = 1_000_000

    /// The outputs may share structure (`[.,.] | [.,.] | …`); the count stops at the limit rather than walking it all.
    private static func checkSize(_ outputs: [PebbleValue]) throws(PebbleError) {
        var remaining = maximumResultNodes
        var stack = outputs
        while let value = stack.popLast() {
            remaining -= 1
            if case .string(let text) = value { remaining -= text.utf8.count / 64 }
            guard remaining >= 0 else { throw PebbleError(.limit, "jq: the result is too large (more than \(maximumResultNodes) values)") }
            switch value {
            case .list(let items): stack.append(contentsOf: items)
            case .map(let map): stack.append(contentsOf: map.values)
            default: break
            }
        }
    }

    private static func excerpt(_ program: String) -> String {
        program.count > 200 ? String(program.prefix(200)) + "…" : program
    }
}
