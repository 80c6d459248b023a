import Engine
import Foundation
import HTTPTypes
import Hummingbird
import Pebble
import Store

/// The execution page: state, who asked, inputs (SECRET ones as ******), labels, the task runs with their attempts and
/// durations, outputs and the log. Requesters see their own executions; the people a flow's approval policy names also
/// its executions waiting for a decision, and anyone those they decided; auditors and admins see all. Anyone else gets
/// 404, so ids cannot be probed.
struct ExecutionRoutes: Sendable {
    let database: GatehouseDatabase
    let views: Views
    static let logLimit = 2_000
    static let ended: Set<String> = ["SUCCESS", "WARNING", "FAILED", "KILLED", "CANCELLED"]

    let runner: FlowRunner

    func add(to group: RouterGroup<GatehouseRequestContext>) {
        // Cancel: the requester and admins; a running task is stopped, a paused or queued execution ends at once.
        group.post("/executions/{id}/kill") { _, context in
            let execution = try visibleExecution(context)
            guard let user = context.user, user.has(.admin) || execution.requester == user.name else {
                throw HTTPError(.forbidden, message: "Only the requester or an admin can cancel this execution.")
            }
            do {
                _ = try runner.kill(executionId: execution.id, by: user.name, driveNow: false)
            } catch let error as RunError {
                throw HTTPError(.conflict, message: error.description)
            }
            return Views.redirect(to: "/executions/\(execution.id)")
        }
        group.get("/executions/{id}/events") { request, context in
            let execution = try visibleExecution(context)
            let last = request.headers[HTTPField.Name("Last-Event-ID")!].flatMap { Int64($0) } ?? 0
            return ExecutionEvents(database: database).response(for: execution.id, after: last)
        }
        // The whole log as text, for download: every line, not only the page's last ones.
        group.get("/executions/{id}/log.txt") { _, context in
            let execution = try visibleExecution(context)
            let names = Dictionary(try database.taskRuns(of: execution.id).map { ($0.id, $0.taskId) }, uniquingKeysWith: { first, _ in first })
            let text = try database.logs(of: execution.id).map { line in
                "\(ISO8601.format(line.timestamp)) \(line.level) [\(line.taskRunId.flatMap { names[$0] } ?? "")] \(line.line)\n"
            }.joined()
            return Response(
                status: .ok,
                headers: [
                    .contentType: "text/plain; charset=utf-8",
                    .contentDisposition: "attachment; filename=\"\(execution.flowId)-\(execution.id).log\"",
                ], body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        // Kestra's UI address of an execution, which flows moved from Kestra build from `{{ kestra.url }}`; the page
        // itself decides who may see it, so the redirect tells nothing about whether the execution exists.
        for path in ["/ui/executions/{namespace}/{flowId}/{id}", "/ui/executions/{namespace}/{flowId}/{id}/{tab}"] {
            group.get(RouterPath(path)) { _, context in
                Views.redirect(
                    to: "/executions/" + ((context.parameters.get("id") ?? "").addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""))
            }
        }
        group.get("/executions/{id}") { request, context in
            let execution = try visibleExecution(context)
            let panel = context.user.flatMap { ApprovalPanel(runner: runner).data(for: execution, user: $0) }
            return try page(execution, request: request, context: context, approval: panel)
        }
    }

    /// The execution page; `approval` is the approval panel's values (with a decision's errors after a failed post).
    func page(
        _ execution: ExecutionRecord, request: Request, context: GatehouseRequestContext, approval: [String: Any]?,
        status: HTTPResponse.Status = .ok
    ) throws -> Response {
        let runs = try database.taskRuns(of: execution.id)
        let attempts = Dictionary(grouping: try database.attempts(ofExecution: execution.id), by: \.taskRunId)
        let names = Dictionary(runs.map { ($0.id, $0.taskId) }, uniquingKeysWith: { first, _ in first })
        // Filters work without JavaScript: a GET form on the page sets them.
        let taskFilter = request.uri.queryParameters.get("task").flatMap { $0.isEmpty ? nil : $0 }
        let levelFilter = request.uri.queryParameters.get("level").flatMap { $0.isEmpty ? nil : $0.uppercased() }
        let stored = try database.logs(of: execution.id).filter { line in
            (taskFilter == nil || line.taskRunId.flatMap { names[$0] } == taskFilter)
                && (levelFilter == nil || LogLevel.rank(line.level) >= LogLevel.rank(levelFilter!))
        }.suffix(Self.logLimit)
        let outputs = Self.pairs(execution.outputs.map(PebbleValue.storedJSON) ?? .null)
        var data: [String: Any] = [
            "execution": [
                "id": execution.id, "flow": "\(execution.namespace).\(execution.flowId)", "revision": execution.flowRevision,
                "state": execution.state, "stateClass": execution.state.lowercased(), "requester": execution.requester,
                "created": ISO8601.format(execution.createdAt), "ended": Views.optional(execution.endedAt.map(ISO8601.format)),
                "error": Views.optional(execution.error),
            ],
            "inputs": Self.pairs(SecretInputCipher.redacted(PebbleValue.storedJSON(execution.inputs))),
            "outputs": outputs, "hasOutputs": !outputs.isEmpty,
            "labels": Self.pairs(PebbleValue.storedJSON(execution.labels)),
            "taskRuns": runs.map { run -> [String: Any] in
                Self.taskRow(run, attempts: attempts[run.id]?.count ?? 0).merging(["stateClass": run.state.lowercased()]) { first, _ in first }
            },
            "canCancel": !ExecutionRoutes.ended.contains(execution.state) && execution.state != "KILLING"
                && (context.user?.has(.admin) == true || context.user?.name == execution.requester),
            "logsHTML": ExecutionLogHTML.html(stored, taskNames: names), "hasLogs": !stored.isEmpty, "lastLogId": stored.last?.id ?? 0,
            "isFiltered": taskFilter != nil || levelFilter != nil,
            "taskOptions": Array(Set(runs.map(\.taskId))).sorted().map { ["name": $0, "selected": $0 == taskFilter] as [String: Any] },
            "levelOptions": LogLevel.order.map { ["name": $0, "selected": $0 == levelFilter] as [String: Any] },
            "isRunning": !Self.ended.contains(execution.state),
        ]
        if let approval { data["approval"] = approval }
        return views.page("execution", title: "Execution \(execution.id)", context: context, data: data, status: status)
    }

    func visibleExecution(_ context: GatehouseRequestContext) throws -> ExecutionRecord {
        let id = context.parameters.get("id") ?? ""
        guard let execution = try database.execution(id), let user = context.user, try Self.canSee(execution, user, runner: runner) else {
            throw HTTPError(.notFound, message: "There is no execution \(id) you may see.")
        }
        return execution
    }

    /// Auditors (and admins) see every execution, requesters their own, anyone the ones they decided on, and a paused
    /// execution is seen by the people its flow's approval policy names, who may decide it.
    static func canSee(_ execution: ExecutionRecord, _ user: SignedInUser, runner: FlowRunner) throws -> Bool {
        if user.has(.auditor) || execution.requester == user.name { return true }
        if try runner.database.approvals(of: execution.id).contains(where: { $0.decidedBy == user.name }) { return true }
        return ApprovalAccess.policyNames(user, execution, runner: runner)
    }

    /// A value's top-level entries as label/value pairs; nested values as JSON.
    static func pairs(_ value: PebbleValue) -> [[String: String]] {
        guard case .map(let map) = value else { return [] }
        return map.pairs.map { ["name": $0.key, "value": $0.value.stringValue ?? $0.value.json] }
    }

    /// A row of the Tasks table, as the page renders it and the live feed sends it.
    static func taskRow(_ run: TaskRunRecord, attempts: Int) -> [String: String] {
        [
            "id": run.id, "task": run.taskId, "value": run.value ?? "", "state": run.state, "attempts": String(attempts),
            "duration": run.endedAt.map { DurationText.short($0.timeIntervalSince(run.createdAt)) } ?? "",
        ]
    }
}
