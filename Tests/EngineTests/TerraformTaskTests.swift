import Crypto
import Foundation
import TestSupport
import Testing

@testable import Engine
@testable import Pebble
@testable import Store

/// The Terraform CLI the tests run: the one on the PATH (scripts/test installs one where there is none).
enum TerraformTool {
    static let path = TerraformCLITool.path
    static let isCI = TestTools.isCI
    static let missing = TerraformCLITool.missing
    static var hasTerraformData: Bool { TerraformCLITool.hasTerraformData }
    static var enabled: Bool { TerraformCLITool.enabled }
}

/// TerraformCLI with a real Terraform CLI and provider-less fixture modules (issue 5, item 2).
@Suite("Terraform tasks")
struct TerraformTaskTests {
    static let terraform = "type: io.kestra.plugin.terraform.cli.TerraformCLI"
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/terraform")

    @Test(
        "init and plan -out=tfplan in one task give a plan summary; a second task applies exactly that plan, reads outputs, destroys",
        .enabled(if: TerraformTool.enabled, Comment(rawValue: TerraformTool.missing)))
    func planThenApply() async throws {
        _ = try #require(TerraformTool.path, Comment(rawValue: TerraformTool.missing))
        let modern = TerraformTool.hasTerraformData
        let fixture = try ScriptFixture(
            namespace: modern ? "engine.terraform" : "engine.terraform-legacy",
            server: [ScriptSettings.namespaceFilesVariable: Self.fixtures.path])
        let state = fixture.root.appendingPathComponent("state/vm.tfstate").path
        let execution = try await fixture.start(
            """
              - id: plan
                \(Self.terraform)
                namespaceFiles: {enabled: true, include: ["*.tf"]}
                env: {TF_VAR_name: "vm-{{ execution.id }}", STATE: "\(state)"}
                beforeCommands: ['terraform init -backend-config="path=$STATE"']
                commands: ["terraform plan -out=tfplan"]
                outputFiles: [tfplan]
              - id: apply
                \(Self.terraform)
                namespaceFiles: {enabled: true}
                inputFiles: {tfplan: "{{ outputs.plan.outputFiles['tfplan'] }}"}
                env: {TF_VAR_name: "vm-{{ execution.id }}", STATE: "\(state)"}
                beforeCommands: ['terraform init -backend-config="path=$STATE"']
                commands:
                  - terraform apply tfplan
                  - echo "::{\\"outputs\\":$(terraform output -json | tr -d '\\n')}::"
                  - terraform destroy -auto-approve
            """, id: "vm")
        let lines = try fixture.lines(execution)
        #expect(execution.state == "SUCCESS", "\(lines)")

        let plan = try fixture.outputs(execution, of: "plan")
        #expect(plan["outputFiles"]?.mapValue?["tfplan"]?.stringValue?.hasPrefix("kestra:///engine/") == true)
        let apply = try fixture.outputs(execution, of: "apply")
        #expect(apply["vars"]?.mapValue?["server_name"]?.mapValue?["value"] == .string("vm-\(execution.id)"))
        // Terraform colours its output; the log keeps the escapes, as Kestra's does, for the viewer to render.
        let planLines = try fixture.lines(execution, of: "plan").map { $0.replacing(/\u{1B}\[[0-9;]*m/, with: "") }
        let applyLines = try fixture.lines(execution, of: "apply").map { $0.replacing(/\u{1B}\[[0-9;]*m/, with: "") }
        if modern {
            #expect(
                plan["plan"]
                    == .map(
                        PebbleMap([
                            (
                                "resourceChanges",
                                .list([
                                    .map(
                                        PebbleMap([("address", "terraform_data.server"), ("type", "terraform_data"), ("actions", .list(["create"]))]))
                                ])
                            ),
                            ("counts", .map(PebbleMap([("create", 1), ("update", 0), ("delete", 0), ("replace", 0)]))),
                            ("file", "tfplan"),
                            ("sha256", .string(try Self.storedSHA256(plan["outputFiles"]?.mapValue?["tfplan"]?.stringValue, fixture))),
                        ])))
            #expect(planLines.contains("INFO Plan: 1 to add, 0 to change, 0 to destroy."))
            #expect(planLines.contains("INFO read the saved plan `tfplan` with `terraform show -json`"))
            #expect(applyLines.contains("INFO Apply complete! Resources: 1 added, 0 changed, 0 destroyed."))
            #expect(applyLines.contains("INFO Destroy complete! Resources: 1 destroyed."))
        } else {
            // An outputs-only module plans no resource changes; an old CLI's plan may not be readable, which is a warning.
            #expect(plan["plan"]?.mapValue?["counts"] != nil || planLines.contains { $0.hasPrefix("WARN the saved plan") })
        }
        #expect(fixture.workdirs.isEmpty)
    }

    @Test(
        "GATEHOUSE_TERRAFORM_BIN may name another CLI (tofu): commands still call it terraform",
        .enabled(if: TerraformTool.enabled, Comment(rawValue: TerraformTool.missing)))
    func otherBinary() async throws {
        let terraform = try #require(TerraformTool.path, Comment(rawValue: TerraformTool.missing))
        let tools = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-tofu-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: tools) }
        try FileManager.default.createDirectory(at: tools, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: tools.appendingPathComponent("tofu").path, withDestinationPath: terraform)
        let fixture = try ScriptFixture(server: [ScriptSettings.terraformVariable: tools.appendingPathComponent("tofu").path])
        let execution = try await fixture.start(
            """
              - {id: which, \(Self.terraform), commands: ["command -v terraform", "terraform version > /dev/null && echo runs"]}
            """)
        #expect(execution.state == "SUCCESS")
        let lines = try fixture.lines(execution)
        #expect(lines.contains { $0.hasPrefix("INFO /") && $0.hasSuffix("/bin/terraform") })
        #expect(lines.last == "INFO runs")
    }

    @Test(
        "an output file that looks like a plan but is not one gives a warning, not a failure",
        .enabled(if: TerraformTool.enabled, Comment(rawValue: TerraformTool.missing)))
    func unreadablePlan() async throws {
        _ = try #require(TerraformTool.path, Comment(rawValue: TerraformTool.missing))
        let fixture = try ScriptFixture()
        let execution = try await fixture.start(
            """
              - {id: fake, \(Self.terraform), outputFiles: [tfplan], commands: ["printf 'PK\\\\003\\\\004not a plan' > tfplan"]}
            """)
        #expect(execution.state == "SUCCESS")
        #expect(try fixture.lines(execution).contains { $0.hasPrefix("WARN the saved plan `tfplan` could not be read") })
        #expect(try fixture.outputs(execution, of: "fake")["plan"] == nil)
    }

    @Test("a Terraform CLI that is not there fails the task, naming it")
    func missingBinary() async throws {
        let fixture = try ScriptFixture(server: [ScriptSettings.terraformVariable: "no-such-terraform-cli"])
        let execution = try await fixture.start(
            """
              - {id: nothing, \(Self.terraform), commands: ["terraform version"]}
            """)
        #expect(execution.state == "FAILED")
        #expect(try fixture.lines(execution).last?.hasPrefix("ERROR `no-such-terraform-cli` was not found on the PATH") == true)
    }

    @Test("the plan summary counts creates, updates, deletes and replacements, and leaves out no-ops")
    func summary() throws {
        let json = """
            {"format_version": "1.2", "resource_changes": [
              {"address": "a.new", "type": "a", "change": {"actions": ["create"]}},
              {"address": "a.same", "type": "a", "change": {"actions": ["no-op"]}},
              {"address": "b.edit", "type": "b", "change": {"actions": ["update"]}},
              {"address": "b.swap", "type": "b", "change": {"actions": ["delete", "create"]}},
              {"address": "b.swap2", "type": "b", "change": {"actions": ["create", "delete"]}},
              {"address": "c.gone", "type": "c", "change": {"actions": ["delete"]}},
              {"address": "data.d.x", "type": "d", "change": {"actions": ["read"]}}
            ]}
            """
        let summary = try TerraformPlanSummary.summary(ofShowJSON: Data(json.utf8))
        let changes = summary.mapValue?["resourceChanges"]?.listValue ?? []
        #expect(changes.compactMap { $0.mapValue?["address"]?.stringValue } == ["a.new", "b.edit", "b.swap", "b.swap2", "c.gone", "data.d.x"])
        #expect(summary.mapValue?["counts"] == .map(PebbleMap([("create", 1), ("update", 1), ("delete", 1), ("replace", 2)])))
        #expect(throws: TerraformPlanSummary.PlanError.self) { try TerraformPlanSummary.summary(ofShowJSON: Data("o:{}".utf8)) }
    }

    /// The SHA-256 of a stored output file, computed here apart from the engine's own code.
    static func storedSHA256(_ uri: String?, _ fixture: ScriptFixture) throws -> String {
        let uri = try #require(uri)
        let storage = FileStorage(dataDirectory: DataDirectory(path: fixture.root.path))
        let file = try storage.file(for: uri, allowedUnder: [["engine"]])
        return SHA256.hash(data: try Data(contentsOf: file)).map { String(format: "%02x", $0) }.joined()
    }
}
