import Foundation
import Pebble
import Testing

/// The researched case tables in `Cases/*.json`: each case is a template, a context, and the expected output,
/// error text or truthiness, with the Pebble or Kestra source that documents the behaviour.
@Suite("Pebble case tables")
struct CaseTableTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let file: String
        let name: String
        let template: String
        let context: PebbleMap
        let output: String?
        let error: String?
        let truthy: Bool?

        var testDescription: String { "\(file): \(name)" }
    }

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Cases")

    static var cases: [Case] {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
        return files.flatMap { file -> [Case] in
            let text = (try? String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)) ?? "[]"
            guard case .list(let entries) = try? PebbleValue.fromJSON(text) else {
                return [
                    Case(file: file, name: "file is a JSON array", template: "", context: PebbleMap(), output: nil, error: "unreadable", truthy: nil)
                ]
            }
            return entries.compactMap { entry -> Case? in
                guard case .map(let fields) = entry, case .string(let template) = fields["template"] else { return nil }
                return Case(
                    file: file, name: fields["name"]?.stringValue ?? template, template: template,
                    context: fields["context"]?.mapValue ?? PebbleMap(), output: fields["output"]?.stringValue,
                    error: fields["error"]?.stringValue, truthy: fields["truthy"].flatMap { if case .bool(let b) = $0 { b } else { nil } }
                )
            }
        }
    }

    @Test("the tables hold at least 200 cases")
    func size() {
        #expect(Self.cases.count >= 200)
    }

    @Test("every case renders as documented", arguments: cases)
    func run(testCase: Case) throws {
        // As flows get it: the real clock behind now(); cases only assert on clock-independent shapes.
        let engine = PebbleEngine(functions: [.now(clock: { Date() })])
        if let truthy = testCase.truthy {
            #expect(try engine.isTruthy(testCase.template, variables: testCase.context) == truthy)
        } else if let output = testCase.output {
            #expect(try engine.render(testCase.template, variables: testCase.context) == output)
        } else {
            let expected = try #require(testCase.error, "a case needs output, error or truthy")
            let error = try #require(throws: PebbleError.self) { try engine.render(testCase.template, variables: testCase.context) }
            #expect(error.description.contains(expected), "\(error.description)")
        }
    }
}
