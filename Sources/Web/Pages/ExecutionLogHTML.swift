import Engine
import Foundation
import Notify
import Store

/// The log lines of the execution page as HTML, written here instead of by the template: a page holds up to 2,000
/// lines, and Mustache's per-line lookups of six values and its escaper made a 1,000-line page cost 17 ms of CPU
/// (BENCHMARKS.md). The markup is what the template wrote, and what execution.js adds for lines that arrive live;
/// every value is escaped.
enum ExecutionLogHTML {
    static func html(_ lines: some Collection<LogLineRecord>, taskNames: [String: String]) -> String {
        var html = ""
        html.reserveCapacity(lines.count * 160)
        for line in lines {
            let level = line.level == "ERROR" ? "level-error" : line.level == "WARN" ? "level-warn" : ""
            html += "<li class=\"\(level)\"><time>\(ISO8601.format(line.timestamp))</time> "
            html += "<span class=\"level\">\(HTMLText.escape(line.level))</span> "
            html += "<span class=\"task\">\(HTMLText.escape(line.taskRunId.flatMap { taskNames[$0] } ?? ""))</span> "
            html += "<span class=\"line\">\(HTMLText.escape(line.line))</span></li>"
        }
        return html
    }
}
