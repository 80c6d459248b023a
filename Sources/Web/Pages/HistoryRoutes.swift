import Engine
import Foundation
import Hummingbird
import Store

/// The history for auditors and admins: every execution, filtered by a GET form (works without JavaScript), 50 a page
/// in keyset order, with links to the previous and next pages and to the filtered set as CSV or JSON, streamed.
struct HistoryRoutes: Sendable {
    let database: GatehouseDatabase
    let views: Views
    static let pageSize = 50
    static let states = ["CREATED", "QUEUED", "RUNNING", "PAUSED", "RETRYING", "SUCCESS", "WARNING", "FAILED", "KILLING", "KILLED", "CANCELLED"]

    func add(to group: RouterGroup<GatehouseRequestContext>) {
        group.get("/history") { request, context in
            var filters = HistoryFilters(queryString: request.uri.query)
            let after = filters.cursor("after")
            let before = filters.cursor("before")
            let page = try database.history(filters.query, after: after, before: after == nil ? before : nil, limit: Self.pageSize)
            let base = filters.linkQuery
            var data: [String: Any] = [
                "rowsHTML": HistoryTable.html(page.rows), "empty": page.rows.isEmpty, "problems": filters.problems, "form": Self.form(filters),
                "csv": "/history.csv" + (base.isEmpty ? "" : "?" + base), "json": "/history.json" + (base.isEmpty ? "" : "?" + base),
                "scanStopped": page.scanStopped, "examined": String(GatehouseDatabase.historyExaminedLimit),
            ]
            let prefix = "/history?" + (base.isEmpty ? "" : base + "&")
            if let next = page.next { data["next"] = prefix + "after=" + next.token }
            if let previous = page.previous { data["previous"] = prefix + "before=" + previous.token }
            return views.page("history", title: "History", context: context, data: data)
        }
        group.get("/history.csv") { request, _ in
            HistoryExport(database: database, query: try Self.exportQuery(request)).csv()
        }
        group.get("/history.json") { request, _ in
            HistoryExport(database: database, query: try Self.exportQuery(request)).json()
        }
    }

    /// An export of a set the person did not ask for would mislead: damaged filters are refused, not ignored.
    static func exportQuery(_ request: Request) throws -> HistoryQuery {
        let filters = HistoryFilters(queryString: request.uri.query)
        guard filters.problems.isEmpty else { throw HTTPError(.badRequest, message: filters.problems.joined(separator: " ")) }
        return filters.query
    }

    /// The form's current values, and the choices of its selects with the chosen ones marked.
    static func form(_ filters: HistoryFilters) -> [String: Any] {
        var form: [String: Any] = [:]
        for name in ["flow", "namespace", "requester", "approver", "from", "to", "label", "q"] { form[name] = filters.first(name) ?? "" }
        let chosen = Set(filters.query.states)
        form["states"] = states.map { ["value": $0, "selected": chosen.contains($0)] }
        let labels: [HistoryQuery.Sort: String] = [.newest: "Newest first", .oldest: "Oldest first", .flow: "By flow", .state: "By state"]
        form["sorts"] = HistoryQuery.Sort.allCases.map {
            ["value": $0.rawValue, "label": labels[$0] ?? $0.rawValue, "selected": $0 == filters.query.sort]
        }
        return form
    }
}
