import Engine
import Foundation
import Hummingbird
import Store

/// The execution page's live feed, as Server-Sent Events: `log` events with each new log line (its id is the event id,
/// so a reconnecting browser resumes with `Last-Event-ID`), `task` with a row of the Tasks table when a task run starts
/// or changes, `state` when the execution's state changes, and `end` once it
/// has ended and every line was sent. The store is polled; a stream lasts at most `maximumDuration`, after which the
/// browser reconnects by itself.
struct ExecutionEvents: Sendable {
    let database: GatehouseDatabase
    static let pollInterval: Duration = .milliseconds(250)
    static let heartbeat: Duration = .seconds(15)
    static let maximumDuration: Duration = .seconds(600)

    func response(for executionId: String, after lastEventId: Int64) -> Response {
        let database = self.database
        let body = ResponseBody { writer in
            var cursor = lastEventId
            var state: String?
            var taskRows: [String: [String: String]] = [:]
            let started = ContinuousClock.now
            var lastWrite = ContinuousClock.now
            while ContinuousClock.now - started < Self.maximumDuration {
                var text = ""
                guard let execution = try database.execution(executionId) else { break }
                let lines = try database.logs(of: executionId, after: cursor).prefix(500)
                let tasks = lines.isEmpty ? [:] : Dictionary(try database.taskRuns(of: executionId).map { ($0.id, $0.taskId) }) { first, _ in first }
                for line in lines {
                    cursor = line.id ?? cursor
                    let task = line.taskRunId.flatMap { tasks[$0] } ?? ""
                    text += Self.event(
                        "log", id: cursor,
                        data: ["time": ISO8601.format(line.timestamp), "level": line.level, "task": task, "line": line.line])
                }
                if execution.state != state {
                    state = execution.state
                    text += Self.event("state", data: ["state": execution.state])
                }
                let attempts = Dictionary(grouping: try database.attempts(ofExecution: executionId), by: \.taskRunId)
                for run in try database.taskRuns(of: executionId) {
                    let row = ExecutionRoutes.taskRow(run, attempts: attempts[run.id]?.count ?? 0)
                    guard taskRows[run.id] != row else { continue }
                    taskRows[run.id] = row
                    text += Self.event("task", data: row)
                }
                let ended = ExecutionRoutes.ended.contains(execution.state)
                if ended, try database.logs(of: executionId, after: cursor).isEmpty {
                    text += Self.event("end", data: ["state": execution.state])
                    try await writer.write(ByteBuffer(string: text))
                    break
                }
                if text.isEmpty, ContinuousClock.now - lastWrite >= Self.heartbeat { text = ": still here\n\n" }
                if !text.isEmpty {
                    try await writer.write(ByteBuffer(string: text))
                    lastWrite = .now
                }
                try await Task.sleep(for: Self.pollInterval)
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok, headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store"], body: body)
    }

    /// One event; `data` is JSON, so a log line's newlines cannot break the stream's framing.
    static func event(_ name: String, id: Int64? = nil, data: [String: String]) -> String {
        let json = (try? JSONSerialization.data(withJSONObject: data, options: [.sortedKeys])).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return (id.map { "id: \($0)\n" } ?? "") + "event: \(name)\ndata: \(json)\n\n"
    }
}
