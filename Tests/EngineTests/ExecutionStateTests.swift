import Engine
import Foundation
import Testing

@Suite("Execution states")
struct ExecutionStateTests {
    @Test("Raw values are Kestra's names, in Kestra's order")
    func rawValues() {
        #expect(
            ExecutionState.allCases.map(\.rawValue) == [
                "CREATED", "RUNNING", "PAUSED", "RESTARTED", "KILLING", "SUCCESS", "WARNING",
                "FAILED", "KILLED", "CANCELLED", "QUEUED", "RETRYING", "RETRIED", "SKIPPED",
            ]
        )
    }

    @Test(
        "Groupings follow Kestra's State.Type",
        arguments: [
            // state, isTerminated, isCreated, isRunning
            (ExecutionState.created, false, true, false),
            (.running, false, false, true),
            (.paused, false, false, false),
            (.restarted, false, true, false),
            (.killing, false, false, true),
            (.success, true, false, false),
            (.warning, true, false, false),
            (.failed, true, false, false),
            (.killed, true, false, false),
            (.cancelled, true, false, false),
            (.queued, false, false, false),
            (.retrying, false, false, false),
            (.retried, true, false, false),
            (.skipped, true, false, false),
        ]
    )
    func groupings(state: ExecutionState, isTerminated: Bool, isCreated: Bool, isRunning: Bool) {
        #expect(state.isTerminated == isTerminated)
        #expect(state.isCreated == isCreated)
        #expect(state.isRunning == isRunning)
    }

    /// The documented state diagram, written out independently of the implementation.
    static let documentedTransitions: [ExecutionState: Set<ExecutionState>] = [
        .created: [.queued, .running, .cancelled],
        .queued: [.running],
        .running: [.success, .warning, .failed, .paused, .killing],
        .paused: [.running, .killing],
        .failed: [.retrying, .retried, .restarted],
        .retrying: [.success, .failed],
        .restarted: [.running],
        .killing: [.killed],
    ]

    @Test("Every pair of states is allowed exactly when the diagram has the edge", arguments: ExecutionState.allCases)
    func transitions(from state: ExecutionState) {
        let allowed = Self.documentedTransitions[state, default: []]
        for next in ExecutionState.allCases {
            #expect(state.canTransition(to: next) == allowed.contains(next), "\(state) → \(next)")
        }
    }

    @Test("No state transitions to itself")
    func noSelfTransitions() {
        for state in ExecutionState.allCases {
            #expect(!state.canTransition(to: state))
        }
    }

    @Test("Final states other than FAILED have no way out; FAILED can only be retried or restarted")
    func terminalStatesAreFinal() {
        for state in ExecutionState.allCases where state.isTerminated && state != .failed {
            #expect(state.successors.isEmpty, "\(state)")
        }
        #expect(ExecutionState.failed.successors == [.retrying, .retried, .restarted])
    }

    @Test("Encodes as Kestra's string and rejects unknown names")
    func codable() throws {
        let data = try JSONEncoder().encode([ExecutionState.paused, .success])
        #expect(String(decoding: data, as: UTF8.self) == #"["PAUSED","SUCCESS"]"#)
        #expect(try JSONDecoder().decode([ExecutionState].self, from: Data(#"["KILLING"]"#.utf8)) == [.killing])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([ExecutionState].self, from: Data(#"["RESUMED"]"#.utf8))
        }
    }
}
