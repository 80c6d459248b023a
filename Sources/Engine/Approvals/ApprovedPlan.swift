import Crypto
import Foundation
import Pebble
import Store

/// A saved Terraform plan as an approver saw it: the task that made it, what it will change, the stored file and its
/// SHA-256 now. The approval records the hash; the apply step refuses the file when its bytes differ.
package struct PlanEvidence: Sendable, Equatable {
    package let taskId: String
    /// The `plan` output: `resourceChanges`, `counts`, `file` and the hash when the plan was written.
    package let summary: PebbleMap
    package let uri: String
    /// The stored file's hash now, or nil when the file is gone.
    package let sha256: String?

    /// Whether the stored file still has the bytes Terraform wrote when it planned.
    package var isIntact: Bool { sha256 != nil && sha256 == summary["sha256"]?.stringValue }
}

/// A plan someone approved: the apply step compares the file it is given with this hash.
struct ApprovedPlan: Sendable, Equatable {
    let sha256: String
    let approvedBy: String

    /// The plans approved in an execution, by their `kestra:///` URI.
    static func approved(in database: GatehouseDatabase, executionId: String) throws -> [String: ApprovedPlan] {
        var plans: [String: ApprovedPlan] = [:]
        for approval in try database.approvals(of: executionId) where approval.decisive && approval.decision == "APPROVED" {
            if let file = approval.planFile, let hash = approval.planSHA256 {
                plans[file] = ApprovedPlan(sha256: hash, approvedBy: approval.decidedBy)
            }
        }
        return plans
    }

    /// The lowercase hex SHA-256 of a file, read in chunks (plans can be large).
    static func sha256(of file: URL) throws -> String {
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// The plan an approver of `paused` is shown: the newest task run before the pause with a `plan` output whose
    /// file is stored among its `outputFiles`.
    static func evidence(before paused: TaskRunRecord, in runs: [TaskRunRecord], execution: ExecutionRecord, storage: FileStorage)
        -> PlanEvidence?
    {
        let allowed = [FileStorage.Location.execution(namespace: execution.namespace, flowId: execution.flowId, executionId: execution.id)]
        for run in runs.reversed() where run.id != paused.id && run.createdAt <= paused.createdAt {
            guard let outputs = PebbleValue.storedJSON(run.outputs).mapValue, let plan = outputs["plan"]?.mapValue,
                let name = plan["file"]?.stringValue, let uri = outputs["outputFiles"]?.mapValue?[name]?.stringValue
            else { continue }
            let hash = (try? storage.file(for: uri, allowedUnder: allowed)).flatMap { try? sha256(of: $0) }
            return PlanEvidence(taskId: run.taskId, summary: plan, uri: uri, sha256: hash)
        }
        return nil
    }
}
