import Engine
import Foundation
import Hummingbird
import Pebble
import Store

/// The executions API under `/api/v1`, after Kestra's: create (multipart inputs), validate, get, search, logs, kill and
/// resume. Bearer tokens or a session (with the CSRF header) authenticate; the same visibility rules as the pages apply.
/// The segment after `executions/` is a namespace for some routes and an execution id for others, as in Kestra; the
/// router needs one parameter name there, `ref`.
struct ExecutionAPIRoutes: Sendable {
    let catalog: FlowCatalog
    let runner: FlowRunner
    var database: GatehouseDatabase { runner.database }

    func add(to group: RouterGroup<GatehouseRequestContext>) {
        group.post("/api/v1/executions/{ref}/{flowId}") { request, context in
            guard let user = context.user, user.has(.requester) else {
                throw HTTPError(.forbidden, message: "starting a flow needs the role requester")
            }
            let deployed = try flow(context)
            // Kestra answers 409 for a disabled flow; the request form refuses it too.
            guard !deployed.flow.disabled else {
                throw HTTPError(.conflict, message: "Cannot execute disabled flow '\(deployed.flow.namespace).\(deployed.flow.id)'")
            }
            let form = try await SubmittedForm.read(request)
            let uploads = InputUploads(storage: FileStorage(dataDirectory: runner.settings.dataDirectory), deployed: deployed)
            let submitted = form.submissions().merging(try uploads.store(form)) { _, file in file }
            let resolution = runner.resolveInputs(of: deployed, submitted: submitted)
            guard resolution.isValid else {
                uploads.discard()
                return APIJSON.invalidInputs(resolution)
            }
            let execution = try runner.submit(deployed, resolution: resolution, requester: user.name, id: uploads.executionId)
            return APIJSON.response(try APIJSON.execution(execution, database: database))
        }
        group.post("/api/v1/executions/{ref}/{flowId}/validate") { request, context in
            let deployed = try flow(context)
            let resolution = runner.resolveInputs(of: deployed, submitted: try await SubmittedForm.read(request).submissions())
            return APIJSON.response([
                "id": deployed.flow.id, "namespace": deployed.flow.namespace,
                "inputs": resolution.inputs.map { input -> [String: Any] in
                    [
                        "input": ["id": input.id, "type": input.declaration.declaredType, "required": input.declaration.required],
                        "value": input.declaration.type == .secret && input.value != nil ? "******" as Any : APIJSON.json(input.value ?? .null),
                        "enabled": input.enabled, "errors": input.errors.map { ["message": $0] },
                    ]
                },
            ])
        }
        group.get("/api/v1/executions/search") { request, context in
            let user = try signedIn(context)
            let query = request.uri.queryParameters
            let size = min(max(query.get("size").flatMap(Int.init) ?? 25, 1), 500)
            let requester = user.has(.auditor) ? query.get("requester") : user.name
            let page = max(query.get("page").flatMap(Int.init) ?? 1, 1)
            let filter = GatehouseDatabase.ExecutionFilter(
                state: query.get("state"), requester: requester, namespace: query.get("namespace"), flowId: query.get("flowId"))
            let (total, rows) = try database.executions(matching: filter, offset: (page - 1) * size, limit: size)
            return APIJSON.response([
                "total": total, "results": try rows.map { try APIJSON.execution($0, database: database, withTasks: false) },
            ])
        }
        group.get("/api/v1/executions/{ref}") { _, context in
            APIJSON.response(try APIJSON.execution(try visible(context), database: database))
        }
        group.get("/api/v1/logs/{ref}") { _, context in
            let execution = try visible(context)
            let names = Dictionary(try database.taskRuns(of: execution.id).map { ($0.id, $0.taskId) }) { first, _ in first }
            return APIJSON.response(
                try database.logs(of: execution.id).map { line -> [String: Any] in
                    [
                        "timestamp": ISO8601.format(line.timestamp), "level": line.level, "message": line.line,
                        "taskId": line.taskRunId.flatMap { names[$0] } ?? NSNull(), "taskRunId": line.taskRunId ?? NSNull(),
                        "attemptNumber": line.attempt ?? NSNull(),
                    ]
                })
        }
        group.delete("/api/v1/executions/{ref}/kill") { _, context in
            let execution = try visible(context)
            let user = try signedIn(context)
            guard user.has(.admin) || execution.requester == user.name else {
                throw HTTPError(.forbidden, message: "only the requester or an admin can kill this execution")
            }
            do {
                _ = try runner.kill(executionId: execution.id, by: user.name, driveNow: false)
            } catch let error as RunError {
                throw HTTPError(.conflict, message: error.description)
            }
            return Response(status: .accepted)
        }
        // Approve (Kestra's resume) and reject: the flow's approval policy, not a role, says who may (someone it does not
        // name cannot see the paused execution: 404); the engine applies it again with the four-eyes rule and quorum.
        group.post("/api/v1/executions/{ref}/resume") { request, context in
            let execution = try visible(context)
            let user = try signedIn(context)
            let form = try await SubmittedForm.read(request)
            return try decide(execution, user: user, approve: true, form: form)
        }
        group.post("/api/v1/executions/{ref}/reject") { request, context in
            let execution = try visible(context)
            let user = try signedIn(context)
            let form = try await SubmittedForm.read(request)
            return try decide(execution, user: user, approve: false, form: form)
        }
    }

    private func decide(_ execution: ExecutionRecord, user: SignedInUser, approve: Bool, form: SubmittedForm) throws -> Response {
        do {
            _ = try runner.decide(
                executionId: execution.id, inputs: approve ? form.submissions() : [:], decider: user.decider, approve: approve,
                comment: form.textFields["_comment"], shownPlanSHA256: form.textFields["_planSHA256"], driveNow: false)
        } catch RunError.notPaused(let message) {
            throw HTTPError(.conflict, message: message)
        } catch RunError.refused(let message) {
            throw HTTPError(.forbidden, message: message)
        } catch RunError.invalidInputs(let errors) {
            return APIJSON.response(
                ["message": "Invalid entity: " + (errors.first ?? ""), "_embedded": ["errors": errors.map { ["message": $0] }]],
                status: .unprocessableContent)
        }
        return Response(status: .noContent)
    }

    private func signedIn(_ context: GatehouseRequestContext) throws -> SignedInUser {
        guard let user = context.user else { throw HTTPError(.unauthorized, message: "sign in or send an API token") }
        return user
    }

    private func visible(_ context: GatehouseRequestContext) throws -> ExecutionRecord {
        let id = context.parameters.get("ref") ?? ""
        guard let execution = try database.execution(id), try ExecutionRoutes.canSee(execution, try signedIn(context), runner: runner) else {
            throw HTTPError(.notFound, message: "Execution '\(id)' not found")
        }
        return execution
    }

    private func flow(_ context: GatehouseRequestContext) throws -> DeployedFlow {
        let namespace = context.parameters.get("ref") ?? ""
        let flowId = context.parameters.get("flowId") ?? ""
        guard let deployed = catalog.deployed(namespace: namespace, id: flowId) else {
            throw HTTPError(.notFound, message: "Flow '\(namespace).\(flowId)' not found")
        }
        return deployed
    }
}
