import Foundation
import Pebble

/// What a saved Terraform plan will do, from `terraform show -json <plan>`: each resource change (address, type, the
/// actions) and how many resources are created, updated, deleted and replaced. This is the task's `plan` output, which
/// the approval view shows.
enum TerraformPlanSummary {
    /// The summary of `terraform show -json` output. Changes whose actions are `["no-op"]` are left out; a replacement
    /// (`["delete","create"]` or `["create","delete"]`) counts once, as `replace`.
    static func summary(ofShowJSON data: Data) throws(PlanError) -> PebbleValue {
        guard let document = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw .unreadable("the output of `show -json` is not a JSON object")
        }
        guard document["format_version"] != nil else { throw .unreadable("the JSON has no format_version, so it is not a plan") }
        var changes: [PebbleValue] = []
        var counts = ["create": 0, "update": 0, "delete": 0, "replace": 0]
        for case let change as [String: Any] in document["resource_changes"] as? [Any] ?? [] {
            let actions = (change["change"] as? [String: Any])?["actions"] as? [String] ?? []
            guard actions != ["no-op"], !actions.isEmpty else { continue }
            switch Set(actions) {
            case ["delete", "create"]: counts["replace", default: 0] += 1
            case ["create"], ["update"], ["delete"]: counts[actions[0], default: 0] += 1
            default: break
            }
            changes.append(
                .map(
                    PebbleMap([
                        ("address", .string(change["address"] as? String ?? "")),
                        ("type", .string(change["type"] as? String ?? "")),
                        ("actions", .list(actions.map(PebbleValue.string))),
                    ])))
        }
        let countMap = PebbleMap(["create", "update", "delete", "replace"].map { ($0, PebbleValue.int(Int64(counts[$0] ?? 0))) })
        return .map(PebbleMap([("resourceChanges", .list(changes)), ("counts", .map(countMap))]))
    }

    /// Whether a file may be a saved plan: Terraform and OpenTofu write plans as zip archives.
    static func looksLikePlan(_ file: URL) -> Bool {
        guard let handle = try? FileHandle(forReadingFrom: file) else { return false }
        defer { try? handle.close() }
        return (try? handle.read(upToCount: 4)) == Data([0x50, 0x4B, 0x03, 0x04])
    }

    enum PlanError: Error, Equatable, CustomStringConvertible {
        case unreadable(String)

        var description: String {
            switch self {
            case .unreadable(let reason): reason
            }
        }
    }
}
