import Dispatch
import Foundation

/// Parallel `concurrent` and ForEach `concurrencyLimit`: branches run on their own threads, but the driver's state
/// (the task runs it knows, outputs, decisions) is only touched while holding `walkLock`. A branch lets go of it while
/// its task does the actual work (a process, a request, a sleep), which is where the time goes, so the walking stays
/// simple, sequential code and the work overlaps.
extension ExecutionDriver {
    /// At most this many branches of one flowable run at once, also when the flow says 0 ("no limit").
    static let concurrencyCap = 16

    /// Runs `count` branches, up to `limit` at once (0: no limit), and returns their outcomes in branch order; nil for
    /// branches not started because an earlier one stopped (paused, failed, killed) and `stopsOthers` said so.
    /// Must be called holding `walkLock`, and returns holding it.
    func branches(
        _ count: Int, limit: Int, stopsOthers: @escaping @Sendable (RunOutcome) -> Bool,
        _ branch: @escaping @Sendable (Int) throws -> RunOutcome
    ) throws -> [RunOutcome?] {
        let width = min(limit == 0 ? Self.concurrencyCap : limit, Self.concurrencyCap)
        guard width > 1, count > 1 else {
            var outcomes: [RunOutcome?] = Array(repeating: nil, count: count)
            for index in 0..<count {
                let outcome = try branch(index)
                outcomes[index] = outcome
                if stopsOthers(outcome) { break }
            }
            return outcomes
        }
        let shared = BranchResults(count: count)
        let slots = DispatchSemaphore(value: width)
        let group = DispatchGroup()
        let lock = walkLock
        lock.unlock()
        for index in 0..<count {
            slots.wait()
            if lock.withLock({ shared.stopped }) {
                slots.signal()
                break
            }
            group.enter()
            DedicatedThread.start(name: "gatehouse branch") {
                defer {
                    slots.signal()
                    group.leave()
                }
                lock.lock()
                defer { lock.unlock() }
                do {
                    let outcome = try branch(index)
                    shared.outcomes[index] = outcome
                    if stopsOthers(outcome) { shared.stopped = true }
                } catch {
                    shared.error = shared.error ?? error
                    shared.stopped = true
                }
            }
        }
        group.wait()
        lock.lock()
        if let error = shared.error { throw error }
        return shared.outcomes
    }

    /// Does `work` without holding `walkLock`, so other branches can walk meanwhile. `work` must not touch the
    /// driver's state.
    func withoutWalkLock<T>(_ work: () throws -> T) rethrows -> T {
        walkLock.unlock()
        defer { walkLock.lock() }
        return try work()
    }
}

/// What the branches of one flowable report; read and written only under the driver's `walkLock`.
private final class BranchResults: @unchecked Sendable {
    var outcomes: [RunOutcome?]
    var stopped = false
    var error: (any Error)?

    init(count: Int) { outcomes = Array(repeating: nil, count: count) }
}
