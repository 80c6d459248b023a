import Foundation
import Testing

@testable import Engine
@testable import Store

/// Secret values never reach the log, the outputs, the errors or the SQLite file in clear.
@Suite("Secret masking in executions")
struct SecretMaskingTests {
    static let token = "hc-7f3a9d2e-secret-token"

    @Test("logs, outputs and error messages show ****** and the database file never holds the value")
    func masked() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-secrets-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let database = try GatehouseDatabase(directory: DataDirectory(path: root.path))
        let runner = FlowRunner(database: database, secrets: SecretStore(values: ["HCLOUD_TOKEN": Self.token]))
        let execution = try runner.start(
            flowSource: """
                id: secrets
                namespace: engine.secrets
                tasks:
                  - {id: say, type: io.kestra.plugin.core.log.Log, message: "token={{ secret('hcloud_token') }}"}
                  - {id: keep, type: io.kestra.plugin.core.debug.Return, format: "Bearer {{ secret('HCLOUD_TOKEN') }}"}
                  - {id: encoded, type: io.kestra.plugin.core.log.Log, message: "{{ secret('HCLOUD_TOKEN') | base64encode }}"}
                  - {id: boom, type: io.kestra.plugin.core.execution.Fail, errorMessage: "refused {{ secret('HCLOUD_TOKEN') }}"}
                """,
            file: "secrets.yaml", inputs: [:], requester: "alice")
        #expect(execution.state == "FAILED")
        #expect(try database.logs(of: execution.id).map(\.line) == ["token=******", "******", "refused ******"])
        let keep = try #require(try database.taskRuns(of: execution.id).first { $0.taskId == "keep" })
        #expect(keep.outputs == #"{"value":"Bearer ******"}"#)

        var stored = Data()
        for suffix in ["", "-wal"] {
            stored.append((try? Data(contentsOf: URL(fileURLWithPath: database.writer.path + suffix))) ?? Data())
        }
        #expect(!stored.isEmpty)
        #expect(stored.range(of: Data(Self.token.utf8)) == nil)
        #expect(stored.range(of: Data("token=******".utf8)) != nil)
    }
}
