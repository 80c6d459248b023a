import FlowModel
import Foundation
import Notify
import Pebble
import Store

/// Sends approval notices through the server's channels: e-mail with `GATEHOUSE_SMTP_*` (from `GATEHOUSE_SMTP_FROM`)
/// and Slack with `GATEHOUSE_SLACK_WEBHOOK_URL`. A channel that is not configured is skipped; what was sent, or why
/// not, goes into the execution's log. Links lead to the signed-in execution page: nothing is approved by a GET.
struct ApprovalNotifier {
    let runner: FlowRunner

    /// Sends one notice; a reminder schedules the next one while the execution still waits.
    func send(_ item: WorkItemRecord) throws {
        guard let executionId = item.executionId, let execution = try runner.database.execution(executionId) else { return }
        let payload = PebbleValue.storedJSON(item.payload).mapValue
        guard let notice = payload?["notice"]?.stringValue.flatMap(ApprovalNotice.init(rawValue:)) else { return }
        if notice != .rejected, execution.state != "PAUSED" { return }
        let flow = try runner.flow(of: execution)
        let policy = try runner.policy(of: flow)
        let link = TaskSettings.baseURL(runner.settings.environment) + "/executions/" + execution.id
        let name = "\(execution.namespace).\(execution.flowId)"
        let subject: String
        var lines: [String]
        let recipients: [UserRecord]
        switch notice {
        case .needed, .reminder:
            let waiting = ISO8601.format(execution.createdAt)
            subject = (notice == .reminder ? "Reminder: " : "") + "\(execution.requester) asks for approval of \(name)"
            lines = ["\(execution.requester) requested \(name) (execution \(execution.id)) and it waits for your decision since \(waiting)."]
            if let pending = try? runner.pendingApproval(execution.id), let plan = runner.planEvidence(pending) {
                let counts = plan.summary["counts"]?.mapValue
                let parts = ["create", "update", "replace", "delete"].map { "\(counts?[$0]?.rendered ?? "0") to \($0)" }
                lines.append("Terraform plan: " + parts.joined(separator: ", ") + ".")
            }
            if policy.quorum > 1 { lines.append("It needs \(policy.quorum) approvers.") }
            recipients = try runner.database.enabledUsers().filter { user in
                user.name != execution.requester
                    && policy.allows(Decider(name: user.name, roles: Set(user.roleNames), groups: Set(user.groupNames)))
            }
        case .rejected:
            let by = payload?["by"]?.stringValue ?? "an approver"
            subject = "Your request \(name) was rejected"
            lines = ["\(by) rejected your request \(name) (execution \(execution.id)).", "Reason: \(payload?["reason"]?.stringValue ?? "")"]
            recipients = try runner.database.user(named: execution.requester).map { [$0] } ?? []
        }
        lines.append("Open it (sign-in required): \(link)")
        var report = deliver(subject: subject, text: lines.joined(separator: "\n\n"), to: recipients.compactMap(\.email))
        if notice == .reminder || notice == .needed, let taskRunId = item.taskRunId {
            let due = runner.clock().addingTimeInterval(policy.remindAfter)
            let next = ApprovalNotice.reminder(executionId: execution.id, taskRunId: taskRunId, due: due)
            try runner.database.record(timers: [next])
            report += "; next reminder at \(ISO8601.format(next.dueAt))"
        }
        let line = LogLineRecord(
            executionId: execution.id, taskRunId: item.taskRunId, attempt: nil, timestamp: runner.clock(), level: "INFO",
            line: "\(notice.rawValue) notice: \(report)")
        try runner.database.record(logs: [line])
    }

    /// Sends the text by e-mail and to Slack; says what happened on each channel.
    func deliver(subject: String, text: String, to addresses: [String]) -> String {
        let environment = runner.settings.environment
        var outcomes: [String] = []
        do {
            let defaults = MailServerDefaults(environment: environment)
            if let configuration = try defaults.serverConfiguration(), !addresses.isEmpty {
                guard let from = environment["GATEHOUSE_SMTP_FROM"].flatMap(MailAddress.init(parsing:)) else {
                    throw PropertyError("GATEHOUSE_SMTP_FROM is not a valid address")
                }
                let message = MailMessage(
                    from: from, to: addresses.compactMap(MailAddress.init(parsing:)), subject: subject, plainText: text)
                try Self.blocking { try await SMTPClient(configuration: configuration).send(message) }
                outcomes.append("e-mailed \(addresses.joined(separator: ", "))")
            } else {
                outcomes.append(addresses.isEmpty ? "nobody to e-mail" : "no e-mail (GATEHOUSE_SMTP_HOST is not set)")
            }
        } catch {
            outcomes.append("e-mail failed: \(error)")
        }
        if let url = environment["GATEHOUSE_SLACK_WEBHOOK_URL"], !url.isEmpty {
            do {
                let payload = try SlackWebhook.payload(payload: nil, messageText: "*\(Self.slackEscaped(subject))*\n" + Self.slackEscaped(text))
                _ = try Self.blocking { try await SlackWebhook.post(url: url, payload: payload) }
                outcomes.append("posted to Slack")
            } catch {
                outcomes.append("Slack failed: \(error)")
            }
        }
        return outcomes.joined(separator: "; ")
    }

    /// Slack reads `<…>` as links and mentions; text from requesters must not ping a channel.
    static func slackEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// Runs outbound I/O from a worker thread on ``OutboundIOExecutor`` and waits for it (at most a minute).
    static func blocking<Value: Sendable>(_ work: @escaping @Sendable () async throws -> Value) throws -> Value {
        let deadline = Date().addingTimeInterval(60)
        guard let outcome = OutboundIOExecutor.wait(shouldStop: { Date() >= deadline }, work) else {
            throw PropertyError("the server did not answer within 60 s")
        }
        return try outcome.get()
    }
}
