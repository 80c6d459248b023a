import ArgumentParser
import Engine
import Foundation
import Store

/// `gatehouse kill EXECUTION_ID [--data DIR] [--user U] [--json]`.
struct KillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kill",
        abstract: "Kill an execution: its running task is stopped, and it ends KILLED.",
        discussion: "A paused, queued or waiting execution ends KILLED at once; a running one as soon as its process notices (within a second)."
    )

    @Argument(help: "The execution's id.")
    var executionId: String

    @Option(name: .long, help: "The data directory (default: $GATEHOUSE_DATA, else ./data).")
    var data: String?

    @Option(name: .long, help: "Who kills it (recorded in the audit log; default: $USER).")
    var user: String?

    @Flag(name: .long, help: "Print the execution as one JSON object.")
    var json = false

    func run() throws {
        let runner = try ExecutionOptions.runner(data: data)
        do {
            let execution = try runner.kill(executionId: executionId, by: user ?? ProcessInfo.processInfo.environment["USER"] ?? "cli")
            if json {
                print(try ExecutionJSON.render(execution, database: runner.database))
            } else {
                print("execution \(execution.id) \(execution.state)" + (execution.state == "KILLING" ? " — its process stops it" : ""))
            }
        } catch let error as RunError {
            throw ValidationError(error.description)
        }
    }
}

/// `gatehouse worker [--data DIR] [--once] [--pool N]`: recovery, timers and queues without the web server.
struct WorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Recover executions a stopped process left behind, then fire timers and start queued executions.",
        discussion: """
            Runs until interrupted. With --once it recovers, acts on what is due now and exits. Paused executions stay \
            paused; pause durations, timeouts and retry back-offs fire when due, also after a restart. The flows in \
            --flows are deployed, reloaded when they change, and their Schedule and Flow triggers fire.
            """
    )

    @Option(name: .long, help: "The data directory (default: $GATEHOUSE_DATA, else ./data).")
    var data: String?

    @Flag(name: .long, help: "Recover and act on what is due now, then exit.")
    var once = false

    @Option(name: .long, help: "How many executions run at once (default: $GATEHOUSE_WORKERS, else 4).")
    var pool: Int?

    @Option(name: .long, help: "The flows whose Schedule and Flow triggers run (default: $GATEHOUSE_FLOWS, else ./flows).")
    var flows: String?

    func run() throws {
        let runner = try ExecutionOptions.runner(data: data)
        let setting = try WorkersSetting.count(in: ProcessInfo.processInfo.environment)
        let size = pool ?? setting
        guard size >= 1 else { throw ValidationError("--pool must be at least 1, but is \(size)") }
        let printer = ExecutionOptions.logPrinter(toStandardError: false)
        let report: @Sendable (String) -> Void = { FileHandle.standardError.write(Data("gatehouse worker: \($0)\n".utf8)) }
        let catalog = FlowCatalog(
            directory: flows ?? ProcessInfo.processInfo.environment["GATEHOUSE_FLOWS"] ?? "flows", database: runner.database)
        for entry in try catalog.reload(deployedBy: "gatehouse worker") where !entry.isValid {
            report("\(entry.file) is invalid; its triggers do not run:\n  " + entry.errors.joined(separator: "\n  "))
        }
        let worker = Worker(
            runner: runner, poolSize: size,
            flows: {
                do { try catalog.reloadIfChanged() } catch { report("reloading \(catalog.directory) failed: \(error)") }
                return catalog.deployed
            }, report: report, log: printer)
        if once {
            let recovered = try worker.recover()
            for execution in recovered { print("execution \(execution.id) \(execution.state)") }
            worker.fireSchedules()
            try worker.fireFlowTriggers()
            try worker.fireDueWork()
            return
        }
        try worker.recover()
        let path = data ?? ProcessInfo.processInfo.environment["GATEHOUSE_DATA"] ?? "data"
        FileHandle.standardError.write(Data("gatehouse worker: watching \(path) with \(size) workers\n".utf8))
        try worker.run(shouldStop: { false })
    }
}
