import Foundation
import Notify

extension AttemptContext {
    /// Runs async work (an HTTP request, an SMTP session) from the attempt's thread and blocks that thread until the work
    /// ends. The work runs on ``OutboundIOExecutor``'s threads, never on the cooperative pool, so blocking even a
    /// cooperative thread here (a test, an embedding caller) cannot starve the work it waits for. A kill of the execution or the task's `timeout`
    /// cancels the work at once and marks `result` killed or failed; the value is returned only on success, and an
    /// error of the work becomes the task's failure.
    func runBlocking<Value: Sendable>(_ result: inout TaskResult, _ work: @escaping @Sendable () async throws -> Value) -> Value? {
        var killed = false
        let outcome = OutboundIOExecutor.wait(
            shouldStop: {
                killed = isKilled()
                return killed || timedOut
            }, work)
        switch outcome {
        case .success(let value)?:
            return value
        case .failure(let error)?:
            result.failed = "\(error)"
            return nil
        case nil:
            if killed { result.killed = true } else { result.failed = "Timeout after \(timeout ?? "")" }
            return nil
        }
    }
}
