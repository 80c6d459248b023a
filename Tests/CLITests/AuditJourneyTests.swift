import Foundation
import Store
import Testing

/// The audit log after real commands, checked and exported by the real binary, and tampered with by the sqlite3 shell.
@Suite("gatehouse audit after a real journey")
struct AuditJourneyTests {
    static let flow = """
        id: audited
        namespace: demo
        inputs:
          - {id: size, type: SELECT, values: [S, M]}
          - {id: password, type: SECRET}
        tasks:
          - {id: hello, type: io.kestra.plugin.core.log.Log, message: "size {{ inputs.size }}"}
        """

    /// Runs the sqlite3 shell on the database, as someone with the file would.
    static func sqlite(_ data: String, _ sql: String) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sqlite3", data + "/gatehouse.sqlite", sql]
        try process.run()
        let status = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                process.waitUntilExit()
                continuation.resume(returning: process.terminationStatus)
            }
        }
        #expect(status == 0, "sqlite3 is needed (Debian package sqlite3): \(sql)")
    }

    /// A flow run with a SECRET input, a user and a token: every step in the log, and the chain intact.
    static func journey(in root: URL) async throws -> String {
        let flow = root.appendingPathComponent("audited.yaml")
        try Self.flow.write(to: flow, atomically: true, encoding: .utf8)
        let data = root.appendingPathComponent("data").path
        let run = try await GatehouseProcess.run([
            "run", flow.path, "--input", "size=M", "--input", "password=hunter2-never-logged", "--data", data, "--user", "alice",
        ])
        #expect(run.status == 0, "\(run.standardError)")
        #expect(try await GatehouseProcess.run(["user", "add", "bob", "--role", "approver", "--data", data]).status == 0)
        #expect(try await GatehouseProcess.run(["token", "create", "bob", "--name", "ci", "--data", data]).status == 0)
        #expect(try await GatehouseProcess.run(["user", "set", "bob", "--role", "approver", "--role", "auditor", "--data", data]).status == 0)
        #expect(try await GatehouseProcess.run(["user", "set", "bob", "--disable", "--data", data]).status == 0)
        return data
    }

    @Test("after a journey: verify passes, both exports hold every event exactly, and an edit by the shell is found")
    func journeyExportAndEdit() async throws {
        let root = try GatehouseProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let data = try await Self.journey(in: root)
        let verify = try await GatehouseProcess.run(["audit", "verify", "--data", data])
        #expect(verify.status == 0)

        let json = try await GatehouseProcess.run(["audit", "export", "--format", "json", "--data", data])
        #expect(json.status == 0)
        #expect(!json.standardOutput.contains("hunter2-never-logged") && !json.standardOutput.contains("gatehouse-sealed"))
        let events = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [[String: Any]])
        #expect(verify.standardOutput == "audit chain intact: \(events.count) events verified\n")
        let actions = events.compactMap { $0["action"] as? String }
        for action in [
            "flow.deployed", "execution.created", "execution.success", "user.created", "token.created", "user.roles-changed", "user.disabled",
        ] {
            #expect(actions.contains(action), "\(action) is missing from \(actions)")
        }
        #expect(events.compactMap { $0["sequence"] as? Int } == Array(1...events.count))
        let created = try #require(events.first { $0["action"] as? String == "execution.created" })
        let inputs = try #require((created["details"] as? [String: Any])?["inputs"] as? [String: Any])
        #expect(inputs["size"] as? String == "M" && inputs["password"] as? String == "******")
        #expect(created["actor"] as? String == "alice")
        let roles = try #require(events.first { $0["action"] as? String == "user.roles-changed" }?["details"] as? [String: String])
        #expect(roles == ["user": "bob", "from": "approver", "to": "approver,auditor"])

        // The JSON export is enough to check the chain without Gatehouse: every hash recomputes from the exported fields.
        let time = ISO8601DateFormatter()
        time.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var previous = AuditEvent.genesisHash
        let raw = json.standardOutput.split(separator: "\n").filter { $0.hasPrefix("  {") }
        #expect(raw.count == events.count)
        for (event, line) in zip(events, raw) {
            let details = try #require(line.range(of: #""details": (\{.*\}), "hash""#, options: .regularExpression))
            let detailsText = String(line[details].dropFirst(#""details": "#.count).dropLast(#", "hash""#.count))
            let hash = AuditEvent.computeHash(
                sequence: Int64(event["sequence"] as? Int ?? 0), at: try #require(time.date(from: event["time"] as? String ?? "")),
                actor: event["actor"] as? String ?? "", action: event["action"] as? String ?? "", executionId: event["executionId"] as? String,
                details: detailsText, previousHash: previous)
            #expect(event["previousHash"] as? String == previous)
            #expect(event["hash"] as? String == hash)
            previous = hash
        }

        let output = root.appendingPathComponent("audit.csv").path
        let csv = try await GatehouseProcess.run(["audit", "export", "--format", "csv", "--data", data, "--output", output])
        #expect(csv.status == 0)
        #expect(csv.standardError == "exported \(events.count) audit events to \(output)\n")
        let table = CSV.parse(try String(contentsOfFile: output, encoding: .utf8))
        #expect(table.first == ["sequence", "time", "actor", "action", "executionId", "details", "hash", "previousHash"])
        #expect(table.count == events.count + 1)
        for (row, event) in zip(table.dropFirst(), events) {
            #expect(row[0] == String(event["sequence"] as? Int ?? 0) && row[1] == event["time"] as? String)
            #expect(row[3] == event["action"] as? String && row[6] == event["hash"] as? String)
            let details = try #require(try JSONSerialization.jsonObject(with: Data(row[5].utf8)) as? [String: Any])
            #expect(NSDictionary(dictionary: details).isEqual(to: event["details"] as? [String: Any] ?? [:]))
        }

        let later = try await GatehouseProcess.run(["audit", "export", "--format", "json", "--since", "2999-01-01", "--data", data])
        #expect(later.status == 0 && later.standardOutput == "[]\n")

        let userEvent = try #require(events.first { $0["action"] as? String == "user.created" }?["sequence"] as? Int)
        try await Self.sqlite(
            data,
            "DROP TRIGGER auditEvent_no_update; UPDATE auditEvent SET details = json_set(details, '$.user', 'mallory') WHERE sequence = \(userEvent)")
        let broken = try await GatehouseProcess.run(["audit", "verify", "--data", data])
        #expect(broken.status == 1)
        #expect(broken.standardOutput == "audit chain BROKEN at event \(userEvent): its content was changed after it was written\n")
    }

    @Test("a row deleted with the sqlite3 shell is named by verify")
    func deletedRow() async throws {
        let root = try GatehouseProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let data = try await Self.journey(in: root)
        try await Self.sqlite(data, "DROP TRIGGER auditEvent_no_delete; DELETE FROM auditEvent WHERE sequence = 2")
        let broken = try await GatehouseProcess.run(["audit", "verify", "--data", data])
        #expect(broken.status == 1)
        #expect(broken.standardOutput == "audit chain BROKEN at event 3: event 2 is missing before event 3\n")
    }

    @Test("a --since that is not a date is a usage error naming the option", arguments: ["yesterday", "2026-13-45", "2026-01-01T25:00:00Z"])
    func badSince(since: String) async throws {
        let root = try GatehouseProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try GatehouseDatabase(directory: DataDirectory(path: root.path))
        let outcome = try await GatehouseProcess.run(["audit", "export", "--format", "csv", "--since", since, "--data", root.path])
        #expect(outcome.status == 2)
        #expect(outcome.standardError.contains("--since must be a day (2026-01-31) or an ISO 8601 time (2026-01-31T12:00:00Z), but is `\(since)`"))
        #expect(outcome.standardOutput.isEmpty)
    }
}

/// A strict RFC 4180 reader, to read back what the export wrote.
enum CSV {
    static func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var cell = ""
        var quoted = false
        var characters = text.makeIterator()
        var pending: Character?
        while let character = pending ?? characters.next() {
            pending = nil
            if quoted {
                if character == "\"" {
                    let next = characters.next()
                    if next == "\"" {
                        cell.append("\"")
                    } else {
                        quoted = false
                        pending = next
                    }
                } else {
                    cell.append(character)
                }
            } else if character == "\"" {
                quoted = true
            } else if character == "," {
                row.append(cell)
                cell = ""
            } else if character == "\r\n" || character == "\n" {
                row.append(cell)
                rows.append(row)
                row = []
                cell = ""
            } else {
                cell.append(character)
            }
        }
        if !cell.isEmpty || !row.isEmpty { rows.append(row + [cell]) }
        return rows
    }
}
