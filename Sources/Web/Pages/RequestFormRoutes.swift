import Engine
import FlowModel
import Foundation
import Hummingbird

/// The request form generated from a flow's inputs, and its submission. Every field is checked by the engine's one
/// input resolver; all errors show at once, next to their fields, with what was typed kept (except secrets). Without
/// JavaScript, "Update the form" re-evaluates `dependsOn` without submitting.
struct RequestFormRoutes: Sendable {
    let catalog: FlowCatalog
    let runner: FlowRunner
    let views: Views
    let submissions: SubmissionGuard
    let formPages: FormPageCache

    func add(to group: RouterGroup<GatehouseRequestContext>) {
        group.get("/flows/{namespace}/{flowId}/request") { _, context in
            let deployed = try flow(context)
            guard FormPageCache.isStatic(deployed.flow), let user = context.user else {
                return page(deployed, runner.resolveInputs(of: deployed, submitted: [:]), context: context, showErrors: false)
            }
            let key = [
                deployed.flow.namespace, deployed.flow.id, String(deployed.revision), deployed.origin, user.name,
                user.roles.map(\.rawValue).sorted().joined(separator: ","), String(views.pendingApprovals(user)),
                // The navigation's Approvals link depends on every deployed flow's policy, not only this flow's revision.
                String(views.showsApprovals(user)),
            ].joined(separator: "\u{1}")
            let html = formPages.page(key: key, csrf: context.csrfToken, submission: Accounts.randomToken()) {
                let resolution = runner.resolveInputs(of: deployed, submitted: [:])
                let data = pageData(deployed, resolution, showErrors: false, submission: FormPageCache.submissionPlaceholder)
                return views.html(
                    "request", title: "Request \(CatalogRoutes.displayName(deployed.flow))", context: context, data: data,
                    csrf: FormPageCache.csrfPlaceholder)
            }
            return Views.response(html)
        }
        group.post("/flows/{namespace}/{flowId}/request") { request, context in
            let deployed = try flow(context)
            // Flows with FILE inputs post multipart forms (their CSRF token rides in the address); others URL-encoded.
            let posted = try await SubmittedForm.read(request)
            let form = posted.textFields
            let uploads = InputUploads(storage: FileStorage(dataDirectory: runner.settings.dataDirectory), deployed: deployed)
            let refresh = form["_refresh"] != nil
            let files = refresh ? [:] : try uploads.store(posted)
            let submitted = FormFieldView.submissions(form, declarations: deployed.flow.inputs).merging(files) { _, file in file }
            let resolution = runner.resolveInputs(of: deployed, submitted: submitted)
            if refresh { return page(deployed, resolution, context: context, showErrors: false) }
            guard resolution.isValid else {
                uploads.discard()
                return page(deployed, resolution, context: context, showErrors: true, status: .unprocessableContent)
            }
            let token = form["_submission"] ?? ""
            let user = context.user?.name ?? "anonymous"
            let execution = try submissions.once(token: token, user: user) {
                try runner.submit(deployed, resolution: resolution, requester: user, id: uploads.executionId).id
            }
            return Views.redirect(to: "/executions/\(execution)")
        }
    }

    private func flow(_ context: GatehouseRequestContext) throws -> DeployedFlow {
        let namespace = context.parameters.get("namespace") ?? ""
        let flowId = context.parameters.get("flowId") ?? ""
        guard let deployed = catalog.deployed(namespace: namespace, id: flowId), !deployed.flow.disabled
        else {
            throw HTTPError(.notFound, message: "There is no flow \(namespace).\(flowId) to request.")
        }
        return deployed
    }

    private func page(
        _ deployed: DeployedFlow, _ resolution: InputResolution, context: GatehouseRequestContext, showErrors: Bool, status: HTTPResponse.Status = .ok
    ) -> Response {
        let data = pageData(deployed, resolution, showErrors: showErrors, submission: Accounts.randomToken())
        return views.page("request", title: "Request \(CatalogRoutes.displayName(deployed.flow))", context: context, data: data, status: status)
    }

    private func pageData(_ deployed: DeployedFlow, _ resolution: InputResolution, showErrors: Bool, submission: String) -> [String: Any] {
        let flow = deployed.flow
        let unlabelled = showErrors ? resolution.inputs.filter { !$0.enabled && !$0.errors.isEmpty }.flatMap(\.errors) : []
        let data: [String: Any] = [
            "flow": [
                "id": flow.id, "namespace": flow.namespace, "name": CatalogRoutes.displayName(flow),
                "descriptionHTML": Views.optional(SafeMarkdown.html(flow.description ?? "", headingLevel: 2)),
            ],
            "fields": FormFieldView.fields(resolution.inputs, showErrors: showErrors),
            "hasErrors": showErrors && !resolution.isValid, "otherErrors": unlabelled, "hasOtherErrors": !unlabelled.isEmpty,
            "submission": submission,
            "hasDependencies": flow.inputs.contains { $0.dependsOn != nil },
            "hasFiles": !InputUploads.fileInputs(flow.inputs).isEmpty,
        ]
        return data
    }
}

/// Makes a double-clicked or resent form create one execution: each rendered form carries a random submission token,
/// and a token seen before leads to the execution it created. Kept in memory for the last 10,000 submissions; a
/// resend across a restart is not caught.
final class SubmissionGuard: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [String: String] = [:]
    private var order: [String] = []
    static let capacity = 10_000

    func once(token: String, user: String, _ create: () throws -> String) throws -> String {
        guard !token.isEmpty else { return try create() }
        let key = user + "|" + token
        // Holding the lock while creating serialises two clicks of the same form, so the second sees the first's result.
        return try lock.withLock {
            if let existing = seen[key] { return existing }
            let id = try create()
            seen[key] = id
            order.append(key)
            if order.count > Self.capacity { seen.removeValue(forKey: order.removeFirst()) }
            return id
        }
    }
}
