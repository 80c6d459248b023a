import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The environment commands start with. It is built from nothing, never copied from the server: the server's own
/// variables (`SECRET_*`, `GATEHOUSE_*`, cloud credentials) never reach a command unless its `env` passes them.
enum ChildEnvironment {
    /// `PATH` from the settings, `HOME` and `PWD` the working directory, `TMPDIR` a folder beside it, `LANG` C.UTF-8,
    /// `USER` and `LOGNAME` the server's user; then `extra` (the task type's own), then the task's `env`, which wins.
    static func make(
        directory: WorkingDirectory, settings: ScriptSettings, extra: [String: String] = [:], pathPrefix: [String] = [],
        env: [String: String]
    ) -> [String: String] {
        var environment = [
            "PATH": (pathPrefix + [settings.taskPath]).joined(separator: ":"),
            "HOME": directory.work.path,
            "PWD": directory.work.path,
            "TMPDIR": directory.temporary.path,
            "LANG": "C.UTF-8",
        ]
        if let user = userName {
            environment["USER"] = user
            environment["LOGNAME"] = user
        }
        environment.merge(extra) { _, new in new }
        environment.merge(env) { _, new in new }
        return environment
    }

    /// Looked up once: the user database is a file read per call.
    private static let userName: String? = {
        guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return nil }
        return String(cString: name)
    }()

    /// The absolute path of `program`: itself when it holds a `/` (relative to the current directory), else the first
    /// executable file of that name on `path`.
    static func locate(_ program: String, on path: String) throws(ScriptError) -> String {
        if program.contains("/") {
            let absolute = URL(fileURLWithPath: program).standardizedFileURL.path
            guard FileManager.default.isExecutableFile(atPath: absolute) else {
                throw .cannotStart(executable: program, reason: "no executable file at \(absolute)")
            }
            return absolute
        }
        for folder in path.split(separator: ":") where !folder.isEmpty {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(program).path
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue,
                FileManager.default.isExecutableFile(atPath: candidate)
            {
                return candidate
            }
        }
        throw .executableNotFound(name: program, searched: path)
    }
}
