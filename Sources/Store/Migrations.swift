import GRDB

/// The schema, as named, append-only migrations: never edit one that has shipped; add the next.
extension GatehouseDatabase {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-core", migrate: createCoreSchema)
        migrator.registerMigration("v2-leases-retries-schedules", migrate: addLeasesRetriesSchedules)
        migrator.registerMigration("v3-audit-append-only", migrate: guardAuditLog)
        migrator.registerMigration("v4-history-indexes", migrate: addHistoryIndexes)
        migrator.registerMigration("v5-approval-votes", migrate: addApprovalVotes)
        migrator.registerMigration("v6-user-groups", migrate: addUserGroups)
        return migrator
    }

    /// ARCHITECTURE.md's data model. JSON columns hold documents the engine reads whole (inputs, outputs, histories).
    static func createCoreSchema(_ db: Database) throws {
        try db.create(table: "flowRevision") { table in
            table.column("namespace", .text).notNull()
            table.column("flowId", .text).notNull()
            table.column("revision", .integer).notNull()
            table.column("source", .text).notNull()
            table.column("sourceSHA256", .text).notNull()
            table.column("deployedBy", .text).notNull()
            table.column("deployedAt", .datetime).notNull()
            table.primaryKey(["namespace", "flowId", "revision"])
        }

        try db.create(table: "execution") { table in
            table.primaryKey("id", .text)
            table.column("namespace", .text).notNull()
            table.column("flowId", .text).notNull()
            table.column("flowRevision", .integer).notNull()
            table.column("state", .text).notNull().indexed()
            table.column("inputs", .jsonText).notNull()
            table.column("outputs", .jsonText)
            table.column("labels", .jsonText).notNull()
            table.column("variables", .jsonText)
            table.column("requester", .text).notNull().indexed()
            table.column("trigger", .jsonText)
            table.column("histories", .jsonText).notNull()
            table.column("parentId", .text).references("execution", onDelete: .restrict)
            table.column("createdAt", .datetime).notNull().indexed()
            table.column("endedAt", .datetime)
            table.column("error", .text)
        }
        try db.create(index: "execution_on_flow", on: "execution", columns: ["namespace", "flowId", "createdAt"])

        try db.create(table: "taskRun") { table in
            table.primaryKey("id", .text)
            table.column("executionId", .text).notNull().indexed().references("execution", onDelete: .cascade)
            table.column("taskId", .text).notNull()
            table.column("parentTaskRunId", .text).references("taskRun", onDelete: .cascade)
            table.column("value", .text)
            table.column("iteration", .integer)
            table.column("state", .text).notNull()
            table.column("histories", .jsonText).notNull()
            table.column("outputs", .jsonText)
            table.column("attemptCount", .integer).notNull().defaults(to: 0)
            table.column("createdAt", .datetime).notNull()
            table.column("endedAt", .datetime)
        }

        try db.create(table: "attempt") { table in
            table.column("taskRunId", .text).notNull().references("taskRun", onDelete: .cascade)
            table.column("number", .integer).notNull()
            table.column("state", .text).notNull()
            table.column("startedAt", .datetime).notNull()
            table.column("endedAt", .datetime)
            table.column("exitCode", .integer)
            table.column("workerId", .text)
            table.primaryKey(["taskRunId", "number"])
        }

        // Log lines are stored already masked; secrets never reach this table.
        try db.create(table: "logLine") { table in
            table.autoIncrementedPrimaryKey("id")
            table.column("executionId", .text).notNull().references("execution", onDelete: .cascade)
            table.column("taskRunId", .text).references("taskRun", onDelete: .cascade)
            table.column("attempt", .integer)
            table.column("timestamp", .datetime).notNull()
            table.column("level", .text).notNull()
            table.column("line", .text).notNull()
        }
        try db.create(index: "logLine_on_execution", on: "logLine", columns: ["executionId", "id"])

        try db.create(table: "approval") { table in
            table.autoIncrementedPrimaryKey("id")
            table.column("executionId", .text).notNull().indexed().references("execution", onDelete: .cascade)
            table.column("taskRunId", .text).notNull().references("taskRun", onDelete: .cascade)
            table.column("decision", .text).notNull()
            table.column("decidedBy", .text).notNull()
            table.column("comment", .text)
            table.column("inputs", .jsonText)
            table.column("planSHA256", .text)
            table.column("decidedAt", .datetime).notNull()
        }

        // Work to do, now or later: task runs to execute, executions to advance, timers (pauses, timeouts, retry
        // back-off, schedules). Persisted so that nothing is held only in memory.
        try db.create(table: "workItem") { table in
            table.autoIncrementedPrimaryKey("id")
            table.column("kind", .text).notNull()
            table.column("executionId", .text).references("execution", onDelete: .cascade)
            table.column("taskRunId", .text).references("taskRun", onDelete: .cascade)
            table.column("payload", .jsonText)
            table.column("dueAt", .datetime).notNull()
            table.column("claimedBy", .text)
            table.column("claimedAt", .datetime)
        }
        try db.create(index: "workItem_due", on: "workItem", columns: ["claimedBy", "dueAt"])

        // Append-only: each row carries the SHA-256 of the previous one, so an edit or a deletion breaks the chain.
        try db.create(table: "auditEvent") { table in
            table.autoIncrementedPrimaryKey("sequence")
            table.column("at", .datetime).notNull()
            table.column("actor", .text).notNull()
            table.column("action", .text).notNull()
            table.column("executionId", .text).indexed()
            table.column("details", .jsonText).notNull()
            table.column("previousHash", .text).notNull()
            table.column("hash", .text).notNull().unique()
        }
        try db.execute(
            sql: """
                CREATE TRIGGER auditEvent_no_update BEFORE UPDATE ON auditEvent
                BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
                CREATE TRIGGER auditEvent_no_delete BEFORE DELETE ON auditEvent
                BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
                """)

        try db.create(table: "user") { table in
            table.primaryKey("name", .text)
            table.column("email", .text)
            table.column("roles", .jsonText).notNull()
            table.column("passwordHash", .text)
            table.column("createdAt", .datetime).notNull()
            table.column("disabled", .boolean).notNull().defaults(to: false)
        }
        try db.create(table: "session") { table in
            table.primaryKey("tokenSHA256", .text)
            table.column("userName", .text).notNull().references("user", onDelete: .cascade)
            table.column("createdAt", .datetime).notNull()
            table.column("expiresAt", .datetime).notNull()
        }
        // Only hashes of API tokens are stored.
        try db.create(table: "apiToken") { table in
            table.primaryKey("tokenSHA256", .text)
            table.column("userName", .text).notNull().references("user", onDelete: .cascade)
            table.column("name", .text).notNull()
            table.column("createdAt", .datetime).notNull()
            table.column("lastUsedAt", .datetime)
            table.column("revokedAt", .datetime)
        }
    }

    /// Who is driving an execution (a lease a crashed process cannot hold forever), when a failed attempt's retry is
    /// due, and the last time each Schedule trigger fired, so a restart never fires one twice.
    static func addLeasesRetriesSchedules(_ db: Database) throws {
        try db.alter(table: "execution") { table in
            table.add(column: "ownerId", .text)
            table.add(column: "leaseExpiresAt", .datetime)
        }
        try db.alter(table: "attempt") { table in
            table.add(column: "nextAttemptAt", .datetime)
        }
        try db.create(index: "workItem_on_taskRun", on: "workItem", columns: ["taskRunId"])
        try db.create(table: "scheduleState") { table in
            table.column("namespace", .text).notNull()
            table.column("flowId", .text).notNull()
            table.column("triggerId", .text).notNull()
            table.column("lastFiredFor", .datetime).notNull()
            table.primaryKey(["namespace", "flowId", "triggerId"])
        }
    }

    /// The audit page's filters (actor, action prefix, date range) get indexes, and the append-only triggers are
    /// installed again: v1 created them, but a database whose triggers were dropped by hand gets them back.
    static func guardAuditLog(_ db: Database) throws {
        try installAuditTriggers(db)
        try db.create(index: "auditEvent_on_actor", on: "auditEvent", columns: ["actor"])
        try db.create(index: "auditEvent_on_action", on: "auditEvent", columns: ["action"])
        try db.create(index: "auditEvent_on_at", on: "auditEvent", columns: ["at"])
    }

    /// Makes the database itself refuse to change or remove an audit event, whoever asks.
    static func installAuditTriggers(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TRIGGER IF NOT EXISTS auditEvent_no_update BEFORE UPDATE ON auditEvent
                BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
                CREATE TRIGGER IF NOT EXISTS auditEvent_no_delete BEFORE DELETE ON auditEvent
                BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
                """)
    }

    /// The history's orders as indexes: each filter an index serves, followed by (createdAt, id), so a filtered page
    /// is one index range already in order (docs/decisions.md, "History"). They replace v1's single-column ones, which
    /// are their prefixes, so every query that used those still has an index, and a write updates one index more than before.
    static func addHistoryIndexes(_ db: Database) throws {
        for old in ["execution_on_createdAt", "execution_on_state", "execution_on_requester", "execution_on_flow"] {
            try db.drop(index: old)
        }
        try db.create(index: "execution_by_created", on: "execution", columns: ["createdAt", "id"])
        try db.create(index: "execution_by_namespace", on: "execution", columns: ["namespace", "createdAt", "id"])
        try db.create(index: "execution_by_flow", on: "execution", columns: ["namespace", "flowId", "createdAt", "id"])
        try db.create(index: "execution_by_state", on: "execution", columns: ["state", "createdAt", "id"])
        try db.create(index: "execution_by_requester", on: "execution", columns: ["requester", "createdAt", "id"])
        try db.create(index: "approval_by_decider", on: "approval", columns: ["decidedBy", "executionId"])
    }
}
