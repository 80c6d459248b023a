import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The single door to Gatehouse's SQLite database: the schema is migrated when it opens, and every write is a method
/// named for what it means. All SQL lives in this module.
package struct GatehouseDatabase: Sendable {
    package let writer: any DatabaseWriter
    /// The database file.
    package let path: String

    /// Opens (creating if needed) the database file in WAL mode with foreign keys on, and migrates it.
    package init(path: String) throws {
        self.path = path
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        // Writers wait for each other instead of failing with SQLITE_BUSY; 10 s covers a long `terraform apply` write.
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        // GRDB's migrator reads which migrations are applied outside its transactions, so two processes opening a new
        // file at once would both run them; a lock file beside the database makes them take turns. Opening the pool
        // (which switches the file to WAL) happens under the lock too, so it never waits on another's migration.
        writer = try Self.withFileLock(path + ".migrate-lock") {
            let pool = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(pool)
            // Someone with the file can drop the append-only triggers; the product never runs without them.
            try pool.write { db in try Self.installAuditTriggers(db) }
            return pool
        }
    }

    private static func withFileLock<T>(_ lockPath: String, _ body: () throws -> T) throws -> T {
        let descriptor = open(lockPath, O_CREAT | O_RDWR, 0o600)
        guard descriptor >= 0 else { return try body() }  // a read-only directory: nothing else can migrate it either
        defer { close(descriptor) }
        flock(descriptor, LOCK_EX)
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }

    /// Opens the database of a data directory (`gatehouse.sqlite` inside it).
    package init(directory: DataDirectory) throws {
        try directory.prepare()
        try self.init(path: directory.databaseFile.path)
    }

    /// Names of the applied migrations, oldest first.
    package func appliedMigrations() throws -> [String] {
        try writer.read { db in try Self.migrator.appliedMigrations(db) }
    }
}
