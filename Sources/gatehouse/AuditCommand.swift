import ArgumentParser
import Foundation
import Store

/// `gatehouse audit verify|export`: checks the audit hash chain, or writes the log out as CSV or JSON.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Inspect the tamper-evident audit log.",
        subcommands: [Verify.self, Export.self]
    )

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check that no audit event was edited, inserted or deleted.",
            discussion: "Exit status: 0 when the chain is intact, 1 when it is broken, 2 for usage errors."
        )

        @Option(name: .long, help: "The data directory (default: $GATEHOUSE_DATA, else ./data).")
        var data: String?

        func run() throws {
            let path = data ?? ProcessInfo.processInfo.environment["GATEHOUSE_DATA"] ?? "data"
            let directory = DataDirectory(path: path)
            guard FileManager.default.fileExists(atPath: directory.databaseFile.path) else {
                throw ValidationError("no Gatehouse database at \(directory.databaseFile.path); pass --data with the data directory")
            }
            switch try GatehouseDatabase(directory: directory).verifyAuditChain() {
            case .intact(let events):
                print("audit chain intact: \(events) \(events == 1 ? "event" : "events") verified")
            case .broken(let sequence, let reason):
                print("audit chain BROKEN at event \(sequence): \(reason)")
                throw ExitCode(1)
            }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the audit log out, oldest first, as CSV or JSON.",
            discussion: """
                CSV: a header row (sequence, time, actor, action, executionId, details, hash, previousHash), RFC 4180 quoting, \
                and a leading ' on any cell a spreadsheet would run as a formula. JSON: one array of objects with the same \
                fields, details as the stored JSON object, byte for byte. Rows are read and written a page at a time.
                """
        )

        @Option(name: .long, help: "csv or json.")
        var format: AuditExport.Format

        @Option(name: .long, help: "Only events at or after this day (YYYY-MM-DD, UTC) or ISO 8601 time.")
        var since: String?

        @Option(name: .long, help: "The data directory (default: $GATEHOUSE_DATA, else ./data).")
        var data: String?

        @Option(name: .long, help: "Write to this file instead of standard output.")
        var output: String?

        func run() throws {
            var from: Date?
            if let since {
                guard let date = AuditFilter.parseTime(since) else {
                    throw ValidationError("--since must be a day (2026-01-31) or an ISO 8601 time (2026-01-31T12:00:00Z), but is `\(since)`")
                }
                from = date
            }
            let path = data ?? ProcessInfo.processInfo.environment["GATEHOUSE_DATA"] ?? "data"
            let directory = DataDirectory(path: path)
            guard FileManager.default.fileExists(atPath: directory.databaseFile.path) else {
                throw ValidationError("no Gatehouse database at \(directory.databaseFile.path); pass --data with the data directory")
            }
            let handle: FileHandle
            if let output {
                guard FileManager.default.createFile(atPath: output, contents: nil), let file = FileHandle(forWritingAtPath: output) else {
                    throw ValidationError("--output: cannot write \(output)")
                }
                handle = file
            } else {
                handle = FileHandle.standardOutput
            }
            defer { if output != nil { try? handle.close() } }
            let export = AuditExport(database: try GatehouseDatabase(directory: directory), format: format, since: from)
            let count = try export.run { chunk in try handle.write(contentsOf: Data(chunk.utf8)) }
            if let output { FileHandle.standardError.write(Data("exported \(count) audit events to \(output)\n".utf8)) }
        }
    }
}

extension AuditExport.Format: ExpressibleByArgument {}
