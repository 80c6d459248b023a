import Foundation
import Synchronization

/// Sessions this server has looked up in the last few seconds, so a page view does not cost a database transaction
/// (it was a tenth of a page's time under load, BENCHMARKS.md). Sign-out here forgets the session at once; a change
/// made by another process (a user disabled from the command line, a session deleted) takes effect within `lifetime`.
final class SessionCache: Sendable {
    private struct Entry {
        let user: SignedInUser
        let sessionExpiresAt: Date
        let checkedAt: Date
    }

    private let entries = Mutex<[String: Entry]>([:])
    let lifetime: TimeInterval
    let capacity: Int

    init(lifetime: TimeInterval = 5, capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// The signed-in user of the session whose token has this SHA-256, if it was checked less than `lifetime` ago and
    /// has not expired since.
    func user(tokenSHA256: String, now: Date) -> SignedInUser? {
        entries.withLock { table in
            guard let entry = table[tokenSHA256] else { return nil }
            guard now < entry.sessionExpiresAt, now.timeIntervalSince(entry.checkedAt) < lifetime, now >= entry.checkedAt else {
                table[tokenSHA256] = nil
                return nil
            }
            return entry.user
        }
    }

    func remember(tokenSHA256: String, user: SignedInUser, sessionExpiresAt: Date, now: Date) {
        entries.withLock { table in
            if table.count >= capacity { table.removeAll(keepingCapacity: true) }
            table[tokenSHA256] = Entry(user: user, sessionExpiresAt: sessionExpiresAt, checkedAt: now)
        }
    }

    func forget(tokenSHA256: String) {
        _ = entries.withLock { $0.removeValue(forKey: tokenSHA256) }
    }
}
