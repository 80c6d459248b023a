import Foundation
import Testing

@testable import Engine
@testable import Store

/// `kestra.url` and `kestra.environment` (KESTRA.md §4): flows moved from Kestra link to their executions with them.
@Suite("Kestra's kestra variables")
struct KestraVariablesTests {
    func run(environment: [String: String]) throws -> [String] {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-kestra-vars-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let database = try GatehouseDatabase(directory: DataDirectory(path: root.path))
        let runner = FlowRunner(
            database: database, environment: environment,
            settings: TaskSettings(dataDirectory: DataDirectory(path: root.path), environment: environment))
        let execution = try runner.start(
            flowSource: """
                id: linked
                namespace: team.infra
                variables:
                  link: "{{ kestra.url }}ui/executions/{{ flow.namespace }}/{{ flow.id }}"
                tasks:
                  - id: say
                    type: io.kestra.plugin.core.log.Log
                    message: "{{ render(vars.link) }}/{{ execution.id }} on {{ kestra.environment ?? 'no environment' }}"
                """, file: "linked.yaml", inputs: [:], requester: "alice")
        #expect(execution.state == "SUCCESS", "\(execution.error ?? "")")
        return try database.logs(of: execution.id).map { $0.line.replacingOccurrences(of: execution.id, with: "ID") }
    }

    @Test("kestra.url is GATEHOUSE_BASE_URL with one trailing slash, as Kestra's setting is written")
    func configured() throws {
        let lines = try run(environment: ["GATEHOUSE_BASE_URL": "https://gatehouse.example.com//", "GATEHOUSE_ENVIRONMENT": "prod"])
        #expect(lines == ["https://gatehouse.example.com/ui/executions/team.infra/linked/ID on prod"])
    }

    @Test("without settings kestra.url is the default address and kestra.environment is absent")
    func defaults() throws {
        #expect(try run(environment: [:]) == ["http://localhost:8080/ui/executions/team.infra/linked/ID on no environment"])
    }
}
