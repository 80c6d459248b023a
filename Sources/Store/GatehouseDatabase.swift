import Foundation
import GRDB

/// The single door to Gatehouse's SQLite database: the schema is migrated when it opens, and every write is a method
/// named for what it means. All SQL lives in this module.
package struct GatehouseDatabase: Sendable {
    package let writer: any DatabaseWriter

    /// Opens (creating if needed) the database file in WAL mode with foreign keys on, and migrates it.
    package init(path: String) throws {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        // Writers wait for each other instead of failing with SQLITE_BUSY; 10 s covers a long `terraform apply` write.
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        writer = try DatabasePool(path: path, configuration: configuration)
        try Self.migrator.migrate(writer)
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
