import FlowModel
import Foundation
import Pebble
import Store

/// What a webhook call carried, as the web layer received it.
package struct WebhookRequest: Sendable {
    package var method: String
    package var body: String
    package var contentType: String?
    /// Header names lower-cased, each with every value sent.
    package var headers: [String: [String]]
    package var parameters: [String: [String]]

    package init(method: String, body: String, contentType: String? = nil, headers: [String: [String]] = [:], parameters: [String: [String]] = [:]) {
        self.method = method
        self.body = body
        self.contentType = contentType
        self.headers = headers
        self.parameters = parameters
    }
}

/// Webhook triggers (KESTRA.md §6): `/api/v1/executions/webhook/{namespace}/{flowId}/{key}` starts the flow when `key`
/// matches a Webhook trigger's rendered `key`. The execution sees `trigger.body` (parsed when it is JSON),
/// `trigger.headers` and `trigger.parameters` (maps of lists). The web layer calls `start` and answers 404 for nil,
/// without telling whether the flow exists or the key was wrong.
package struct WebhookTriggers: Sendable {
    package let runner: FlowRunner

    package init(runner: FlowRunner) { self.runner = runner }

    /// Creates the execution (driven by the worker through its `start` work item) and returns it as stored; nil when no
    /// enabled Webhook trigger of that flow has this key.
    package func start(namespace: String, flowId: String, key: String, request: WebhookRequest, flows: [DeployedFlow]) throws -> ExecutionRecord? {
        guard let deployed = flows.first(where: { $0.flow.namespace == namespace && $0.flow.id == flowId }) else { return nil }
        guard let trigger = deployed.triggers(.webhook).first(where: { Self.constantTimeEqual(expectedKey(of: $0, in: deployed), key) }) else {
            return nil
        }
        var variables = PebbleMap()
        let parsed = (try? PebbleValue.fromJSON(request.body)) ?? .string(request.body)
        variables["body"] = request.body.isEmpty ? .null : parsed
        variables["headers"] = .map(PebbleMap(request.headers.sorted { $0.key < $1.key }.map { ($0.key, .list($0.value.map(PebbleValue.string))) }))
        variables["parameters"] = .map(
            PebbleMap(request.parameters.sorted { $0.key < $1.key }.map { ($0.key, .list($0.value.map(PebbleValue.string))) }))
        variables["method"] = .string(request.method)
        let execution = runner.triggeredExecution(of: deployed, trigger: trigger, variables: variables, at: runner.clock())
        return try runner.database.createTriggered([execution]).first
    }

    /// The trigger's key, rendered when it is an expression such as `{{ secret('WEBHOOK_KEY') }}`; a key that cannot be
    /// rendered matches nothing.
    private func expectedKey(of trigger: Trigger, in deployed: DeployedFlow) -> String? {
        guard let key = trigger.properties["key"]?.stringValue, !key.isEmpty else { return nil }
        guard key.contains("{{") || key.contains("{%") else { return key }
        let flow = PebbleMap([
            ("id", .string(deployed.flow.id)), ("namespace", .string(deployed.flow.namespace)), ("revision", .int(Int64(deployed.revision))),
        ])
        return try? runner.engine.render(key, variables: PebbleMap([("flow", .map(flow))]))
    }

    /// Compares without stopping at the first difference, so response times do not reveal how much of a key was right.
    static func constantTimeEqual(_ expected: String?, _ given: String) -> Bool {
        guard let expected else { return false }
        let left = Array(expected.utf8)
        let right = Array(given.utf8)
        var difference = UInt8(left.count == right.count ? 0 : 1)
        for index in 0..<max(left.count, right.count) {
            difference |= (index < left.count ? left[index] : 0) ^ (index < right.count ? right[index] : 0)
        }
        return difference == 0
    }
}
