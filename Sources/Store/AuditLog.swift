import Foundation
import GRDB

/// What to select audit events by; nil fields do not filter.
package struct AuditFilter: Sendable, Equatable {
    package var actor: String?
    /// Actions starting with this text: `auth.` for every sign-in and sign-out, `execution.created` for one action.
    package var actionPrefix: String?
    package var executionId: String?
    /// Events at or after this time.
    package var from: Date?
    /// Events before this time.
    package var until: Date?

    package init(actor: String? = nil, actionPrefix: String? = nil, executionId: String? = nil, from: Date? = nil, until: Date? = nil) {
        self.actor = actor
        self.actionPrefix = actionPrefix
        self.executionId = executionId
        self.from = from
        self.until = until
    }

    func apply(_ request: QueryInterfaceRequest<AuditEvent>) -> QueryInterfaceRequest<AuditEvent> {
        var request = request
        if let actor { request = request.filter(Column("actor") == actor) }
        if let actionPrefix, !actionPrefix.isEmpty {
            // A range rather than LIKE: LIKE ignores case and treats `_` and `%` as wildcards; a range is exact and
            // can use the index on `action`.
            request = request.filter(Column("action") >= actionPrefix && Column("action") < actionPrefix + "\u{10FFFF}")
        }
        if let executionId { request = request.filter(Column("executionId") == executionId) }
        if let from { request = request.filter(Column("at") >= from) }
        if let until { request = request.filter(Column("at") < until) }
        return request
    }
}

/// Reading the audit log (the page, the export) and the events that record no other change.
extension GatehouseDatabase {
    /// Audit events in order, oldest first, after the sequence number `after`, optionally only those at or after
    /// `since`: one page of an export, which reads the whole log this way without holding it in memory.
    package func auditEvents(after sequence: Int64 = 0, since: Date? = nil, limit: Int = 1_000) throws -> [AuditEvent] {
        try writer.read { db in
            var request = AuditEvent.filter(Column("sequence") > sequence)
            if let since { request = request.filter(Column("at") >= since) }
            return try request.order(Column("sequence")).limit(limit).fetchAll(db)
        }
    }

    /// Events matching `filter`, newest first, older than the sequence number `before` when given (keyset paging).
    package func auditEvents(matching filter: AuditFilter, before: Int64? = nil, limit: Int = 50) throws -> [AuditEvent] {
        try writer.read { db in
            var request = filter.apply(AuditEvent.all())
            if let before { request = request.filter(Column("sequence") < before) }
            return try request.order(Column("sequence").desc).limit(limit).fetchAll(db)
        }
    }

    /// Records that `gatehouse serve` started with this configuration; `details` must never hold a secret's value.
    package func recordConfigurationLoaded(by actor: String, details: [String: String], at date: Date = Date()) throws {
        try writer.write { db in
            _ = try Self.appendAuditEvent(db, actor: actor, action: "config.loaded", details: details, at: date)
        }
    }
}
