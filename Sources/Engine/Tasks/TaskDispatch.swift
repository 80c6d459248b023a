import FlowModel
import Pebble

/// Sends a runnable task to the family that implements its type.
enum TaskDispatch {
    static func run(_ task: Task, engine: PebbleEngine, variables: PebbleMap, context: AttemptContext) -> TaskResult {
        switch task.type {
        case .shellCommands, .shellScript, .terraformCLI:
            return ScriptTasks.run(task, engine: engine, variables: variables, context: context)
        case .httpRequest:
            return HTTPRequestTask.run(task, engine: engine, variables: variables, context: context)
        case .slackIncomingWebhook, .slackExecution:
            return SlackTasks.run(task, engine: engine, variables: variables, context: context)
        case .mailSend, .mailExecution:
            return MailTasks.run(task, engine: engine, variables: variables, context: context)
        default:
            return CoreTasks.run(task, engine: engine, variables: variables, context: context)
        }
    }
}
