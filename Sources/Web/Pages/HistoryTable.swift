import Foundation
import Notify
import Store

/// The body rows of the history table, written as HTML here instead of by the template: Mustache looks each of a
/// row's nine values up through its context stack and casts it, which for 50 rows was a third of a page's CPU.
/// Every value is escaped with the same escaper the e-mails use.
enum HistoryTable {
    static func html(_ rows: [HistoryRow]) -> String {
        var html = ""
        html.reserveCapacity(rows.count * 600)
        for row in rows { append(row, to: &html) }
        return html
    }

    private static func append(_ row: HistoryRow, to html: inout String) {
        let execution = row.execution
        let id = HTMLText.escape(execution.id)
        let state = HTMLText.escape(execution.state)
        let duration = execution.endedAt.map { DurationText.short($0.timeIntervalSince(execution.createdAt)) } ?? ""
        html += "<tr><td><a href=\"/executions/\(id)\"><code>\(id)</code></a></td>"
        html += "<td>\(HTMLText.escape(execution.namespace)).\(HTMLText.escape(execution.flowId))</td>"
        html += "<td>\(HTMLText.escape(execution.requester))</td>"
        html += "<td><span class=\"state state-\(state.lowercased())\">\(state)</span></td>"
        html += "<td><time>\(HistoryExport.timestamp(execution.createdAt))</time></td><td>\(duration)</td>"
        html += "<td>\(HTMLText.escape(row.approvers.joined(separator: ", ")))</td>"
        html += "<td class=\"inputs\"><code>\(HTMLText.escape(InputsSummary.text(execution.inputs)))</code></td></tr>\n"
    }
}
