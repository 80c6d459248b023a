import Foundation
import Notify
import Pebble
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

    /// Kestra's `envs`: the server's `ENV_*` variables by their lower-case name after the prefix (`ENV_TEAM` is
    /// `envs.team`). `envs.gatehouse_data` is the data directory's absolute path unless `ENV_GATEHOUSE_DATA` says
    /// otherwise, so flows can keep per-VM Terraform state there and still run on Kestra with that variable set.
    package var envs: PebbleMap {
        var envs = PebbleMap([("gatehouse_data", .string(dataDirectory.root.path))])
        for (name, value) in environment.sorted(by: { $0.key < $1.key }) where name.hasPrefix("ENV_") && name.count > 4 {
            envs[String(name.dropFirst(4)).lowercased()] = .string(value)
        }
        return envs
    }

    /// Where this Gatehouse's pages are (`GATEHOUSE_BASE_URL`, else `http://localhost:8080`), without a trailing slash.
    package static func baseURL(_ environment: [String: String]) -> String {
        let base = environment["GATEHOUSE_BASE_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? ExecutionSummary.defaultBaseURL
        return String(base.reversed().drop { $0 == "/" }.reversed())
    }

    /// Kestra's `kestra` variables: `kestra.url` is where this Gatehouse is reached, with the trailing slash Kestra's
    /// `kestra.url` setting has, so a flow's `{{ kestra.url }}ui/executions/…` link works unchanged (the portal
    /// redirects Kestra's UI paths to its own pages); `kestra.environment` is `GATEHOUSE_ENVIRONMENT`, if set.
    package var kestra: PebbleMap {
        var kestra = PebbleMap([("url", .string(Self.baseURL(environment) + "/"))])
        if let name = environment["GATEHOUSE_ENVIRONMENT"], !name.isEmpty { kestra["environment"] = .string(name) }
        return kestra
    }
}
