import Foundation

/// Slows down password guessing: after `limit` failed sign-ins for one user name, or from one address, within
/// `window`, further attempts are refused until the oldest of those failures is `window` old. Kept in memory: a
/// restart forgets it, which costs an attacker a restart per five guesses.
final class SignInThrottle: @unchecked Sendable {
    let limit: Int
    let window: TimeInterval
    private let lock = NSLock()
    private var failures: [String: [Date]] = [:]

    init(limit: Int = 5, window: TimeInterval = 15 * 60) {
        self.limit = limit
        self.window = window
    }

    /// When the name or address may try again, or nil when it may now.
    func blockedUntil(name: String, address: String?, now: Date) -> Date? {
        lock.withLock {
            keys(name, address).compactMap { key -> Date? in
                let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
                failures[key] = recent
                return recent.count >= limit ? recent.first.map { $0.addingTimeInterval(window) } : nil
            }.max()
        }
    }

    func recordFailure(name: String, address: String?, at date: Date) {
        lock.withLock {
            for key in keys(name, address) { failures[key, default: []].append(date) }
        }
    }

    func recordSuccess(name: String) {
        _ = lock.withLock { failures.removeValue(forKey: "user:" + name.lowercased()) }
    }

    private func keys(_ name: String, _ address: String?) -> [String] {
        ["user:" + name.lowercased()] + (address.map { ["address:" + $0] } ?? [])
    }
}
