import Foundation
import Notify
import Synchronization

extension AttemptContext {
    /// Runs async work (an HTTP request, an SMTP session) from the attempt's thread and blocks that thread until the work
    /// ends. The work runs on ``OutboundIOExecutor``'s threads, never on the cooperative pool, so blocking even a
    /// cooperative thread here (a test, an embedding caller) cannot starve the work it waits for. A kill of the execution or the task's `timeout`
    /// cancels the work at once and marks `result` killed or failed; the value is returned only on success, and an
    /// error of the work becomes the task's failure.
    func runBlocking<Value: Sendable>(_ result: inout TaskResult, _ work: @escaping @Sendable () async throws -> Value) -> Value? {
        let outcome = Mutex<Result<Value, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        let running = _Concurrency.Task(executorPreference: OutboundIOExecutor.shared) {
            let value: Result<Value, any Error>
            do { value = .success(try await work()) } catch { value = .failure(error) }
            outcome.withLock { $0 = value }
            done.signal()
        }
        while done.wait(timeout: .now() + .milliseconds(50)) == .timedOut {
            let killed = isKilled()
            guard killed || timedOut else { continue }
            running.cancel()
            // Give the work a moment to close its connection; the attempt ends either way.
            _ = done.wait(timeout: .now() + .seconds(2))
            if killed { result.killed = true } else { result.failed = "Timeout after \(timeout ?? "")" }
            return nil
        }
        switch outcome.withLock({ $0 }) {
        case .success(let value)?:
            return value
        case .failure(let error)?:
            result.failed = "\(error)"
            return nil
        case nil:
            result.failed = "the task ended without a result"
            return nil
        }
    }
}
