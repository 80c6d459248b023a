import Engine
import FlowModel
import Foundation
import Hummingbird
import HummingbirdTesting
import Store
import Testing

@testable import Web

/// The shipped Hetzner flows give shell commands what people typed through `env`, never pasted into the command
/// text, where a quote or `$(…)` would become shell syntax.
@Suite("Hetzner flows: inputs reach commands through env")
struct HetznerDestroyStateTests {
    @Test("no command of a shipped Hetzner flow renders an input or a label into its text", arguments: ["vm-provision.yaml", "vm-destroy.yaml"])
    func commandsTakeNoInputs(file: String) throws {
        let source = try String(
            contentsOf: HetznerJourneyTests.repository.appendingPathComponent("flows/hetzner/\(file)"), encoding: .utf8)
        let flow = try #require(FlowParser().parse(source: source, file: file).flow)
        for task in flow.tasks {
            for property in ["beforeCommands", "commands"] {
                for command in task.properties[property]?.listValue?.compactMap(\.stringValue) ?? [] {
                    #expect(!command.contains("inputs.") && !command.contains("labels"), "\(task.id).\(property): \(command)")
                }
            }
        }
    }

    @Test(
        "a destroy whose Terraform state is gone fails and names the request, as before",
        .enabled(if: JourneyTerraform.enabled, Comment(rawValue: JourneyTerraform.missing)))
    func missingState() async throws {
        let world = try await HetznerJourneyTests.world()
        let runner = world.fixture.server.runner
        let deployed = try #require(world.fixture.server.catalog.deployed.first { $0.flow.id == "vm-destroy" })
        let resolution = InputResolver(engine: runner.engine).resolve(deployed.flow.inputs, submitted: ["request_id": .text("Gone0000Request1")])
        let submitted = try runner.submit(deployed, resolution: resolution, requester: "gatehouse", byPerson: false)
        let settled = try HetznerJourneyTests.settle(world, submitted.id)
        let lines = try world.database.logs(of: submitted.id).map(\.line)
        #expect(settled.state == "FAILED", "\(lines)")
        #expect(
            lines.contains { $0.contains("no Terraform state for request Gone0000Request1 at ") && $0.contains("Gone0000Request1.tfstate") },
            "\(lines)")
    }
}
