import Engine
import FlowModel
import Foundation
import Hummingbird
import Pebble
import Store

/// "My VMs": the VMs the signed-in user owns (admins see every VM), with address, type, cost, age and expiry, and the
/// buttons to destroy one (a request of the namespace's destroy flow) or extend its time to live.
struct VMRoutes: Sendable {
    let catalog: FlowCatalog
    let runner: FlowRunner
    let views: Views
    static let extensions = [("PT8H", "8 hours"), ("P1D", "1 day"), ("P3D", "3 days"), ("P7D", "7 days")]

    func add(to group: RouterGroup<GatehouseRequestContext>) {
        group.get("/vms") { _, context in
            let user = try signedIn(context)
            let now = runner.clock()
            let vms = try VMInventory(database: runner.database).live().filter { user.has(.admin) || $0.requester == user.name }
            let rows = vms.reversed().map { vm -> [String: Any] in
                [
                    "requestId": vm.requestId, "name": vm.name, "ipv4": vm.ipv4, "ipv6": vm.ipv6, "type": vm.serverType,
                    "location": vm.location, "team": vm.team, "owner": vm.requester,
                    "age": DurationText.short(now.timeIntervalSince(vm.createdAt)),
                    "expires": Views.optional(vm.expiresAt.map(ISO8601.format)), "cost": Views.optional(cost(of: vm)),
                    "destroying": Views.optional(vm.destroyingBy),
                    "extensions": Self.extensions.map { ["value": $0.0, "label": $0.1] },
                ]
            }
            return views.page("vms", title: "My VMs", context: context, data: ["vms": rows, "hasVMs": !rows.isEmpty])
        }
        group.post("/vms/{request}/destroy") { request, context in
            let user = try signedIn(context)
            let vm = try ownedVM(context, user)
            let form = try await FormFields.read(request)
            guard let deployed = catalog.deployed.first(where: { $0.flow.namespace == vm.namespace && VMRoutes.kind($0.flow) == "destroy" })
            else { throw HTTPError(.notFound, message: "There is no destroy flow in namespace \(vm.namespace).") }
            var submitted: [String: SubmittedInput] = ["request_id": .text(vm.requestId)]
            if let reason = form["reason"], !reason.isEmpty { submitted["reason"] = .text(reason) }
            let resolution = runner.resolveInputs(of: deployed, submitted: submitted)
            guard resolution.isValid else { throw HTTPError(.unprocessableContent, message: resolution.errors.joined(separator: "; ")) }
            let execution = try runner.submit(deployed, resolution: resolution, requester: user.name)
            return Views.redirect(to: "/executions/\(execution.id)")
        }
        group.post("/vms/{request}/extend") { request, context in
            let user = try signedIn(context)
            let vm = try ownedVM(context, user)
            let form = try await FormFields.read(request)
            guard let text = form["by"], Self.extensions.contains(where: { $0.0 == text }), let by = ISODuration(text) else {
                throw HTTPError(.badRequest, message: "Choose how long to extend by: " + Self.extensions.map(\.0).joined(separator: ", "))
            }
            let now = runner.clock()
            let limit = now.addingTimeInterval(maximumTTL(vm))
            let wanted = max(vm.expiresAt ?? now, now).addingTimeInterval(TimeInterval(by.seconds))
            let expiry = min(wanted, limit)
            try runner.database.setLabel(VMInventory.expiresLabel, to: ISO8601.format(expiry), ofExecution: vm.requestId, by: user.name, at: now)
            return Views.redirect(to: "/vms")
        }
    }

    /// The longest time to live the provision flow allows (its `ttl` input's `max`), from now; 14 days when it sets none.
    private func maximumTTL(_ vm: VirtualMachine) -> TimeInterval {
        let provision = catalog.deployed.first { $0.flow.namespace == vm.namespace && VMRoutes.kind($0.flow) == "provision" }
        if case .string(let text)? = provision?.flow.inputs.first(where: { $0.id == "ttl" })?.max, let duration = ISODuration(text) {
            return TimeInterval(duration.seconds)
        }
        return 14 * 86400
    }

    /// The cost the provision flow's plan step reported (`monthlyCost`).
    private func cost(of vm: VirtualMachine) -> String? {
        let runs = (try? runner.database.taskRuns(of: vm.requestId)) ?? []
        for run in runs {
            if let cost = PebbleValue.storedJSON(run.outputs).mapValue?["vars"]?.mapValue?["monthlyCost"]?.stringValue { return cost }
        }
        return nil
    }

    private func ownedVM(_ context: GatehouseRequestContext, _ user: SignedInUser) throws -> VirtualMachine {
        let id = context.parameters.get("request") ?? ""
        guard let vm = try VMInventory(database: runner.database).live().first(where: { $0.requestId == id }),
            user.has(.admin) || vm.requester == user.name
        else { throw HTTPError(.notFound, message: "You have no live VM from request \(id).") }
        return vm
    }

    private func signedIn(_ context: GatehouseRequestContext) throws -> SignedInUser {
        guard let user = context.user else { throw HTTPError(.unauthorized) }
        return user
    }

    static func kind(_ flow: Flow) -> String? { flow.labels.first { $0.key == VMInventory.kindLabel }?.value }
}
