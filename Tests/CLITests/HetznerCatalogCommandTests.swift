import Foundation
import TestSupport
import Testing

/// `gatehouse hetzner catalog refresh` against a real HTTP server that serves Hetzner's server type list in two pages.
@Suite("Hetzner price catalog refresh")
struct HetznerCatalogCommandTests {
    static let token = "hcloud-test-token-7f3a9c"

    @Test("reads every page with the bearer token, leaves out deprecated types and locations, writes the file, never prints the token")
    func refresh() async throws {
        let server = try FixtureServer(.hetznerAPI, arguments: [Self.token])
        let root = try GatehouseProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let output = root.appendingPathComponent("catalog/prices.json")

        let run = try await GatehouseProcess.run(
            ["hetzner", "catalog", "refresh", "--output", output.path, "--api", "\(server.baseURL)/v1"], environment: ["HCLOUD_TOKEN": Self.token])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("wrote 3 server types in 4 locations (ash, fsn1, hel1, nbg1) to \(output.path)"))
        #expect(!run.standardOutput.contains(Self.token) && !run.standardError.contains(Self.token))

        let requests = try server.recordedRequests()
        #expect(requests.map { $0["path"] as? String } == ["/v1/server_types?page=1&per_page=50", "/v1/server_types?page=2&per_page=50"])
        #expect(requests.allSatisfy { ($0["headers"] as? [String: String])?["authorization"] == "Bearer \(Self.token)" })

        let text = try String(contentsOf: output, encoding: .utf8)
        #expect(!text.contains(Self.token))
        let catalog = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        #expect(catalog?["currency"] as? String == "EUR")
        #expect(catalog?["vat"] as? String == "excluded")
        #expect((catalog?["date"] as? String)?.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil)
        #expect((catalog?["source"] as? String)?.contains("gatehouse hetzner catalog refresh") == true)
        let types = try #require(catalog?["serverTypes"] as? [String: [String: Any]])
        #expect(Set(types.keys) == ["cx23", "cax11", "cpx22"])
        #expect(types["cax11"]?["architecture"] as? String == "arm")
        #expect((types["cax11"]?["prices"] as? [String: Any]).map { Set($0.keys) } == ["fsn1"])
        let cx23 = try #require(types["cx23"])
        #expect(cx23["cores"] as? Int == 2 && cx23["memoryGB"] as? Double == 4 && cx23["diskGB"] as? Int == 40)
        let fsn1 = (cx23["prices"] as? [String: [String: Double]])?["fsn1"]
        #expect(fsn1 == ["hourly": 0.0048, "monthly": 2.99])
        // Only the file itself remains: the temporary file was renamed into place.
        #expect(try FileManager.default.contentsOfDirectory(atPath: output.deletingLastPathComponent().path) == ["prices.json"])
    }

    @Test("a refused token exits 1 with Hetzner's reason and keeps the old catalog")
    func refusedToken() async throws {
        let server = try FixtureServer(.hetznerAPI, arguments: [Self.token])
        let root = try GatehouseProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let output = root.appendingPathComponent("prices.json")
        try "{\"old\": true}\n".write(to: output, atomically: true, encoding: .utf8)

        let wrong = "hcloud-wrong-token-55e1"
        let run = try await GatehouseProcess.run(
            ["hetzner", "catalog", "refresh", "--output", output.path, "--api", "\(server.baseURL)/v1/"], environment: ["HCLOUD_TOKEN": wrong])
        #expect(run.status == 1)
        #expect(run.standardError.contains("401 Unauthorized: the token in HCLOUD_TOKEN was refused (unauthorized: unable to authenticate)"))
        #expect(!run.standardOutput.contains(wrong) && !run.standardError.contains(wrong))
        #expect(try String(contentsOf: output, encoding: .utf8) == "{\"old\": true}\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == ["prices.json"])
    }

    @Test("without HCLOUD_TOKEN it exits 2 and says how to get one")
    func missingToken() async throws {
        let root = try GatehouseProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let output = root.appendingPathComponent("prices.json")
        let run = try await GatehouseProcess.run(
            ["hetzner", "catalog", "refresh", "--output", output.path, "--api", "http://127.0.0.1:9/v1"], environment: ["HCLOUD_TOKEN": nil])
        #expect(run.status == 2)
        #expect(run.standardError.contains("HCLOUD_TOKEN is not set"))
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }
}
