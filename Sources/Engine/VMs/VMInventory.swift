import Foundation
import Pebble
import Store

/// A VM made by a provision flow and not destroyed yet, as the My VMs page and the TTL reaper see it.
package struct VirtualMachine: Sendable, Equatable {
    /// The provision execution's id; the destroy flow finds the VM's Terraform state by it.
    package let requestId: String
    package let namespace: String
    package let name: String
    package let serverType: String
    package let location: String
    package let team: String
    package let requester: String
    package let ipv4: String
    package let ipv6: String
    package let createdAt: Date
    package let expiresAt: Date?
    /// The id of a destroy execution that has not ended yet.
    package let destroyingBy: String?
}

/// Which VMs exist, from the executions themselves: a provision flow (label `gatehouse.vm: provision`) that ended in
/// SUCCESS made a VM; a destroy flow (label `gatehouse.vm: destroy`) with input `request_id` that ended in SUCCESS
/// removed it. No second record to keep in step. An extension moves the label `gatehouse.expires-at` of the provision
/// execution; without it the flow's `expires_at` output counts.
package struct VMInventory: Sendable {
    package static let kindLabel = "gatehouse.vm"
    package static let expiresLabel = "gatehouse.expires-at"
    static let running: Set<String> = ["CREATED", "QUEUED", "RUNNING", "PAUSED", "KILLING"]

    let database: GatehouseDatabase

    package init(database: GatehouseDatabase) { self.database = database }

    /// Every live VM, oldest first.
    package func live() throws -> [VirtualMachine] {
        var destroyed = Set<String>()
        var destroying: [String: String] = [:]
        for execution in try database.executions(label: Self.kindLabel, value: "destroy") {
            guard let request = Self.inputs(execution)["request_id"]?.stringValue else { continue }
            if execution.state == "SUCCESS" { destroyed.insert(request) }
            if Self.running.contains(execution.state) { destroying[request] = execution.id }
        }
        return try database.executions(label: Self.kindLabel, value: "provision", state: "SUCCESS").compactMap { execution in
            guard !destroyed.contains(execution.id) else { return nil }
            let inputs = Self.inputs(execution)
            let outputs = PebbleValue.storedJSON(execution.outputs).mapValue ?? PebbleMap()
            let labels = PebbleValue.storedJSON(execution.labels).mapValue ?? PebbleMap()
            let expiry = labels[Self.expiresLabel]?.stringValue ?? outputs["expires_at"]?.stringValue
            return VirtualMachine(
                requestId: execution.id, namespace: execution.namespace, name: inputs["name"]?.stringValue ?? "",
                serverType: inputs["server_type"]?.stringValue ?? "", location: inputs["location"]?.stringValue ?? "",
                team: inputs["team"]?.stringValue ?? "", requester: execution.requester, ipv4: outputs["ipv4"]?.stringValue ?? "",
                ipv6: outputs["ipv6"]?.stringValue ?? "", createdAt: execution.createdAt, expiresAt: expiry.flatMap(ISO8601.parse),
                destroyingBy: destroying[execution.id])
        }
    }

    /// Whether a VM of that name is live or being provisioned, so a second request for the name is refused early.
    package func isNameTaken(_ name: String) throws -> Bool {
        if try live().contains(where: { $0.name == name }) { return true }
        return try database.executions(label: Self.kindLabel, value: "provision").contains {
            Self.running.contains($0.state) && Self.inputs($0)["name"]?.stringValue == name
        }
    }

    static func inputs(_ execution: ExecutionRecord) -> PebbleMap {
        PebbleValue.storedJSON(execution.inputs).mapValue ?? PebbleMap()
    }
}
