import Foundation
import Testing

@testable import Engine
@testable import Store

/// Kestra 2.0's Loop (KESTRA.md §5.3): every task nested in an iteration sees `item.value` and `item.index`.
@Suite("Loop")
struct LoopTests {
    static let log = "type: io.kestra.plugin.core.log.Log"

    @Test("item.value and item.index reach the iteration's tasks, nested ones and an inner Loop's own")
    func itemVariables() throws {
        let fixture = try FlowRunnerTests.Fixture()
        let execution = try fixture.start(
            """
            tasks:
              - id: outer
                type: io.kestra.plugin.core.flow.Loop
                values: [a, b]
                tasks:
                  - {id: direct, \(Self.log), message: "{{ item.index }}={{ item.value }}"}
                  - id: branch
                    type: io.kestra.plugin.core.flow.If
                    condition: "{{ item.value == 'b' }}"
                    then:
                      - {id: nested, \(Self.log), message: "nested {{ item.value }}"}
                  - id: inner
                    type: io.kestra.plugin.core.flow.Loop
                    values: '["x"]'
                    tasks:
                      - {id: innermost, \(Self.log), message: "inner {{ item.index }}={{ item.value }}"}
            """
        )
        #expect(execution.state == "SUCCESS", "\(execution.error ?? "")")
        #expect(try fixture.lines(execution) == ["0=a", "inner 0=x", "1=b", "nested b", "inner 0=x"])
    }

    @Test("the Loop fixture flow runs to SUCCESS")
    func fixtureFlow() throws {
        let fixture = try FlowRunnerTests.Fixture()
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../FlowModelTests/Fixtures/valid/14-loop-2x.yaml")
        let execution = try fixture.runner.start(
            flowSource: try String(contentsOf: url, encoding: .utf8), file: "14-loop-2x.yaml", inputs: [:], requester: "alice")
        #expect(execution.state == "SUCCESS", "\(execution.error ?? "")")
        let lines = try fixture.lines(execution)
        for expected in ["#0: fsn1", "#2: hel1", "Stage ALPHA", "Stage BETA", "checking db-01"] {
            #expect(lines.contains(expected), "\(lines)")
        }
    }
}
