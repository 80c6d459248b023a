import ArgumentParser
import Foundation
import Store

/// `gatehouse audit verify [--data DIR]`: recomputes the audit hash chain and says whether history was changed.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Inspect the tamper-evident audit log.",
        subcommands: [Verify.self]
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
}
