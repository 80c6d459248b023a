import Engine
import Foundation

/// The navigation's Approvals link and its count of executions waiting for the signed-in user's decision. The link is
/// for approvers and for anyone a deployed flow's approval policy names (``ApprovalAccess/isApprover``). Counting
/// means reading each paused execution's flow policy, so a count is reused for a few seconds rather than recomputed on
/// every page, and nobody else's is counted.
final class ApprovalBadge: @unchecked Sendable {
    private let runner: FlowRunner
    private let catalog: FlowCatalog
    private let lock = NSLock()
    private var counts: [String: (count: Int, at: Date)] = [:]
    static let freshness: TimeInterval = 5

    init(runner: FlowRunner, catalog: FlowCatalog) {
        self.runner = runner
        self.catalog = catalog
    }

    /// Whether the navigation links the inbox for this user.
    func showsInbox(for user: SignedInUser) -> Bool { ApprovalAccess.isApprover(user, catalog: catalog, runner: runner) }

    func count(for user: SignedInUser) -> Int {
        guard showsInbox(for: user) else { return 0 }
        let now = Date()
        if let cached = lock.withLock({ counts[user.name] }), now.timeIntervalSince(cached.at) < Self.freshness { return cached.count }
        let count = (try? ApprovalRoutes.awaiting(user, runner: runner).count) ?? 0
        lock.withLock {
            if counts.count > 10_000 { counts.removeAll() }
            counts[user.name] = (count, now)
        }
        return count
    }

    /// Forgets the counts after a decision, so the deciding approver sees the change at once.
    func reset() { lock.withLock { counts.removeAll() } }
}
