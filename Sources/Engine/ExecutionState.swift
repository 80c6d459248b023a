/// The state of an execution or a task run, spelled as Kestra's `State.Type` so stored rows and API payloads match Kestra.
///
/// The raw values are Kestra's upper-case names; see KESTRA.md §4.1 for the source of the groupings and transitions.
package enum ExecutionState: String, Sendable, Codable, CaseIterable {
    case created = "CREATED"
    case running = "RUNNING"
    case paused = "PAUSED"
    case restarted = "RESTARTED"
    case killing = "KILLING"
    case success = "SUCCESS"
    case warning = "WARNING"
    case failed = "FAILED"
    case killed = "KILLED"
    case cancelled = "CANCELLED"
    case queued = "QUEUED"
    case retrying = "RETRYING"
    case retried = "RETRIED"
    case skipped = "SKIPPED"

    /// Whether the state is final: nothing runs any more (Kestra's `isTerminated`).
    package var isTerminated: Bool {
        switch self {
        case .failed, .warning, .success, .killed, .cancelled, .retried, .skipped:
            true
        case .created, .running, .paused, .restarted, .killing, .queued, .retrying:
            false
        }
    }

    /// Whether the state waits for its first (or next) start: CREATED and RESTARTED (Kestra's `isCreated`).
    package var isCreated: Bool {
        self == .created || self == .restarted
    }

    /// Whether work is in progress: RUNNING and KILLING (Kestra's `isRunning`); PAUSED and RETRYING are neither running nor terminated.
    package var isRunning: Bool {
        self == .running || self == .killing
    }

    /// The states this state may move to, following Kestra's documented state diagram.
    package var successors: Set<ExecutionState> {
        switch self {
        case .created: [.queued, .running, .cancelled]
        case .queued: [.running]
        case .running: [.success, .warning, .failed, .paused, .killing]
        case .paused: [.running, .killing]
        case .failed: [.retrying, .retried, .restarted]
        case .retrying: [.success, .failed]
        case .restarted: [.running]
        case .killing: [.killed]
        case .success, .warning, .killed, .cancelled, .retried, .skipped: []
        }
    }

    /// Whether moving from this state to `next` is a documented transition; staying in the same state is a no-op, not a transition.
    package func canTransition(to next: ExecutionState) -> Bool {
        successors.contains(next)
    }
}
