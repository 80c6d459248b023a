import ArgumentParser
import Engine
import Foundation
import Pebble
import Store

/// Options shared by the commands that run executions.
struct ExecutionOptions: ParsableArguments {
    @Option(name: .long, help: "An input value as name=value; repeat for more.")
    var input: [String] = []

    @Option(name: .long, help: "The data directory (default: $GATEHOUSE_DATA, else ./data).")
    var data: String?

    @Flag(name: .long, help: "Print the execution as one JSON object on stdout; the log goes to stderr.")
    var json = false

    func submitted() throws -> [String: SubmittedInput] {
        var values: [String: SubmittedInput] = [:]
        for pair in input {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw ValidationError("--input must be name=value, but got `\(pair)`")
            }
            values[String(pair[..<equals])] = .text(String(pair[pair.index(after: equals)...]))
        }
        return values
    }

    func runner() throws -> FlowRunner {
        try Self.runner(data: data)
    }

    /// The database of the data directory `--data`, else `$GATEHOUSE_DATA`, else `./data`.
    static func database(data: String?) throws -> GatehouseDatabase {
        try GatehouseDatabase(directory: DataDirectory(path: data ?? ProcessInfo.processInfo.environment["GATEHOUSE_DATA"] ?? "data"))
    }

    static func runner(data: String?) throws -> FlowRunner {
        let path = data ?? ProcessInfo.processInfo.environment["GATEHOUSE_DATA"] ?? "data"
        let database = try database(data: path)
        let environment = ProcessInfo.processInfo.environment
        let secrets: SecretStore
        do {
            secrets = try SecretStore.load(environment: environment, dataDirectory: path)
        } catch {
            throw ValidationError("\(error)")
        }
        for warning in secrets.warnings { FileHandle.standardError.write(Data("gatehouse: \(warning)\n".utf8)) }
        return FlowRunner(database: database, environment: environment, secrets: secrets)
    }

    /// Prints each log line as it happens: to stdout normally, to stderr when stdout carries JSON.
    var logPrinter: @Sendable (LogLineRecord, String) -> Void { Self.logPrinter(toStandardError: json) }

    static func logPrinter(toStandardError: Bool) -> @Sendable (LogLineRecord, String) -> Void {
        { line, taskId in
            let text =
                "\(ISO8601DateFormatter().string(from: line.timestamp)) \(line.level.padding(toLength: 5, withPad: " ", startingAt: 0)) [\(taskId)] \(line.line)\n"
            if toStandardError {
                FileHandle.standardError.write(Data(text.utf8))
            } else {
                FileHandle.standardOutput.write(Data(text.utf8))
            }
        }
    }

    /// Prints the outcome and exits with the status the issue defines: 0 for SUCCESS, WARNING or PAUSED, else 1.
    func finish(_ execution: ExecutionRecord, runner: FlowRunner) throws {
        if json {
            print(try ExecutionJSON.render(execution, database: runner.database))
        } else {
            var summary = "execution \(execution.id) \(execution.state)"
            if execution.state == "PAUSED" { summary += " — resume with: gatehouse resume \(execution.id)" }
            if let error = execution.error { summary += ": \(error)" }
            print(summary)
        }
        if !["SUCCESS", "WARNING", "PAUSED"].contains(execution.state) { throw ExitCode(1) }
    }
}

/// `gatehouse run FLOW [--input k=v]… [--data DIR] [--json]`.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a flow file to its end or its first pause, printing the live log.",
        discussion: "Exit status: 0 for SUCCESS, WARNING or PAUSED; 1 for FAILED, KILLED or CANCELLED; 2 for invalid inputs or usage."
    )

    @Argument(help: "The flow file (.yaml).")
    var flow: String

    @OptionGroup var options: ExecutionOptions

    @Option(name: .long, help: "Who is running it (recorded in the audit log; default: $USER).")
    var user: String?

    func run() throws {
        let source: String
        do {
            source = try String(contentsOfFile: flow, encoding: .utf8)
        } catch {
            throw ValidationError("cannot read the flow file \(flow): \(error.localizedDescription)")
        }
        let runner = try options.runner()
        do {
            var execution = try runner.start(
                flowSource: source, file: flow, inputs: try options.submitted(),
                requester: user ?? ProcessInfo.processInfo.environment["USER"] ?? "cli", log: options.logPrinter
            )
            // A retry's back-off keeps the execution RUNNING: wait it out here, so the command ends with the outcome.
            execution = try Worker(runner: runner, log: options.logPrinter).driveToRest(execution.id) ?? execution
            try options.finish(execution, runner: runner)
        } catch let error as RunError {
            throw ValidationError(error.description)
        }
    }
}

