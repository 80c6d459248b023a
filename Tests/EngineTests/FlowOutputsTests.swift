import Foundation
import Testing

@testable import Engine
@testable import Store

/// Flow `outputs` and a task's `logLevel`.
@Suite("Flow outputs and log levels")
struct FlowOutputsTests {
    @Test("outputs are rendered when the tasks are done, typed as declared")
    func rendered() throws {
        let fixture = try TimedFixture()
        let execution = try fixture.start(
            """
            tasks:
              - {id: ip, type: io.kestra.plugin.core.debug.Return, format: "203.0.113.7"}
            outputs:
              - {id: address, type: STRING, value: "{{ outputs.ip.value }}"}
              - {id: port, type: INT, value: "{{ 20 + 2 }}"}
              - {id: ready, type: BOOLEAN, value: "{{ tasks.ip.state == 'SUCCESS' }}"}
            """)
        #expect(execution.state == "SUCCESS")
        #expect(execution.outputs == #"{"address":"203.0.113.7","port":22,"ready":true}"#)
    }

    @Test("an output that cannot be rendered or has the wrong type fails the execution, naming it")
    func failing() throws {
        let fixture = try TimedFixture()
        let missing = try fixture.start(
            """
            tasks:
              - {id: a, type: io.kestra.plugin.core.log.Log, message: a}
            outputs:
              - {id: address, type: STRING, value: "{{ outputs.nope.value }}"}
            """)
        #expect(missing.state == "FAILED")
        #expect(missing.error?.hasPrefix("Failed to render output `address`: Unable to find `outputs.nope`") == true)
        let wrong = try fixture.start(
            """
            tasks:
              - {id: a, type: io.kestra.plugin.core.log.Log, message: a}
            outputs:
              - {id: port, type: INT, value: "twenty"}
            """, id: "wrong")
        #expect(wrong.state == "FAILED")
        #expect(wrong.error == "Invalid output `port`: expected INT but got `twenty`")
    }

    @Test("logLevel keeps only lines at or above it")
    func logLevel() throws {
        let fixture = try TimedFixture()
        let execution = try fixture.start(
            """
            tasks:
              - {id: quiet, type: io.kestra.plugin.core.log.Log, level: DEBUG, message: hidden, logLevel: INFO}
              - {id: loud, type: io.kestra.plugin.core.log.Log, level: WARN, message: shown, logLevel: INFO}
              - {id: chatty, type: io.kestra.plugin.core.log.Log, level: DEBUG, message: kept}
            """)
        #expect(try fixture.lines(execution) == ["shown", "kept"])
    }
}
