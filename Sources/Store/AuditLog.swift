import Foundation
import GRDB

/// What to select audit events by; nil fields do not filter.
package struct AuditFilter: Sendable, Equatable {
    package var actor: String?
    /// Actions starting with this text: `auth.` for every sign-in and sign-out, `execution.created` for one action.
    package var actionPrefix: String?
    package var executionId: String?
    /// One exact action; the page's queries use it for each action a prefix matches.
    var action: String?
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
        if let action { request = request.filter(Column("action") == action) }
        if let executionId { request = request.filter(Column("executionId") == executionId) }
        // `+at`: checked on each row, never a reason to read the `at` index and sort; the page bounds dates by sequence.
        if let from { request = request.filter(sql: "+at >= ?", arguments: [from]) }
        if let until { request = request.filter(sql: "+at < ?", arguments: [until]) }
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
            if let since {
                guard let first = try Self.firstAuditSequence(atOrAfter: since, db) else { return [] }
                request = AuditEvent.filter(Column("sequence") > max(sequence, first - 1))
            }
            return try request.order(Column("sequence")).limit(limit).fetchAll(db)
        }
    }

    /// Events matching `filter`, newest first, older than the sequence number `before` when given (keyset paging).
    ///
    /// Each query walks the primary key or an index in sequence order and stops after `limit` rows, whatever the size of
    /// the log: a date range becomes a range of sequence numbers (event times never go backwards), and an action prefix
    /// one query per action it matches (`action = ?` reads the action index in sequence order, where a range of actions
    /// would sort every match), merged here.
    package func auditEvents(matching filter: AuditFilter, before: Int64? = nil, limit: Int = 50) throws -> [AuditEvent] {
        try writer.read { db in
            var upper = before
            var lower: Int64?
            if let from = filter.from {
                guard let first = try Self.firstAuditSequence(atOrAfter: from, db) else { return [] }
                lower = first
            }
            if let until = filter.until, let end = try Self.firstAuditSequence(atOrAfter: until, db) {
                upper = min(upper ?? end, end)
            }
            var filters = [filter]
            if let prefix = filter.actionPrefix, !prefix.isEmpty, let actions = try Self.auditActions(startingWith: prefix, db) {
                filters = actions.map { action in
                    var exact = filter
                    exact.actionPrefix = nil
                    exact.action = action
                    return exact
                }
            }
            var events: [AuditEvent] = []
            for exact in filters {
                var request = exact.apply(AuditEvent.all())
                if let lower { request = request.filter(Column("sequence") >= lower) }
                if let upper { request = request.filter(Column("sequence") < upper) }
                events += try request.order(Column("sequence").desc).limit(limit).fetchAll(db)
            }
            return Array(events.sorted { ($0.sequence ?? 0) > ($1.sequence ?? 0) }.prefix(limit))
        }
    }

    /// The first event at or after `date`, by one seek in the `at` index; nil when there is none.
    private static func firstAuditSequence(atOrAfter date: Date, _ db: Database) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT sequence FROM auditEvent WHERE at >= ? ORDER BY at, sequence LIMIT 1", arguments: [date])
    }

    /// The distinct actions starting with `prefix`, one index seek each; nil when there are too many to query one by one.
    private static func auditActions(startingWith prefix: String, _ db: Database) throws -> [String]? {
        var actions: [String] = []
        var sql = "SELECT MIN(action) FROM auditEvent WHERE action >= ? AND action < ?"
        var last = prefix
        while let action = try String.fetchOne(db, sql: sql, arguments: [last, prefix + "\u{10FFFF}"]) {
            guard actions.count < 32 else { return nil }
            actions.append(action)
            last = action
            sql = "SELECT MIN(action) FROM auditEvent WHERE action > ? AND action < ?"
        }
        return actions
    }

    /// Records that `gatehouse serve` started with this configuration; `details` must never hold a secret's value.
    package func recordConfigurationLoaded(by actor: String, details: [String: String], at date: Date = Date()) throws {
        try writer.write { db in
            _ = try Self.appendAuditEvent(db, actor: actor, action: "config.loaded", details: details, at: date)
        }
    }
}
