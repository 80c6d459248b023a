import FlowModel

/// How a Gatehouse server is set up: where it listens, where it keeps data and flows, and which Terraform CLI it runs.
package struct Configuration: Sendable, Equatable {
    /// The address the HTTP server binds to; the loopback default keeps a first start private.
    package var host: String
    /// The TCP port the HTTP server listens on, 1–65535.
    package var port: Int
    /// The data directory (database, stored files, task working directories); relative paths are resolved at start.
    package var dataDirectory: String
    /// The folder of flow YAML files loaded at start and on change.
    package var flowsDirectory: String
    /// The Terraform-compatible CLI to run, a name looked up on `PATH` (`terraform`, `tofu`) or a path.
    package var terraformBinary: String

    /// Creates a configuration; every parameter defaults to the value documented in the README.
    package init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        dataDirectory: String = "./data",
        flowsDirectory: String = "./flows",
        terraformBinary: String = "terraform"
    ) {
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.flowsDirectory = flowsDirectory
        self.terraformBinary = terraformBinary
    }

    /// Reads the `GATEHOUSE_*` variables of `environment`, using the default for each one that is unset.
    ///
    /// Values are trimmed of surrounding whitespace; a set but empty or invalid value throws a `ConfigurationError`
    /// naming the variable, so a typo never silently falls back to a default.
    package init(environment: [String: String]) throws {
        self.init()
        if let (raw, value) = try Self.value(of: EnvironmentVariable.host, in: environment) {
            guard !value.contains(where: \.isWhitespace) else {
                throw ConfigurationError.invalidValue(
                    variable: EnvironmentVariable.host,
                    value: raw,
                    expected: "a host name or IP address without spaces, such as 127.0.0.1 or 0.0.0.0"
                )
            }
            host = value
        }
        if let (raw, value) = try Self.value(of: EnvironmentVariable.port, in: environment) {
            guard let port = Int(value), (1...65535).contains(port) else {
                throw ConfigurationError.invalidValue(
                    variable: EnvironmentVariable.port,
                    value: raw,
                    expected: "a port number from 1 to 65535"
                )
            }
            self.port = port
        }
        if let (_, value) = try Self.value(of: EnvironmentVariable.dataDirectory, in: environment) {
            dataDirectory = value
        }
        if let (_, value) = try Self.value(of: EnvironmentVariable.flowsDirectory, in: environment) {
            flowsDirectory = value
        }
        if let (_, value) = try Self.value(of: EnvironmentVariable.terraformBinary, in: environment) {
            terraformBinary = value
        }
        if let (raw, value) = try Self.value(of: EnvironmentVariable.approvalReminder, in: environment) {
            guard let duration = ISODuration(value), duration.seconds > 0 else {
                throw ConfigurationError.invalidValue(
                    variable: EnvironmentVariable.approvalReminder, value: raw, expected: "a positive ISO-8601 duration such as PT4H or P1D")
            }
        }
    }

    /// The value of `variable` as set and trimmed, nil when unset; an empty value is an error rather than a silent default.
    private static func value(of variable: String, in environment: [String: String]) throws -> (raw: String, trimmed: String)? {
        guard let raw = environment[variable] else { return nil }
        let trimmed = String(raw.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        guard !trimmed.isEmpty else {
            throw ConfigurationError.invalidValue(
                variable: variable,
                value: raw,
                expected: "a non-empty value; unset the variable to use the default"
            )
        }
        return (raw, trimmed)
    }
}

/// The names of the environment variables `Configuration(environment:)` reads.
package enum EnvironmentVariable {
    package static let host = "GATEHOUSE_HOST"
    package static let port = "GATEHOUSE_PORT"
    package static let dataDirectory = "GATEHOUSE_DATA"
    package static let flowsDirectory = "GATEHOUSE_FLOWS"
    package static let terraformBinary = "GATEHOUSE_TERRAFORM_BIN"
    package static let approvalReminder = "GATEHOUSE_APPROVAL_REMINDER"
}

/// Why the server configuration cannot be used.
package enum ConfigurationError: Error, Equatable, CustomStringConvertible {
    /// An environment variable holds a value Gatehouse cannot use; `expected` says what would be right.
    case invalidValue(variable: String, value: String, expected: String)

    package var description: String {
        switch self {
        case .invalidValue(let variable, let value, let expected):
            "\(variable)=\"\(value)\" is not valid: expected \(expected)."
        }
    }
}
