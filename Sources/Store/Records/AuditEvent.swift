import Crypto
import Foundation
import GRDB

/// One entry of the append-only audit log; `hash` covers its fields and the previous entry's hash.
package struct AuditEvent: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    package static let databaseTableName = "auditEvent"

    package var sequence: Int64?
    package var at: Date
    package var actor: String
    package var action: String
    package var executionId: String?
    /// A JSON object with what the action concerned (never secrets).
    package var details: String
    package var previousHash: String
    package var hash: String

    package mutating func didInsert(_ inserted: InsertionSuccess) {
        sequence = inserted.rowID
    }

    /// The hash of the chain's start, before any event.
    package static let genesisHash = String(repeating: "0", count: 64)

    /// SHA-256 over the event's fields in a fixed layout; the time enters as whole milliseconds, as stored.
    package static func computeHash(
        sequence: Int64,
        at: Date,
        actor: String,
        action: String,
        executionId: String?,
        details: String,
        previousHash: String
    ) -> String {
        let milliseconds = Int64((at.timeIntervalSince1970 * 1000).rounded())
        let canonical = [String(sequence), String(milliseconds), actor, action, executionId ?? "", details, previousHash]
            .map { "\($0.utf8.count):\($0)" }
            .joined(separator: "\n")
        return SHA256.hash(data: Data(canonical.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

/// The outcome of checking the audit chain from its first event to its last.
package enum AuditVerification: Sendable, Equatable {
    case intact(events: Int)
    /// The first event whose stored hash or link does not match, and why.
    case broken(sequence: Int64, reason: String)
}

extension GatehouseDatabase {
    /// Appends an audit event inside the caller's transaction, so it commits or fails with the change it records.
    /// `details` holds JSON values: strings, numbers, booleans, and lists and objects of them.
    @discardableResult
    package static func appendAuditEvent(
        _ db: Database,
        actor: String,
        action: String,
        executionId: String? = nil,
        details: [String: Any] = [:],
        at date: Date = Date()
    ) throws -> AuditEvent {
        let last = try AuditEvent.order(Column("sequence").desc).fetchOne(db)
        let sequence = (last?.sequence ?? 0) + 1
        let previousHash = last?.hash ?? AuditEvent.genesisHash
        // Never earlier than the previous event (a clock step back, a date taken just before waiting for the write lock),
        // so time order is sequence order and a date range is a range of sequence numbers.
        let at = max(Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded() / 1000), last?.at ?? .distantPast)
        let detailsJSON = String(decoding: try JSONSerialization.data(withJSONObject: details, options: [.sortedKeys]), as: UTF8.self)
        var event = AuditEvent(
            sequence: sequence, at: at, actor: actor, action: action, executionId: executionId, details: detailsJSON,
            previousHash: previousHash,
            hash: AuditEvent.computeHash(
                sequence: sequence, at: at, actor: actor, action: action, executionId: executionId, details: detailsJSON,
                previousHash: previousHash
            )
        )
        try event.insert(db)
        return event
    }

    /// Recomputes every hash and link; any edited, inserted or deleted event breaks the chain where it happened.
    package func verifyAuditChain() throws -> AuditVerification {
        try writer.read { db in
            var previousHash = AuditEvent.genesisHash
            var expectedSequence: Int64 = 1
            var count = 0
            let cursor = try AuditEvent.order(Column("sequence")).fetchCursor(db)
            while let event = try cursor.next() {
                let sequence = event.sequence ?? 0
                if sequence != expectedSequence {
                    return .broken(sequence: sequence, reason: "event \(expectedSequence) is missing before event \(sequence)")
                }
                if event.previousHash != previousHash {
                    return .broken(sequence: sequence, reason: "its link to the previous event does not match")
                }
                let recomputed = AuditEvent.computeHash(
                    sequence: sequence, at: event.at, actor: event.actor, action: event.action, executionId: event.executionId,
                    details: event.details, previousHash: event.previousHash
                )
                if recomputed != event.hash {
                    return .broken(sequence: sequence, reason: "its content was changed after it was written")
                }
                previousHash = event.hash
                expectedSequence += 1
                count += 1
            }
            return .intact(events: count)
        }
    }
}
