import Foundation

extension GatehouseServer {
    /// Settings whose values go into the `config.loaded` audit event. Every other `GATEHOUSE_*` variable (passwords,
    /// keys, SMTP credentials) appears by name only, and `SECRET_*` variables not at all.
    static let auditedVariables: [(variable: String, key: String)] = [
        ("GATEHOUSE_TRUSTED_PROXIES", "trustedProxies"), ("GATEHOUSE_SSO_ROLES", "ssoRoles"), ("GATEHOUSE_SSO_DEFAULT_ROLE", "ssoDefaultRole"),
        ("GATEHOUSE_BASE_URL", "baseURL"),
    ]

    /// Records in the audit log how this server was started: where its flows and data are, how many workers run, which
    /// proxies are trusted for single sign-on. Never a secret's value.
    package func recordConfigurationLoaded(workers: Int, environment: [String: String], at date: Date = Date()) throws {
        var details = [
            "host": configuration.host, "port": String(configuration.port),
            "flows": URL(fileURLWithPath: configuration.flowsDirectory).standardizedFileURL.path,
            "data": URL(fileURLWithPath: configuration.dataDirectory).standardizedFileURL.path, "workers": String(workers),
            "terraform": configuration.terraformBinary, "flowsLoaded": String(catalog.deployed.count),
            "flowsInvalid": String(catalog.entries.filter { !$0.isValid }.count),
            "variables": environment.keys.filter { $0.hasPrefix("GATEHOUSE_") }.sorted().joined(separator: ","),
        ]
        for (variable, key) in Self.auditedVariables {
            if let value = environment[variable] { details[key] = value }
        }
        try runner.database.recordConfigurationLoaded(by: "gatehouse serve", details: details, at: date)
    }
}
