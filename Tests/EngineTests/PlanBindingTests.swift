import Crypto
import FlowModel
import Foundation
import Pebble
import Testing

@testable import Engine
@testable import Store

/// An approval is bound to the SHA-256 of the saved plan it was shown; the apply refuses any other file (issue 7, item
/// 4), with a real Terraform CLI and the provider-less fixture module.
@Suite("Approval bound to the plan", .enabled(if: TerraformTool.enabled, Comment(rawValue: TerraformTool.missing)))
struct PlanBindingTests {
    static func flow(state: String) -> String {
        """
          - id: plan
            \(TerraformTaskTests.terraform)
            namespaceFiles: {enabled: true, include: ["*.tf"]}
            env: {TF_VAR_name: "vm-{{ execution.id }}", STATE: "\(state)"}
            beforeCommands: ['terraform init -backend-config="path=$STATE"']
            commands: ["terraform plan -out=tfplan"]
            outputFiles: [tfplan]
          - id: approve
            type: io.kestra.plugin.core.flow.Pause
          - id: apply
            \(TerraformTaskTests.terraform)
            namespaceFiles: {enabled: true}
            inputFiles: {tfplan: "{{ outputs.plan.outputFiles['tfplan'] }}"}
            env: {STATE: "\(state)"}
            beforeCommands: ['terraform init -backend-config="path=$STATE"']
            commands: ["terraform apply tfplan"]
        """
    }

    /// A paused execution with a saved plan, and the stored plan file.
    static func pausedWithPlan() async throws -> (ScriptFixture, ExecutionRecord, URL) {
        _ = try #require(TerraformTool.path, Comment(rawValue: TerraformTool.missing))
        let fixture = try ScriptFixture(
            namespace: TerraformTool.hasTerraformData ? "engine.terraform" : "engine.terraform-legacy",
            server: [ScriptSettings.namespaceFilesVariable: TerraformTaskTests.fixtures.path])
        let paused = try await fixture.start(Self.flow(state: fixture.root.appendingPathComponent("state/vm.tfstate").path), id: "vm")
        let lines = try fixture.lines(paused)
        #expect(paused.state == "PAUSED", "\(lines)")
        let uri = try #require(try fixture.outputs(paused, of: "plan")["outputFiles"]?.mapValue?["tfplan"]?.stringValue)
        let file = try FileStorage(dataDirectory: DataDirectory(path: fixture.root.path)).file(for: uri, allowedUnder: [["engine"]])
        return (fixture, paused, file)
    }

    static func sha256(_ file: URL) throws -> String {
        SHA256.hash(data: try Data(contentsOf: file)).map { String(format: "%02x", $0) }.joined()
    }

    @Test("the approval records the plan's SHA-256, and the apply runs exactly that plan")
    func approvedPlanApplies() async throws {
        let (fixture, paused, file) = try await Self.pausedWithPlan()
        let runner = fixture.runner
        let pending = try runner.pendingApproval(paused.id)
        let evidence = try #require(runner.planEvidence(pending))
        #expect(evidence.sha256 == (try Self.sha256(file)))
        #expect(evidence.isIntact)
        let done = try await onOwnThread {
            try runner.decide(
                executionId: paused.id, inputs: [:], decider: Decider(name: "bob", roles: ["approver"]), approve: true,
                shownPlanSHA256: evidence.sha256)
        }
        let lines = try fixture.lines(done)
        #expect(done.state == "SUCCESS", "\(lines)")
        let approval = try #require(try fixture.database.approvals(of: paused.id).first)
        #expect(approval.planSHA256 == (try Self.sha256(file)))
        #expect(approval.planFile == evidence.uri)
    }

    @Test("a plan file changed between approval and apply: the apply refuses and the execution fails saying why")
    func changedAfterApproval() async throws {
        let (fixture, paused, file) = try await Self.pausedWithPlan()
        let runner = fixture.runner
        let approved = try Self.sha256(file)
        _ = try runner.decide(
            executionId: paused.id, inputs: [:], decider: Decider(name: "bob", roles: ["approver"]), approve: true, driveNow: false)
        // Someone with access to the data directory swaps the plan before the worker applies it.
        var bytes = try Data(contentsOf: file)
        bytes.append(contentsOf: [0x0A])
        try bytes.write(to: file)
        let failed = try await onOwnThread { try runner.drive(executionId: paused.id) }
        #expect(failed.state == "FAILED")
        #expect(try fixture.state(failed, of: "apply") == "FAILED")
        let lines = try fixture.lines(failed, of: "apply")
        #expect(
            lines.contains {
                $0.contains("refusing to apply: the plan file `tfplan` is not the plan bob approved (approved SHA-256 \(approved)")
            }, "\(lines)")
        #expect(!lines.contains { $0.contains("Apply complete") })
    }

    @Test("a plan file changed before the decision cannot be approved; a page showing an older plan is refused")
    func changedBeforeApproval() async throws {
        let (fixture, paused, file) = try await Self.pausedWithPlan()
        let bob = Decider(name: "bob", roles: ["approver"])
        #expect(throws: RunError.refused("The plan changed after you opened the page; review the new plan and decide again")) {
            try fixture.runner.decide(
                executionId: paused.id, inputs: [:], decider: bob, approve: true, shownPlanSHA256: String(repeating: "0", count: 64))
        }
        try Data("not the plan".utf8).write(to: file)
        #expect(throws: RunError.self) {
            try fixture.runner.decide(executionId: paused.id, inputs: [:], decider: bob, approve: true)
        }
        #expect(try fixture.database.execution(paused.id)?.state == "PAUSED")
        #expect(try fixture.database.approvals(of: paused.id).isEmpty)
    }
}
