import FlowModel
import Foundation
import Testing

/// Hostile or broken files must give a clear diagnostic, never a crash, a hang or a memory blow-up.
@Suite("Robustness against hostile input")
struct RobustnessTests {
    static func messages(_ bytes: [UInt8]) -> [String] {
        FlowParser().parse(bytes: bytes, file: "x.yaml").diagnostics.map { String($0.description.dropFirst("x.yaml:".count)) }
    }

    static func messages(_ text: String) -> [String] { messages(Array(text.utf8)) }

    @Test("empty and comment-only files", arguments: ["", "\n\n", "# just a comment\n", "---\n", "~\n"])
    func emptyFiles(text: String) {
        let messages = Self.messages(text)
        #expect(messages.count == 1)
        #expect(messages.first?.hasSuffix("error: the file is empty; a flow needs at least `id`, `namespace` and `tasks`") == true)
    }

    @Test("a binary file is reported as not being text")
    func binaryFile() {
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0xFF, 0xFE]
        bytes += (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let messages = Self.messages(bytes)
        #expect(messages.count == 1)
        #expect(messages.first?.contains("error:") == true)
    }

    @Test("invalid UTF-8 in the middle of a flow points at its line")
    func invalidUTF8() {
        let bytes = Array("id: a\nnamespace: n\ntasks: x".utf8) + [0xC3, 0x28] + Array("\n".utf8)
        // libyaml points at the offending trailing byte, the second byte of the broken sequence.
        #expect(Self.messages(bytes) == ["3:10: error: the file is not UTF-8 text (invalid trailing UTF-8 octet at byte 28); is it a binary file?"])
    }

    @Test("a 10 MB flow is read, and a 17 MB one is refused")
    func largeFiles() {
        let big =
            "id: big\nnamespace: n\ntasks:\n  - id: a\n    type: io.kestra.plugin.core.log.Log\n    message: \""
            + String(repeating: "0123456789", count: 1_000_000) + "\"\n"
        #expect(Self.messages(big) == [])
        let huge = [UInt8](repeating: UInt8(ascii: "#"), count: 17 * 1024 * 1024)
        #expect(Self.messages(huge) == ["1:1: error: the file is 17 MiB; flows larger than 16 MiB are refused"])
    }

    @Test("a 10 MB file of garbage gives diagnostics, not a crash")
    func largeGarbage() {
        let line = "key: [unclosed {flow: \"mixed' quotes\n"
        let text = String(repeating: line, count: 10 * 1024 * 1024 / line.utf8.count)
        let messages = Self.messages(text)
        #expect(!messages.isEmpty)
        #expect(messages.allSatisfy { $0.contains("error:") })
    }

    @Test(
        "deeply nested flow collections are refused", arguments: [String(repeating: "[", count: 100_000), String(repeating: "{a: ", count: 50_000)])
    func deepFlowNesting(text: String) {
        let messages = Self.messages(text)
        #expect(messages.count == 1)
        #expect(messages.first?.contains("error:") == true)
    }

    @Test("deeply nested block mappings are refused with a clear message")
    func deepBlockNesting() {
        var text = ""
        for depth in 0..<300 { text += String(repeating: " ", count: depth) + "a:\n" }
        text += String(repeating: " ", count: 300) + "b: 1\n"
        #expect(
            Self.messages(text) == [
                "129:129: error: the document nests lists and mappings deeper than 128 levels; flows never need that much, so it is refused"
            ])
    }

    @Test("a billion laughs document is refused quickly instead of expanded")
    func billionLaughs() {
        var text = "id: lol\nnamespace: n\nlol0: &lol0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        for level in 1...9 {
            let previous = Array(repeating: "*lol\(level - 1)", count: 10).joined(separator: ",")
            text += "lol\(level): &lol\(level) [\(previous)]\n"
        }
        text += "tasks: *lol9\n"
        let messages = Self.messages(text)
        #expect(messages.count == 1)
        #expect(messages.first?.contains("billion laughs") == true)
    }

    @Test("ordinary anchors, aliases and merge keys work")
    func anchorsAndMergeKeys() throws {
        let source = """
            id: anchors
            namespace: n
            variables:
              base: &base {level: INFO, message: shared}
            tasks:
              - id: one
                type: io.kestra.plugin.core.log.Log
                <<: *base
              - id: two
                type: io.kestra.plugin.core.log.Log
                <<: *base
                message: own message
            """
        let result = FlowParser().parse(source: source, file: "a.yaml")
        #expect(result.diagnostics == [])
        let flow = try #require(result.flow)
        #expect(flow.tasks.map { $0.string("message") } == ["shared", "own message"])
        #expect(flow.tasks.map { $0.string("level") } == ["INFO", "INFO"])
    }

    @Test("a document that is not a mapping", arguments: [("- a\n- b\n", "a list"), ("just text\n", "the scalar `just text`")])
    func notAMapping(text: String, kind: String) {
        #expect(Self.messages(text) == ["1:1: error: the flow must be a mapping of properties, but got \(kind)"])
    }
}
