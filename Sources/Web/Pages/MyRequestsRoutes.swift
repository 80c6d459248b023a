import Engine
import Foundation
import Hummingbird
import Store

/// "My requests": the signed-in user's executions, newest first, 50 a page; the next page starts after the last row
/// shown (keyset paging, so it stays fast however many there are).
struct MyRequestsRoutes: Sendable {
    let database: GatehouseDatabase
    let views: Views
    static let pageSize = 50

    func add(to group: RouterGroup<GatehouseRequestContext>) {
        group.get("/requests") { request, context in
            let user = context.user?.name ?? ""
            var before: (date: Date, id: String)?
            if let cursor = request.uri.queryParameters.get("after"), let separator = cursor.lastIndex(of: "~"),
                let millis = Double(cursor[..<separator])
            {
                before = (Date(timeIntervalSince1970: millis / 1000), String(cursor[cursor.index(after: separator)...]))
            }
            let rows = try database.executions(requester: user, before: before, limit: Self.pageSize + 1)
            let shown = rows.prefix(Self.pageSize)
            let items = shown.map { execution -> [String: Any] in
                [
                    "id": execution.id, "flow": "\(execution.namespace).\(execution.flowId)", "state": execution.state,
                    "stateClass": execution.state.lowercased(), "created": ISO8601.format(execution.createdAt),
                ]
            }
            var data: [String: Any] = ["executions": items, "empty": items.isEmpty]
            if rows.count > Self.pageSize, let last = shown.last {
                data["next"] = "/requests?after=\(Int64((last.createdAt.timeIntervalSince1970 * 1000).rounded()))~\(last.id)"
            }
            return views.page("requests", title: "My requests", context: context, data: data)
        }
    }
}
