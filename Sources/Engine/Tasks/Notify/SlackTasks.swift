import FlowModel
import Foundation
import Notify
import Pebble

/// Slack's `SlackIncomingWebhook` and `SlackExecution` (KESTRA.md §5.3), under their old and new type names.
enum SlackTasks {
    static func run(_ task: Task, engine: PebbleEngine, variables: PebbleMap, context: AttemptContext) -> TaskResult {
        var result = TaskResult()
        do {
            let properties = RenderedProperties(task: task, engine: engine, variables: variables)
            let url = try properties.required("url")
            let payload = try task.type == .slackExecution ? executionPayload(properties, context: context) : webhookPayload(properties)
            let options = try properties.value("options")?.mapValue ?? PebbleMap()
            let headers = (options["headers"]?.mapValue?.pairs ?? []).map { (name: $0.key, value: $0.value.rendered) }
            let connectTimeout = try PropertyReading.duration(options["connectTimeout"], name: "options.connectTimeout")
            let readTimeout = try PropertyReading.duration(options["readTimeout"], name: "options.readTimeout")
            // The webhook URL is a secret: it is never logged, and the payload only at DEBUG.
            result.logs.append(("DEBUG", "Slack payload: \(payload)"))
            guard
                context.runBlocking(
                    &result,
                    {
                        try await SlackWebhook.post(
                            url: url, payload: payload, headers: headers, connectTimeout: connectTimeout, readIdleTimeout: readTimeout)
                    }) != nil
            else { return result }
            result.logs.append(("INFO", "Slack accepted the message"))
        } catch {
            result.failed = "\(error)"
        }
        return result
    }

    /// `payload` (a JSON string, or a map sent as JSON) or `messageText`.
    private static func webhookPayload(_ properties: RenderedProperties) throws -> String {
        let payload = try properties.value("payload").map { $0.stringValue ?? $0.json }
        return try SlackWebhook.payload(payload: payload, messageText: properties.string("messageText"))
    }

    private static func executionPayload(_ properties: RenderedProperties, context: AttemptContext) throws -> String {
        let summary = try ExecutionSummary.of(
            executionId: properties.string("executionId"), context: context, customMessage: properties.string("customMessage"),
            customFields: properties.stringPairs("customFields"))
        let overrides = SlackExecutionMessage.Overrides(
            channel: try properties.string("channel"), username: try properties.string("username"), iconUrl: try properties.string("iconUrl"),
            iconEmoji: try properties.string("iconEmoji"))
        return SlackExecutionMessage.payload(summary, overrides: overrides)
    }
}
