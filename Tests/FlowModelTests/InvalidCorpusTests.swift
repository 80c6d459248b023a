import FlowModel
import Foundation
import Testing

/// Each invalid fixture ends with `# expect: LINE:COL: SEVERITY: MESSAGE (at PATH)` lines: exactly the diagnostics it must produce.
@Suite("Invalid flow corpus")
struct InvalidCorpusTests {
    @Test("the corpus has one fixture per rule, at least 30")
    func corpusSize() {
        #expect(Fixtures.invalid.count >= 30)
    }

    @Test("every invalid flow reports exactly its expected diagnostics", arguments: Fixtures.invalid)
    func reportsExpectedDiagnostics(file: URL) throws {
        let text = try String(contentsOf: file, encoding: .utf8)
        let expected = text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { $0.hasPrefix("# expect: ") }
            .map { String($0.dropFirst("# expect: ".count)) }
        try #require(!expected.isEmpty, "\(file.lastPathComponent) has no `# expect:` lines")
        let result = FlowParser().parse(fileAt: file, displayPath: "f")
        let actual = result.diagnostics.map { String($0.description.dropFirst("f:".count)) }
        #expect(actual == expected, "\(file.lastPathComponent)")
        if expected.contains(where: { $0.contains(": error: ") }) {
            #expect(result.flow == nil)
        }
    }
}
