/// Why a shell or Terraform task could not run its commands; each message says what is wrong and what would be right.
enum ScriptError: Error, Equatable, CustomStringConvertible {
    /// A `GATEHOUSE_*` setting of the server holds a value the tasks cannot use.
    case setting(variable: String, value: String, expected: String)
    /// A task property rendered to something of the wrong shape.
    case invalidProperty(name: String, problem: String)
    /// An `inputFiles` entry cannot be written into the working directory.
    case inputFile(name: String, problem: String)
    /// The program to run is not where the settings say.
    case executableNotFound(name: String, searched: String)
    /// The operating system refused to start the command.
    case cannotStart(executable: String, reason: String)
    /// The working directory or a file in it cannot be made.
    case workingDirectory(path: String, reason: String)
    /// An input file is an approved plan that changed after the approval: applying it would apply something unapproved.
    case planChanged(name: String, approvedBy: String, approved: String, actual: String)

    var description: String {
        switch self {
        case .setting(let variable, let value, let expected):
            "the server setting \(variable)=\"\(value)\" is not valid: expected \(expected)"
        case .invalidProperty(let name, let problem):
            "`\(name)` \(problem)"
        case .inputFile(let name, let problem):
            "the input file `\(name)` cannot be written: \(problem)"
        case .executableNotFound(let name, let searched):
            "`\(name)` was not found on the PATH (\(searched)); install it or set its full path"
        case .cannotStart(let executable, let reason):
            "cannot start `\(executable)`: \(reason)"
        case .workingDirectory(let path, let reason):
            "cannot prepare the working directory \(path): \(reason)"
        case .planChanged(let name, let approvedBy, let approved, let actual):
            "refusing to apply: the plan file `\(name)` is not the plan \(approvedBy) approved (approved SHA-256 \(approved), "
                + "stored file now \(actual)); plan and approve again"
        }
    }
}