/// `gatehouse resume EXECUTION_ID [--input k=v]… [--reject --comment C]`.
struct ResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Resume (approve) or reject a paused execution, then run it on.",
        discussion: "Exit status: 0 for SUCCESS, WARNING or PAUSED; 1 for FAILED, KILLED or CANCELLED; 2 for invalid inputs or usage."
    )

    @Argument(help: "The paused execution's id.")
    var executionId: String

    @OptionGroup var options: ExecutionOptions

    @Flag(name: .long, help: "Reject instead of approving: the execution ends KILLED.")
    var reject = false

    @Option(name: .long, help: "A comment recorded with the decision (required with --reject).")
    var comment: String?

    @Option(name: .long, help: "Who decides (recorded in the audit log; default: $USER).")
    var user: String?

    func run() throws {
        if reject, comment?.isEmpty ?? true { throw ValidationError("--reject needs a --comment saying why") }
        let runner = try options.runner()
        do {
            var execution = try runner.resume(
                executionId: executionId, inputs: try options.submitted(), decidedBy: user ?? ProcessInfo.processInfo.environment["USER"] ?? "cli",
                approve: !reject, comment: comment, log: options.logPrinter
            )
            execution = try Worker(runner: runner, log: options.logPrinter).driveToRest(execution.id) ?? execution
            try options.finish(execution, runner: runner)
        } catch let error as RunError {
            throw ValidationError(error.description)
        }
    }
}

/// `gatehouse executions [--state S] [--data DIR]`.
struct ExecutionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "executions", abstract: "List executions, newest first.")

    @Option(name: .long, help: "Only executions in this state (for example PAUSED).")
    var state: String?

    @Option(name: .long, help: "The data directory (default: $GATEHOUSE_DATA, else ./data).")
    var data: String?

    func run() throws {
        let path = data ?? ProcessInfo.processInfo.environment["GATEHOUSE_DATA"] ?? "data"
        let database = try GatehouseDatabase(directory: DataDirectory(path: path))
        for execution in try database.executions(state: state?.uppercased()) {
            print(
                "\(execution.id)  \(execution.state.padding(toLength: 9, withPad: " ", startingAt: 0)) \(execution.namespace).\(execution.flowId)  \(execution.requester)  \(ISO8601DateFormatter().string(from: execution.createdAt))"
            )
        }
    }
}

/// The `--json` shape: `{id, state, inputs, outputs, taskRuns: [{id, taskId, value, state, attempts, outputs}]}`.
enum ExecutionJSON {
    static func render(_ execution: ExecutionRecord, database: GatehouseDatabase) throws -> String {
        let attempts = Dictionary(grouping: try database.attempts(ofExecution: execution.id), by: \.taskRunId)
        let taskRuns = try database.taskRuns(of: execution.id).map { run -> PebbleValue in
            .map(
                PebbleMap([
                    ("id", .string(run.id)), ("taskId", .string(run.taskId)), ("value", run.value.map(PebbleValue.string) ?? .null),
                    ("state", .string(run.state)),
                    (
                        "attempts",
                        .list(
                            (attempts[run.id] ?? []).map { attempt in
                                .map(PebbleMap([("number", .int(Int64(attempt.number))), ("state", .string(attempt.state))]))
                            })
                    ),
                    ("outputs", (try? PebbleValue.fromJSON(run.outputs ?? "{}")) ?? .map(PebbleMap())),
                ]))
        }
        let object = PebbleMap([
            ("id", .string(execution.id)), ("namespace", .string(execution.namespace)), ("flowId", .string(execution.flowId)),
            ("state", .string(execution.state)),
            ("inputs", SecretInputCipher.redacted((try? PebbleValue.fromJSON(execution.inputs)) ?? .map(PebbleMap()))),
            ("outputs", (try? PebbleValue.fromJSON(execution.outputs ?? "{}")) ?? .map(PebbleMap())), ("taskRuns", .list(taskRuns)),
        ])
        return PebbleValue.map(object).json
    }
}
