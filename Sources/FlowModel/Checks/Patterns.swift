import Foundation
import Synchronization

/// The identifier rules of KESTRA.md §1 and §2.1, as anchored regular expressions.
struct Patterns: Sendable {
    let expression: NSRegularExpression

    init(_ pattern: String) {
        // The patterns are constants of this file; a typo must fail the first test that runs.
        expression = try! NSRegularExpression(pattern: "^(?:\(pattern))$")
    }

    func matches(_ text: String) -> Bool {
        expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    static let flowID = Patterns("[a-zA-Z0-9][a-zA-Z0-9._-]*")
    static let namespace = Patterns("[a-z0-9][a-z0-9._-]*")
    static let taskID = Patterns("[a-zA-Z0-9][a-zA-Z0-9_-]*")
    static let inputID = Patterns("[a-zA-Z0-9][.a-zA-Z0-9_-]*")
    static let isoDate = Patterns("\\d{4}-\\d{2}-\\d{2}")
    static let isoTime = Patterns("\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?")
    static let isoDateTime = Patterns("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})")

    /// Compiles a flow author's regular expression; what is wrong with it when it does not compile.
    ///
    /// Both engines must accept it: Swift's `Regex` says precisely what is missing, and ICU (used to match at run
    /// time) is the closest relative of Java's `Pattern`, which Kestra uses.
    static func regexProblem(_ pattern: String) -> String? {
        // Compiling twice is a tenth of a server's start with 100 flows; the same validator (a name rule, an SSH key
        // shape) recurs across flows and every reload of the flows folder parses every file again.
        if let known = checkedPatterns.withLock({ $0[pattern] }) { return known }
        let problem = compileProblem(pattern)
        checkedPatterns.withLock { checked in
            if checked.count >= 1_000 { checked.removeAll() }
            checked[pattern] = problem
        }
        return problem
    }

    /// Patterns already checked, with their problem (nil inside: the pattern compiles).
    private static let checkedPatterns = Mutex<[String: String?]>([:])

    private static func compileProblem(_ pattern: String) -> String? {
        do {
            _ = try Regex(pattern)
        } catch {
            return "\(error)"
        }
        do {
            _ = try NSRegularExpression(pattern: pattern)
            return nil
        } catch {
            return "the ICU regular expression engine rejects it"
        }
    }
}
