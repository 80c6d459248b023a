import Foundation
import Testing

@Suite("gatehouse validate, run as a process")
struct ValidateCommandTests {
    static let invalidFlow = """
        id: broken
        namespace: company.team
        tasks:
          - id: hello
            type: io.kestra.plugin.core.log.Log
            mesage: hi
            level: LOUD
        """

    static let warningFlow = """
        id: gate
        namespace: company.team
        tasks:
          - id: wait
            type: io.kestra.plugin.core.flow.Pause
            pauseDuration: PT2H
        """

    @Test("the shipped flows/ validate cleanly, and flows/ is the default path")
    func shippedFlows() async throws {
        let outcome = try await GatehouseProcess.run(["validate"])
        #expect(outcome.status == 0, "\(outcome.standardOutput)\(outcome.standardError)")
        #expect(outcome.standardOutput.contains("checked: 0 invalid, 0 errors"))
    }

    @Test("errors print as path:line:col: error: message and exit 1")
    func errorsExitOne() async throws {
        let directory = try GatehouseProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.invalidFlow.write(to: directory.appendingPathComponent("broken.yaml"), atomically: true, encoding: .utf8)
        try Self.warningFlow.write(to: directory.appendingPathComponent("gate.yml"), atomically: true, encoding: .utf8)
        let result = try await GatehouseProcess.run(["validate", directory.path])
        #expect(result.status == 1)
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        let file = directory.appendingPathComponent("broken.yaml").path
        #expect(
            lines.contains(
                "\(file):7:12: error: `level` must be one of TRACE, DEBUG, INFO, WARN, ERROR, but got `LOUD` (at tasks[0].level)"))
        #expect(
            lines.contains(
                "\(file):6:5: error: unknown property `mesage` in task of type io.kestra.plugin.core.log.Log; did you mean `message`? (at tasks[0].mesage)"
            ))
        #expect(
            lines.contains {
                $0.hasPrefix(directory.appendingPathComponent("gate.yml").path + ":4:5: warning: Pause `wait` has `pauseDuration: PT2H`")
            })
        #expect(lines.last == "2 flows checked: 1 invalid, 2 errors, 1 warning")
    }

    @Test("warnings alone exit 0")
    func warningsExitZero() async throws {
        let directory = try GatehouseProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("gate.yaml")
        try Self.warningFlow.write(to: file, atomically: true, encoding: .utf8)
        let outcome = try await GatehouseProcess.run(["validate", file.path])
        #expect(outcome.status == 0)
        #expect(outcome.standardOutput.hasSuffix("1 flow checked: 0 invalid, 0 errors, 1 warning\n"))
    }

    @Test("--format json prints an array of {file, line, column, severity, path, message}")
    func jsonFormat() async throws {
        let directory = try GatehouseProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("broken.yaml")
        try Self.invalidFlow.write(to: file, atomically: true, encoding: .utf8)
        let outcome = try await GatehouseProcess.run(["validate", "--format", "json", file.path])
        #expect(outcome.status == 1)
        let parsed = try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [[String: Any]]
        let items = try #require(parsed)
        #expect(items.count == 2)
        #expect(Set(items[0].keys) == ["file", "line", "column", "severity", "path", "message"])
        #expect(items[0]["file"] as? String == file.path)
        #expect(items[0]["line"] as? Int == 6)
        #expect(items[0]["column"] as? Int == 5)
        #expect(items[0]["severity"] as? String == "error")
        #expect(items[0]["path"] as? String == "tasks[0].mesage")
        #expect(items[1]["path"] as? String == "tasks[0].level")
    }

    @Test(
        "usage errors exit 2 with a clear message",
        arguments: [
            (["validate", "/nonexistent/flows"], "no such file or directory: /nonexistent/flows"),
            (["validate", "--format", "xml"], "xml"),
            (["validate", "Package.swift"], "Package.swift is not a flow file: flows end in .yaml or .yml"),
            (["validate", "Sources/Web"], "no flow files (.yaml or .yml) found under Sources/Web"),
        ]
    )
    func usageErrors(arguments: [String], message: String) async throws {
        let outcome = try await GatehouseProcess.run(arguments)
        #expect(outcome.status == 2)
        #expect(outcome.standardError.contains(message), "\(outcome.standardError)")
        #expect(outcome.standardOutput.isEmpty)
    }
}
