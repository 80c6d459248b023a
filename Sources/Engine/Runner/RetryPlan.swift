import FlowModel
import Foundation

/// When a failed task runs again under Kestra's retry policies (KESTRA.md §5.1): `maxAttempts` counts every attempt
/// including the first; `maxDuration` bounds the time from the first attempt's start to the next attempt's start.
struct RetryPlan {
    let policy: RetryPolicy
    /// Resolves a duration that may be an expression.
    let duration: (DurationValue) throws -> ISODuration
    /// A number in 0..<1 for the random policy; injected so tests can pin it.
    let random: () -> Double

    /// Kestra builds a Failsafe policy, whose default is 3 attempts when neither `maxAttempts` nor `maxDuration` is set.
    static let defaultMaxAttempts = 3

    /// When attempt `attempts + 1` may start, or nil when the policy gives up.
    func nextAttempt(after attempts: Int, firstStartedAt: Date, failedAt: Date) throws -> Date? {
        let limit = policy.maxAttempts ?? (policy.maxDuration == nil ? Self.defaultMaxAttempts : Int.max)
        guard attempts < limit else { return nil }
        let next = failedAt.addingTimeInterval(try delay(after: attempts))
        if let maxDuration = policy.maxDuration {
            let allowed = try duration(maxDuration).totalSeconds
            if next.timeIntervalSince(firstStartedAt) > allowed { return nil }
        }
        return next
    }

    /// The back-off after the `attempts`-th failure, in seconds.
    func delay(after attempts: Int) throws -> TimeInterval {
        func seconds(_ value: DurationValue?) throws -> TimeInterval? { try value.map { try duration($0).totalSeconds } }
        switch policy.kind {
        case .constant:
            return try seconds(policy.interval) ?? 0
        case .exponential:
            let base = try seconds(policy.interval) ?? 0
            let grown = base * pow(policy.delayFactor ?? 2, Double(max(0, attempts - 1)))
            return min(grown, try seconds(policy.maxInterval) ?? .infinity)
        case .random:
            let low = try seconds(policy.minInterval) ?? 0
            let high = max(low, try seconds(policy.maxInterval) ?? low)
            return low + (high - low) * random()
        }
    }
}
