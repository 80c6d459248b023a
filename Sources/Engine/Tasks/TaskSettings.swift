import Foundation
import Store

/// What tasks that touch the world need from the server: where to keep working directories and stored files, and the
/// server's environment, from which each task family reads its own `GATEHOUSE_*` settings.
package struct TaskSettings: Sendable {
    package var dataDirectory: DataDirectory
    /// The server's environment. Tasks read their settings from it; child processes never inherit it whole.
    package var environment: [String: String]

    package init(dataDirectory: DataDirectory, environment: [String: String]) {
        self.dataDirectory = dataDirectory
        self.environment = environment
    }

    /// The data directory the database lives in, with the process's environment.
    package init(database: GatehouseDatabase, environment: [String: String] = ProcessInfo.processInfo.environment) {
        let folder = URL(fileURLWithPath: database.path).deletingLastPathComponent().path
        self.init(dataDirectory: DataDirectory(path: folder), environment: environment)
    }
}
