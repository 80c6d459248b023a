import Engine
import Foundation
import Hummingbird
import Pebble
import Store

/// JSON answers of the API, in Kestra's shapes where Kestra has them (KESTRA.md §2.4, §3.3).
enum APIJSON {
    static func response(_ object: Any, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Kestra's 422: `Invalid entity: <path>: <message>` with every error and its path.
    static func invalidInputs(_ resolution: InputResolution) -> Response {
        let errors = resolution.inputs.flatMap { input in input.errors.map { ["message": $0, "path": "inputs.\(input.id)"] } }
        let first = errors.first.map { "Invalid entity: \($0["path"] ?? ""): \($0["message"] ?? "")" } ?? "Invalid entity"
        return response(["message": first, "_embedded": ["errors": errors]], status: .unprocessableContent)
    }

    static func execution(_ execution: ExecutionRecord, database: GatehouseDatabase, withTasks: Bool = true) throws -> [String: Any] {
        var object: [String: Any] = [
            "id": execution.id, "namespace": execution.namespace, "flowId": execution.flowId, "flowRevision": execution.flowRevision,
            "state": ["current": execution.state, "histories": json(execution.histories)],
            "inputs": json(PebbleValue.storedJSON(execution.inputs), redacting: true),
            "outputs": execution.outputs.map { json(PebbleValue.storedJSON($0)) } ?? [:],
            "labels": (PebbleValue.storedJSON(execution.labels).mapValue?.pairs ?? []).map {
                ["key": $0.key, "value": $0.value.stringValue ?? $0.value.json]
            },
            "requester": execution.requester,
        ]
        if let error = execution.error { object["error"] = error }
        if withTasks {
            let attempts = Dictionary(grouping: try database.attempts(ofExecution: execution.id), by: \.taskRunId)
            object["taskRunList"] = try database.taskRuns(of: execution.id).map { run -> [String: Any] in
                var item: [String: Any] = [
                    "id": run.id, "taskId": run.taskId, "state": ["current": run.state, "histories": json(run.histories)],
                    "attempts": (attempts[run.id] ?? []).map { ["state": ["current": $0.state]] },
                    "outputs": run.outputs.map { json(PebbleValue.storedJSON($0)) } ?? [:],
                ]
                if let value = run.value { item["value"] = value }
                if let parent = run.parentTaskRunId { item["parentTaskRunId"] = parent }
                return item
            }
        }
        return object
    }

    private static func json(_ text: String) -> Any {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) ?? []
    }

    static func json(_ value: PebbleValue, redacting: Bool = false) -> Any {
        let shown = redacting ? SecretInputCipher.redacted(value) : value
        return (try? JSONSerialization.jsonObject(with: Data(shown.json.utf8), options: [.fragmentsAllowed])) ?? NSNull()
    }
}
