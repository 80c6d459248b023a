import Foundation
import Pebble

/// What TerraformCLI adds to the shell task: the configured Terraform-compatible CLI first on the commands' `PATH`
/// under the name `terraform`, a few variables for running unattended, and a `plan` output read from a saved plan.
enum TerraformCLI {
    /// Set before the task's own `env`: no prompts, automation-friendly messages, no version check over the network.
    static let environment = ["TF_IN_AUTOMATION": "1", "TF_INPUT": "0", "CHECKPOINT_DISABLE": "1"]
    /// The most of `terraform show -json` output read.
    static let maximumPlanJSON = 64 * 1024 * 1024

    /// The CLI's absolute path and the folder to put first on `PATH`: the CLI's own folder when it is called
    /// `terraform`, else a folder beside the working directory with a `terraform` link to it, so flows that say
    /// `terraform` run OpenTofu when `GATEHOUSE_TERRAFORM_BIN=tofu`.
    static func prepare(settings: ScriptSettings, directory: WorkingDirectory) throws(ScriptError) -> (binary: String, pathFolder: String) {
        let binary = try ChildEnvironment.locate(settings.terraformBinary, on: settings.serverPath)
        let url = URL(fileURLWithPath: binary)
        guard url.lastPathComponent != "terraform" else { return (binary, url.deletingLastPathComponent().path) }
        let folder = directory.root.appendingPathComponent("bin", isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent("terraform"), withDestinationURL: url)
        } catch {
            throw .workingDirectory(path: folder.path, reason: error.localizedDescription)
        }
        return (binary, folder.path)
    }

    /// The summary of the first stored output file that is a saved plan (in name order), or nil when there is none or
    /// it cannot be read; reading problems are WARN lines, never a failure.
    static func planSummary(
        of files: [(name: String, file: URL)], binary: String, environment: [String: String], directory: WorkingDirectory,
        context: AttemptContext, output: CommandOutput
    ) -> PebbleValue? {
        guard let plan = files.first(where: { TerraformPlanSummary.looksLikePlan($0.file) }) else { return nil }
        var json = Data()
        var errors = Data()
        var overflow = false
        let command = ProcessRunner.Command(
            executable: binary, arguments: ["show", "-json", plan.name], environment: environment, directory: directory.work.path)
        do {
            let outcome = try ProcessRunner().run(
                command, context: context,
                output: { stream, bytes in
                    if stream == 0 {
                        if json.count + bytes.count <= maximumPlanJSON { json.append(contentsOf: bytes) } else { overflow = true }
                    } else if errors.count < 4096 {
                        errors.append(contentsOf: bytes.prefix(4096 - errors.count))
                    }
                }, idle: { false })
            guard outcome.stop == nil, outcome.status.code == 0, !overflow else {
                let reason =
                    overflow
                    ? "its JSON is larger than \(maximumPlanJSON / 1024 / 1024) MiB"
                    : outcome.stop != nil
                        ? "it was stopped"
                        : "it exited with code \(outcome.status.code): \(String(decoding: errors, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))"
                throw TerraformPlanSummary.PlanError.unreadable(reason)
            }
            // Some CLI builds (PyPI's Terraform 0.15) print a short prefix before the JSON document.
            if let start = json.firstIndex(of: UInt8(ascii: "{")), start != json.startIndex, start - json.startIndex <= 16 {
                json = json.subdata(in: start..<json.endIndex)
            }
            guard case .map(var summary) = try TerraformPlanSummary.summary(ofShowJSON: json) else { return nil }
            // Which stored file this is and its hash, so the approval can be bound to exactly these bytes.
            summary["file"] = .string(plan.name)
            summary["sha256"] = .string(try ApprovedPlan.sha256(of: plan.file))
            output.note("INFO", "read the saved plan `\(plan.name)` with `terraform show -json`")
            return .map(summary)
        } catch {
            output.note(
                "WARN", "the saved plan `\(plan.name)` could not be read with `terraform show -json`, so the task has no `plan` output: \(error)")
            return nil
        }
    }
}
