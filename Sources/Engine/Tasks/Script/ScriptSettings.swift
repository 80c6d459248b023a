import Foundation

/// The server settings of the shell and Terraform tasks, read from the server's environment (README, Configuration).
struct ScriptSettings: Sendable {
    static let terraformVariable = "GATEHOUSE_TERRAFORM_BIN"
    static let namespaceFilesVariable = "GATEHOUSE_NAMESPACE_FILES"
    static let keepFailedVariable = "GATEHOUSE_KEEP_FAILED_WORKDIRS"
    static let taskPathVariable = "GATEHOUSE_TASK_PATH"

    static let defaultTaskPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    /// The Terraform-compatible CLI: a name looked up on the server's `PATH`, or a path.
    var terraformBinary = "terraform"
    /// The folder holding one folder of namespace files per namespace (`<root>/<namespace>/…`).
    var namespaceFilesRoot: URL
    /// Whether the working directory of a failed attempt stays for a look instead of being removed.
    var keepFailedWorkdirs = false
    /// The `PATH` commands start with, before their own `env`.
    var taskPath = defaultTaskPath
    /// The server's own `PATH`, where a Terraform binary given by name is looked up.
    var serverPath: String

    /// Reads the settings from `environment`; relative paths are resolved against the current directory.
    init(environment: [String: String]) throws(ScriptError) {
        let current = FileManager.default.currentDirectoryPath
        namespaceFilesRoot =
            URL(fileURLWithPath: "namespace-files", isDirectory: true, relativeTo: URL(fileURLWithPath: current, isDirectory: true))
            .standardizedFileURL
        serverPath = environment["PATH"] ?? Self.defaultTaskPath
        if let value = try Self.value(Self.terraformVariable, in: environment) { terraformBinary = value }
        if let value = try Self.value(Self.namespaceFilesVariable, in: environment) {
            namespaceFilesRoot =
                URL(fileURLWithPath: value, isDirectory: true, relativeTo: URL(fileURLWithPath: current, isDirectory: true))
                .standardizedFileURL
        }
        if let value = try Self.value(Self.taskPathVariable, in: environment) { taskPath = value }
        if let value = try Self.value(Self.keepFailedVariable, in: environment) {
            switch value.lowercased() {
            case "true", "1", "yes": keepFailedWorkdirs = true
            case "false", "0", "no": keepFailedWorkdirs = false
            default: throw .setting(variable: Self.keepFailedVariable, value: value, expected: "true or false")
            }
        }
    }

    /// The trimmed value of a set variable; set but empty is an error, as for the server's other settings.
    private static func value(_ variable: String, in environment: [String: String]) throws(ScriptError) -> String? {
        guard let raw = environment[variable] else { return nil }
        let value = raw.trimmingCharacters(in: .whitespaces)
        guard !value.isEmpty else { throw .setting(variable: variable, value: raw, expected: "a non-empty value; unset it for the default") }
        return value
    }
}
