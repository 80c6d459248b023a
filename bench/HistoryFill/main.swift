import Foundation
import GRDB
import Store

// Fills a data directory with realistic executions for the history benchmark (bench/history.sh): 8 flows in 4
// namespaces, 200 requesters, mixed states, labels, inputs with one sealed SECRET, and approvals (with their pause task
// runs) for the flows that need one. One transaction with prepared statements; the indexes are dropped first and built
// again at the end from the migrations' own definitions, which is several times faster than keeping them up to date.
// No ANALYZE: a real installation has no statistics either, and the benchmark should see the plans it would get.
// Usage: history-fill DATA_DIR [COUNT]   (COUNT defaults to 1,000,000; deterministic for a given COUNT)

/// A small deterministic generator (SplitMix64), so two fills of the same size are the same data.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: history-fill DATA_DIR [COUNT]\n".utf8))
    exit(2)
}
let count = arguments.count > 2 ? Int(arguments[2]) ?? 1_000_000 : 1_000_000
let database = try GatehouseDatabase(directory: DataDirectory(path: arguments[1]))

// (namespace, flow, weight, needs approval)
let flows: [(String, String, Int, Bool)] = [
    ("team.infra", "vm-provision", 30, true), ("team.infra", "vm-destroy", 15, false), ("team.infra", "dns-record", 10, false),
    ("team.data", "db-provision", 12, true), ("team.data", "backup-restore", 8, false), ("team.web", "deploy", 15, true),
    ("team.web", "cdn-purge", 6, false), ("ops", "cleanup", 4, false),
]
let flowTable = flows.enumerated().flatMap { index, flow in Array(repeating: index, count: flow.2) }
// (state, weight). Only states at rest: an installation has a handful of RUNNING, QUEUED or CREATED executions at any
// time, owned by a live process. The fill stores no flow sources, so every unfinished one would be an orphan that the
// server's start-up recovery tries, and fails, to drive: with 50,000 of them that took a core for minutes, in the
// middle of the measurements.
let states: [(String, Int)] = [
    ("SUCCESS", 75), ("FAILED", 10), ("WARNING", 4), ("KILLED", 5), ("CANCELLED", 3), ("PAUSED", 3),
]
let stateTable = states.flatMap { Array(repeating: $0.0, count: $0.1) }
let ended: Set<String> = ["SUCCESS", "FAILED", "WARNING", "KILLED", "CANCELLED"]
let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
let start = Date(timeIntervalSince1970: 1_700_000_000)
// Two years of requests, evenly spread with jitter.
let step = 2 * 365 * 86_400 / Double(max(count, 1))

var random = SplitMix(state: UInt64(count))
let began = Date()
try database.writer.write { db in
    let indexes = try Row.fetchAll(
        db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('execution', 'taskRun', 'approval')")
    for index in indexes { try db.execute(sql: "DROP INDEX \(index["name"] as String)") }
    let insertExecution = try db.makeStatement(
        sql: """
            INSERT INTO execution (id, namespace, flowId, flowRevision, state, inputs, labels, requester, histories, createdAt, endedAt)
            VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?)
            """)
    let insertTaskRun = try db.makeStatement(
        sql: "INSERT INTO taskRun (id, executionId, taskId, state, histories, createdAt, endedAt) VALUES (?, ?, 'approve', ?, '[]', ?, ?)")
    let insertApproval = try db.makeStatement(
        sql: "INSERT INTO approval (executionId, taskRunId, decision, decidedBy, comment, decidedAt) VALUES (?, ?, ?, ?, ?, ?)")
    let formatter = ISO8601DateFormatter()
    for number in 0..<count {
        let id = String((0..<22).map { _ in alphabet[Int(random.next() % 62)] })
        let (namespace, flowId, _, needsApproval) = flows[flowTable[Int(random.next() % UInt64(flowTable.count))]]
        let state = stateTable[Int(random.next() % UInt64(stateTable.count))]
        let requester = String(format: "user%03d", Int(random.next() % 200))
        let created = start.addingTimeInterval(Double(number) * step + Double(random.next() % 1000) / 1000 * step)
        let endedAt = ended.contains(state) ? created.addingTimeInterval(Double(30 + random.next() % 1800)) : nil
        let sealed = String((0..<40).map { _ in alphabet[Int(random.next() % 62)] })
        let inputs = """
            {"name":"\(flowId)-\(number)","serverType":"\(["cx22", "cx32", "cx42", "cpx31"][Int(random.next() % 4)])",\
            "location":"\(["fsn1", "nbg1", "hel1"][Int(random.next() % 3)])","image":"ubuntu-24.04","backups":\(random.next() % 2 == 0),\
            "reason":"ticket OPS-\(random.next() % 50_000)","apiToken":"gatehouse-sealed:v1:\(sealed)"}
            """
        let labels = """
            {"system.correlationId":"\(id)","system.username":"\(requester)","team":"\(namespace)",\
            "env":"\(["prod", "staging", "dev"][Int(random.next() % 3)])","costCenter":"cc-\(random.next() % 12)"}
            """
        let histories = #"[{"state":"CREATED","date":"\#(formatter.string(from: created))"},{"state":"\#(state)"}]"#
        try insertExecution.execute(arguments: [id, namespace, flowId, state, inputs, labels, requester, histories, created, endedAt])
        if needsApproval, state != "PAUSED" {
            let decidedAt = created.addingTimeInterval(Double(60 + random.next() % 7200))
            let rejected = state == "KILLED"
            try insertTaskRun.execute(arguments: [id + "-approve", id, rejected ? "KILLED" : "SUCCESS", created, decidedAt])
            try insertApproval.execute(arguments: [
                id, id + "-approve", rejected ? "REJECTED" : "APPROVED", String(format: "approver%02d", Int(random.next() % 20)),
                rejected ? "not this quarter" : nil, decidedAt,
            ])
        }
        if number % 100_000 == 99_999 { print("\(number + 1) executions…") }
    }
    print("building the indexes again…")
    for index in indexes { try db.execute(sql: index["sql"]) }
}
let seconds = Date().timeIntervalSince(began)
print("filled \(count) executions in \(String(format: "%.1f", seconds)) s (\(Int(Double(count) / seconds)) a second)")
