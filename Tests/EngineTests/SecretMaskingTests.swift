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

/// SECRET inputs are sealed at rest and opened only for their execution's tasks, so an approval days later still has them.
@Suite("SECRET inputs sealed at rest")
struct SecretInputTests {
    static let password = "correct-horse-battery"
    static let flow = """
        id: sealed
        namespace: engine.secrets
        inputs:
          - {id: password, type: SECRET}
          - {id: user, type: STRING}
        tasks:
          - {id: before, type: io.kestra.plugin.core.log.Log, message: "{{ inputs.user }} uses {{ inputs.password }}"}
          - {id: wait, type: io.kestra.plugin.core.flow.Pause}
          - {id: check, type: io.kestra.plugin.core.execution.Fail, condition: "{{ (inputs.password | upper) != 'CORRECT-HORSE-BATTERY' }}", errorMessage: lost}
          - {id: size, type: io.kestra.plugin.core.debug.Return, format: "{{ inputs.password | length }}"}
        """

    @Test("the value survives a pause in another process, is masked in logs, and is never in the database file in clear")
    func survivesPause() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-sealed-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let database = try GatehouseDatabase(directory: DataDirectory(path: root.path))
        let paused = try FlowRunner(database: database).start(
            flowSource: Self.flow, file: "sealed.yaml", inputs: ["password": .text(Self.password), "user": .text("ada")], requester: "ada")
        #expect(paused.state == "PAUSED")
        let lines = try database.logs(of: paused.id).map(\.line)
        #expect(lines == ["ada uses ******", "paused until someone resumes the execution"])

        let keyFile = root.appendingPathComponent(SecretInputCipher.keyFileName).path
        let mode = try FileManager.default.attributesOfItem(atPath: keyFile)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)

        // A new runner on the same data directory, as after a restart, opens the value with the key file.
        let reopened = try GatehouseDatabase(directory: DataDirectory(path: root.path))
        let done = try FlowRunner(database: reopened).resume(executionId: paused.id, inputs: [:], decidedBy: "bob")
        #expect(done.state == "SUCCESS")
        #expect(try reopened.taskRuns(of: paused.id).first { $0.taskId == "size" }?.outputs == #"{"value":"21"}"#)

        var stored = Data()
        for suffix in ["", "-wal"] { stored.append((try? Data(contentsOf: URL(fileURLWithPath: database.path + suffix))) ?? Data()) }
        #expect(stored.range(of: Data(Self.password.utf8)) == nil)
        #expect(stored.range(of: Data(SecretInputCipher.prefix.utf8)) != nil)
    }

    @Test("with another key the execution fails saying why, instead of running with a wrong value")
    func wrongKey() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-sealed-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let database = try GatehouseDatabase(directory: DataDirectory(path: root.path))
        let paused = try FlowRunner(database: database).start(
            flowSource: Self.flow, file: "sealed.yaml", inputs: ["password": .text(Self.password), "user": .text("ada")], requester: "ada")
        let otherKey = Data((0..<32).map { UInt8($0) }).base64EncodedString()
        let settings = TaskSettings(dataDirectory: DataDirectory(path: root.path), environment: [SecretInputCipher.environmentVariable: otherKey])
        let failed = try FlowRunner(database: database, settings: settings).resume(executionId: paused.id, inputs: [:], decidedBy: "bob")
        #expect(failed.state == "FAILED")
        #expect(failed.error?.contains("sealed with another key than $GATEHOUSE_SECRET_KEY") == true)

        let badKey = TaskSettings(dataDirectory: DataDirectory(path: root.path), environment: [SecretInputCipher.environmentVariable: "short"])
        #expect(throws: RunError.self) {
            try FlowRunner(database: database, settings: badKey).start(
                flowSource: Self.flow, file: "sealed.yaml", inputs: ["password": .text("x"), "user": .text("ada")], requester: "ada")
        }
    }
}
