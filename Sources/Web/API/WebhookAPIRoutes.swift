import Engine
import Foundation
import Hummingbird

/// Kestra's webhook endpoint: `GET|POST|PUT /api/v1/executions/webhook/{namespace}/{flowId}/{key}`. The key is the
/// authentication; a wrong key, an unknown flow and a disabled trigger all answer 404, so nothing can be probed.
struct WebhookAPIRoutes: Sendable {
    let catalog: FlowCatalog
    let runner: FlowRunner

    func add(to router: Router<GatehouseRequestContext>) {
        let path: RouterPath = "/api/v1/executions/webhook/{namespace}/{flowId}/{key}"
        for method in [HTTPRequest.Method.get, .post, .put] {
            router.on(path, method: method) { request, context in try await handle(request, context) }
        }
    }

    private func handle(_ request: Request, _ context: GatehouseRequestContext) async throws -> Response {
        let body = try await request.body.collect(upTo: 1 << 20)
        var headers: [String: [String]] = [:]
        for field in request.headers where field.name != .authorization && field.name != .cookie {
            headers[field.name.canonicalName.lowercased(), default: []].append(field.value)
        }
        var parameters: [String: [String]] = [:]
        for (key, value) in request.uri.queryParameters { parameters[String(key), default: []].append(String(value)) }
        let webhook = WebhookRequest(
            method: request.method.rawValue, body: String(buffer: body), contentType: request.headers[.contentType], headers: headers,
            parameters: parameters)
        guard
            let execution = try WebhookTriggers(runner: runner).start(
                namespace: context.parameters.get("namespace") ?? "", flowId: context.parameters.get("flowId") ?? "",
                key: context.parameters.get("key") ?? "", request: webhook, flows: catalog.deployed)
        else { throw HTTPError(.notFound, message: "Flow not found") }
        return APIJSON.response(try APIJSON.execution(execution, database: runner.database, withTasks: false))
    }
}
