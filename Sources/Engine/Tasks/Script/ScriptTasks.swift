import FlowModel
import Foundation
import Pebble

/// `scripts.shell.Commands`, `scripts.shell.Script` and `terraform.cli.TerraformCLI` (KESTRA.md §5.3): the commands run
/// as host processes in a working directory of their own, their output streams into the log, and their outputs are
/// Kestra's `exitCode`, `vars` and `outputFiles` (plus `plan` for a TerraformCLI task that saved a plan).
enum ScriptTasks {
    static func run(_ task: Task, engine: PebbleEngine, variables: PebbleMap, context: AttemptContext) -> TaskResult {
        guard let run = context.run else {
            return TaskResult(failed: "\(task.type.canonicalName) needs a running execution to keep its files in")
        }
        let output = CommandOutput(context: context)
        var result = TaskResult()
        var directory: WorkingDirectory?
        var keepFailed = false
        do {
            let settings = try ScriptSettings(environment: run.settings.environment)
            keepFailed = settings.keepFailedWorkdirs
            let folder = try WorkingDirectory(
                in: run.settings.dataDirectory.workdirs, executionId: run.execution.id, taskRunId: run.taskRun.id, attempt: run.attempt)
            directory = folder
            result = try execute(task, engine: engine, variables: variables, context: context, settings: settings, directory: folder, output: output)
        } catch {
            result.failed = "\(error)"
        }
        if let directory {
            if result.failed != nil, keepFailed {
                output.note("INFO", "the working directory is kept for a look (\(ScriptSettings.keepFailedVariable)): \(directory.root.path)")
            } else {
                directory.remove()
            }
        }
        // The command has ended: its last lines are written with the attempt's end, in the same commit.
        result.logs = output.takePending() + result.logs
        return result
    }

    private static func execute(
        _ task: Task, engine: PebbleEngine, variables: PebbleMap, context: AttemptContext, settings: ScriptSettings,
        directory: WorkingDirectory, output: CommandOutput
    ) throws -> TaskResult {
        guard let run = context.run else { return TaskResult() }
        var variables = variables
        variables["workingDir"] = .string(directory.work.path)
        let properties = try ScriptProperties(task, engine: engine, variables: variables)
        if let container = properties.container {
            output.note("INFO", "Gatehouse runs the commands as host processes (the Process task runner); \(container) is not used")
        }

        // Files in.
        let storage = FileStorage(dataDirectory: run.settings.dataDirectory)
        let execution = run.execution
        if let options = properties.namespaceFiles {
            try TaskFiles.copyNamespaceFiles(
                options, namespace: execution.namespace, root: settings.namespaceFilesRoot, into: directory, note: output.note)
        }
        try TaskFiles.writeInputFiles(
            properties.inputFiles, storage: storage,
            allowed: [FileStorage.Location.execution(namespace: execution.namespace, flowId: execution.flowId, executionId: execution.id)],
            approvedPlans: try ApprovedPlan.approved(in: context.database, executionId: execution.id), into: directory)

        // The command.
        var terraform: String?
        var pathPrefix: [String] = []
        if task.type == .terraformCLI {
            let prepared = try TerraformCLI.prepare(settings: settings, directory: directory)
            terraform = prepared.binary
            pathPrefix = [prepared.pathFolder]
        }
        let environment = ChildEnvironment.make(
            directory: directory, settings: settings, extra: terraform == nil ? [:] : TerraformCLI.environment, pathPrefix: pathPrefix,
            env: properties.env)
        var commands = properties.commands
        if let script = properties.script {
            // The script is read by the interpreter's shell itself, after `set -e` and the before commands, so both apply.
            let file = directory.root.appendingPathComponent("script.sh")
            do {
                try Data(script.utf8).write(to: file)
            } catch {
                throw ScriptError.workingDirectory(path: file.path, reason: error.localizedDescription)
            }
            commands = [". '\(file.path.replacingOccurrences(of: "'", with: "'\\''"))'"]
        }
        let interpreter = task.type == .terraformCLI ? ScriptProperties.defaultInterpreter : properties.interpreter
        let command = ProcessRunner.Command(
            executable: try ChildEnvironment.locate(interpreter[0], on: environment["PATH"] ?? settings.taskPath),
            arguments: Array(interpreter.dropFirst()) + [properties.commandText(running: commands)],
            environment: environment, directory: directory.work.path)
        let outcome = try ProcessRunner().run(command, context: context, output: output.receive, idle: output.tick)
        output.finish()

        // Outcome and files out.
        var result = TaskResult()
        result.outputs["exitCode"] = .int(Int64(outcome.status.code))
        result.outputs["vars"] = .map(output.vars)
        result.outputs["outputFiles"] = .map(PebbleMap())
        switch outcome.stop {
        case .killed?:
            result.killed = true
            return result
        case .timedOut?:
            result.failed = "Timeout after \(context.timeout ?? "the task's timeout")"
            return result
        case nil:
            guard outcome.status.code == 0 else {
                result.failed = "Command failed with exit code \(outcome.status.code)"
                return result
            }
        }
        let location = FileStorage.Location(
            namespace: execution.namespace, flowId: execution.flowId, executionId: execution.id, taskId: task.id, taskRunId: run.taskRun.id)
        let stored = try TaskFiles.storeOutputFiles(properties.outputFiles, from: directory, storage: storage, at: location)
        result.outputs["outputFiles"] = .map(PebbleMap(stored.map { ($0.name, PebbleValue.string($0.uri)) }))
        if terraform != nil {
            // `terraform show` may take a while: the lines so far are in the log before it starts.
            output.flush()
        }
        if let terraform,
            let plan = TerraformCLI.planSummary(
                of: stored.map { ($0.name, $0.file) }, binary: terraform, environment: environment, directory: directory, context: context,
                output: output)
        {
            result.outputs["plan"] = plan
        }
        return result
    }
}
