import Engine
import Foundation
import Hummingbird
import Store

/// The audit log for auditors and admins: newest first, 50 a page, filtered by actor, action prefix, execution and
/// dates. The next page starts below the last sequence shown (keyset paging), so it stays fast at any size.
struct AuditRoutes: Sendable {
    let database: GatehouseDatabase
    let views: Views
    static let pageSize = 50
    /// Details longer than this, or spanning lines (a flow's diff), are folded behind a summary.
    static let foldLength = 160

    func add(to group: RouterGroup<GatehouseRequestContext>) {
        group.get("/audit") { request, context in try page(request, context) }
    }

    private func page(_ request: Request, _ context: GatehouseRequestContext) throws -> Response {
        let query = request.uri.queryParameters
        func text(_ name: String) -> String? {
            guard let value = query.get(name)?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
            return String(value.prefix(200))
        }
        var filter = AuditFilter(actor: text("actor"), actionPrefix: text("action"), executionId: text("execution"))
        var problems: [String] = []
        if let from = text("from") {
            if let date = AuditFilter.parseTime(from) {
                filter.from = date
            } else {
                problems.append("“From” must be a day (2026-01-31) or an ISO 8601 time.")
            }
        }
        if let to = text("to") {
            // A day is inclusive: “to 2026-01-31” keeps the events of the 31st.
            if let date = AuditFilter.parseTime(to) {
                filter.until = to.count == 10 ? date.addingTimeInterval(86_400) : date
            } else {
                problems.append("“To” must be a day (2026-01-31) or an ISO 8601 time.")
            }
        }
        var before: Int64?
        if let cursor = text("before") {
            guard let sequence = Int64(cursor), sequence > 0 else { throw HTTPError(.badRequest, message: "`before` must be an event number.") }
            before = sequence
        }

        var data: [String: Any] = [
            "actor": text("actor") ?? "", "action": text("action") ?? "", "execution": text("execution") ?? "", "from": text("from") ?? "",
            "to": text("to") ?? "",
        ]
        guard problems.isEmpty else {
            data["errors"] = problems
            data["empty"] = true
            return views.page("audit", title: "Audit log", context: context, data: data, status: .badRequest)
        }
        let rows = try database.auditEvents(matching: filter, before: before, limit: Self.pageSize + 1)
        let shown = rows.prefix(Self.pageSize)
        data["events"] = shown.map(Self.row)
        data["empty"] = shown.isEmpty
        data["filtered"] = before != nil || ["actor", "action", "execution", "from", "to"].contains { text($0) != nil }
        if rows.count > Self.pageSize, let last = shown.last?.sequence {
            var items = [URLQueryItem(name: "before", value: String(last))]
            for name in ["actor", "action", "execution", "from", "to"] {
                if let value = text(name) { items.append(URLQueryItem(name: name, value: value)) }
            }
            var components = URLComponents()
            components.path = "/audit"
            components.queryItems = items
            data["next"] = components.string ?? "/audit?before=\(last)"
        }
        return views.page("audit", title: "Audit log", context: context, data: data)
    }

    /// One event as the template shows it; every value is text that Mustache escapes.
    static func row(_ event: AuditEvent) -> [String: Any] {
        let object = (try? JSONSerialization.jsonObject(with: Data(event.details.utf8))) as? [String: Any]
        let fields = (object ?? ["details": event.details]).sorted { $0.key < $1.key }.map { key, value -> [String: Any] in
            let text = Self.text(value)
            return ["name": key, "value": text, "multiline": text.contains("\n")]
        }
        let folded = event.details.count > foldLength || fields.contains { $0["multiline"] as? Bool == true }
        var row: [String: Any] = [
            "sequence": String(event.sequence ?? 0), "time": ISO8601.format(event.at), "actor": event.actor, "action": event.action,
            "fields": fields, "folded": folded, "subject": subject(event, object ?? [:]),
        ]
        if folded { row["summary"] = String(fields.map { "\($0["name"] ?? ""): \($0["value"] ?? "")" }.joined(separator: ", ").prefix(100)) + "…" }
        if let id = event.executionId { row["executionId"] = id }
        return row
    }

    /// What the event is about besides an execution: a flow, a user, a token.
    static func subject(_ event: AuditEvent, _ details: [String: Any]) -> String {
        if event.action.hasPrefix("flow."), let namespace = details["namespace"] as? String, let flow = details["flow"] as? String {
            return "\(namespace).\(flow)"
        }
        if let user = details["user"] as? String {
            if let token = details["token"] as? String { return "\(user) · token \(token)" }
            return user
        }
        return ""
    }

    static func text(_ value: Any) -> String {
        if let string = value as? String { return string }
        guard JSONSerialization.isValidJSONObject(value),
            let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return "\(value)" }
        return String(decoding: data, as: UTF8.self)
    }
}
