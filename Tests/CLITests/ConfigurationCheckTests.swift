import Foundation
import Testing

/// An invalid setting stops `serve` and `worker` with a message naming the variable and the value, never a default
/// quietly used instead. Each case is built so that, without the check, the command would end in another way (a
/// missing web root, an address it cannot bind, one worker pass that succeeds), so the test fails rather than hangs.
@Suite("Invalid settings stop gatehouse, run as a process")
struct ConfigurationCheckTests {
    func environment(in directory: URL, _ extra: [String: String?]) -> [String: String?] {
        var environment: [String: String?] = [
            "GATEHOUSE_DATA": directory.appendingPathComponent("data").path, "GATEHOUSE_FLOWS": directory.appendingPathComponent("flows").path,
            "GATEHOUSE_WORKERS": nil, "GATEHOUSE_TRUSTED_PROXIES": nil,
        ]
        for (name, value) in extra { environment[name] = value }
        return environment
    }

    @Test("GATEHOUSE_WORKERS that is not a whole number of at least 1 stops serve and worker", arguments: ["four", "0", "", "2.5"])
    func workers(value: String) async throws {
        let directory = try GatehouseProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("flows"), withIntermediateDirectories: true)
        let serve = try await GatehouseProcess.run(
            ["serve", "--port", "0"], in: directory,
            environment: environment(
                in: directory, ["GATEHOUSE_WORKERS": value, "GATEHOUSE_WEB_ROOT": directory.appendingPathComponent("missing").path]))
        #expect(serve.status != 0)
        #expect(
            serve.standardError.contains(#"GATEHOUSE_WORKERS="\#(value)" is not valid: expected a whole number of at least 1"#),
            "\(serve.standardError)")

        let worker = try await GatehouseProcess.run(
            ["worker", "--once"], in: directory, environment: environment(in: directory, ["GATEHOUSE_WORKERS": value]))
        #expect(worker.status != 0)
        #expect(worker.standardError.contains(#"GATEHOUSE_WORKERS="\#(value)" is not valid"#), "\(worker.standardError)")
    }

    @Test("a GATEHOUSE_TRUSTED_PROXIES entry that is not an IP address stops serve, naming the entry")
    func trustedProxies() async throws {
        let directory = try GatehouseProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("flows"), withIntermediateDirectories: true)
        let serve = try await GatehouseProcess.run(
            ["serve", "--host", "203.0.113.1", "--port", "0"], in: directory,
            environment: environment(
                in: directory, ["GATEHOUSE_TRUSTED_PROXIES": "10.0.0.7, proxy.internal", "GATEHOUSE_WEB_ROOT": GatehouseProcess.repositoryRoot.path]))
        #expect(serve.status != 0)
        #expect(serve.standardError.contains(#"GATEHOUSE_TRUSTED_PROXIES="proxy.internal" is not valid"#), "\(serve.standardError)")
    }
}
