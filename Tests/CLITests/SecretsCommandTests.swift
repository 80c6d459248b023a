import Foundation
import Testing

/// `gatehouse run` reads secrets from the data directory's `secrets.env` and `SECRET_*` variables, and masks them.
@Suite("Secrets from the command line")
struct SecretsCommandTests {
    static let flow = """
        id: secretive
        namespace: cli.secrets
        tasks:
          - {id: show, type: io.kestra.plugin.core.log.Log, message: "token {{ secret('HCLOUD_TOKEN') }}"}
        """

    @Test("a secret from secrets.env is usable and printed as ******")
    func fromFile() async throws {
        let root = try GatehouseProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let data = root.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try "# Hetzner\nHCLOUD_TOKEN=file-token-0042\n".write(to: data.appendingPathComponent("secrets.env"), atomically: true, encoding: .utf8)
        let flow = root.appendingPathComponent("secretive.yaml")
        try Self.flow.write(to: flow, atomically: true, encoding: .utf8)

        let run = try await GatehouseProcess.run(["run", flow.path, "--data", data.path])
        #expect(run.status == 0)
        #expect(run.standardOutput.contains("[show] token ******"))
        #expect(!run.standardOutput.contains("file-token-0042"))
    }

    @Test("a broken secrets file stops the run with file:line and what is wrong")
    func brokenFile() async throws {
        let root = try GatehouseProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let data = root.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let secrets = data.appendingPathComponent("secrets.env")
        try "HCLOUD_TOKEN=ok-token-1\nno equals sign here\n".write(to: secrets, atomically: true, encoding: .utf8)
        let flow = root.appendingPathComponent("secretive.yaml")
        try Self.flow.write(to: flow, atomically: true, encoding: .utf8)

        let run = try await GatehouseProcess.run(["run", flow.path, "--data", data.path])
        #expect(run.status == 2)
        #expect(run.standardError.contains("\(secrets.path):2:"))
        #expect(!run.standardError.contains("ok-token-1"))
    }
}
