import Dispatch
import Synchronization

/// A task executor on Dispatch threads, outside Swift's cooperative pool, for outbound I/O (HTTP, SMTP) started by a
/// thread that blocks while it waits: the engine's attempts block their worker thread, and if the work needed a
/// cooperative thread, callers blocking those would starve it.
package final class OutboundIOExecutor: TaskExecutor {
    package static let shared = OutboundIOExecutor()
    private let queue = DispatchQueue(label: "gatehouse.outbound-io", attributes: .concurrent)

    package func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}

extension OutboundIOExecutor {
    /// Runs `work` on the shared executor and blocks the calling thread until it ends, or until `shouldStop` (asked every
    /// 50 ms) says to give up: then the work is cancelled, gets a moment to close its connection, and nil is returned.
    package static func wait<Value: Sendable>(
        shouldStop: () -> Bool, _ work: @escaping @Sendable () async throws -> Value
    ) -> Result<Value, any Error>? {
        let outcome = Mutex<Result<Value, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        let running = _Concurrency.Task(executorPreference: shared) {
            let value: Result<Value, any Error>
            do { value = .success(try await work()) } catch { value = .failure(error) }
            outcome.withLock { $0 = value }
            done.signal()
        }
        while done.wait(timeout: .now() + .milliseconds(50)) == .timedOut {
            guard shouldStop() else { continue }
            running.cancel()
            _ = done.wait(timeout: .now() + .seconds(2))
            return nil
        }
        return outcome.withLock { $0 }
    }
}
