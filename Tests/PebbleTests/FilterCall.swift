import Testing

@testable import Pebble

/// One call of a library filter and what it must give back. Expected values come from the Java sources' tests where
/// they exist (Pebble's `CoreFiltersTest`, Kestra's `*FilterTest`), otherwise from running the same JDK calls.
struct FilterCall: Sendable, CustomTestStringConvertible {
    enum Outcome: Sendable {
        case value(PebbleValue)
        case error(String, PebbleError.Kind)
    }

    let filter: String
    let input: PebbleValue
    let positional: [PebbleValue]
    let named: [String: PebbleValue]
    let outcome: Outcome

    init(_ filter: String, _ input: PebbleValue, _ positional: [PebbleValue] = [], named: [String: PebbleValue] = [:], gives expected: PebbleValue) {
        self.filter = filter
        self.input = input
        self.positional = positional
        self.named = named
        self.outcome = .value(expected)
    }

    init(
        _ filter: String, _ input: PebbleValue, _ positional: [PebbleValue] = [], named: [String: PebbleValue] = [:], fails message: String,
        kind: PebbleError.Kind = .evaluation
    ) {
        self.filter = filter
        self.input = input
        self.positional = positional
        self.named = named
        self.outcome = .error(message, kind)
    }

    var testDescription: String {
        let arguments = positional.map(\.json) + named.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.json)" }
        return "\(input.json) | \(filter)(\(arguments.joined(separator: ", ")))"
    }

    func check(in filters: [PebbleFilter]) {
        guard let filter = filters.first(where: { $0.name == self.filter }) else {
            Issue.record("no filter named `\(self.filter)`")
            return
        }
        let scope = RenderScope(variables: PebbleMap(), renderTemplate: { text, _ in text })
        let arguments = Arguments(positional: positional, named: named, names: filter.argumentNames)
        do {
            let result = try filter.apply(input, arguments, scope)
            switch outcome {
            case .value(let expected):
                // `==` ignores the order of map keys; the JSON text does not.
                #expect(result == expected)
                #expect(result.json == expected.json)
            case .error(let message, _):
                Issue.record("expected the error \"\(message)\", got \(result.json)")
            }
        } catch let error as PebbleError {
            switch outcome {
            case .value(let expected): Issue.record("expected \(expected.json), got the error \"\(error.message)\"")
            case .error(let message, let kind):
                #expect(error.message == message)
                #expect(error.kind == kind)
            }
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}
