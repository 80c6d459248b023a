import FlowModel
import Foundation
import Pebble
import Store

/// Time to live: a day before a VM expires its owner gets an e-mail; when it has expired, the namespace's destroy flow
/// is requested by Gatehouse itself (no `system.username`, so the shipped destroy flow needs no approval). The worker
/// runs this every minute. Each reminder is recorded as the label `gatehouse.expiry-reminded` (the expiry it was
/// for), so an extension re-arms it and a restart does not repeat it.
package struct VMReaper: Sendable {
    package static let reminderLabel = "gatehouse.expiry-reminded"
    static let remindBefore: TimeInterval = 24 * 3600

    let runner: FlowRunner

    package init(runner: FlowRunner) { self.runner = runner }

    /// Reminds and destroys what is due; returns the destroy executions it requested.
    @discardableResult
    package func run(flows: [DeployedFlow], report: (String) -> Void = { _ in }) throws -> [ExecutionRecord] {
        let now = runner.clock()
        var started: [ExecutionRecord] = []
        for vm in try VMInventory(database: runner.database).live() where vm.destroyingBy == nil {
            guard let expiry = vm.expiresAt else { continue }
            if expiry <= now {
                guard let destroy = flows.first(where: { $0.flow.namespace == vm.namespace && FlowRunner.vmKind($0.flow) == "destroy" }) else {
                    report("VM \(vm.name) expired at \(ISO8601.format(expiry)), but namespace \(vm.namespace) has no destroy flow")
                    continue
                }
                let resolution = runner.resolveInputs(
                    of: destroy,
                    submitted: ["request_id": .text(vm.requestId), "reason": .text("its time to live ended at \(ISO8601.format(expiry))")])
                let execution = try runner.submit(destroy, resolution: resolution, requester: "gatehouse", byPerson: false)
                report("VM \(vm.name) expired; destroy requested as execution \(execution.id)")
                started.append(execution)
            } else if expiry.timeIntervalSince(now) <= Self.remindBefore, try !wasReminded(vm, of: expiry) {
                try remind(vm, expiry: expiry)
            }
        }
        return started
    }

    private func wasReminded(_ vm: VirtualMachine, of expiry: Date) throws -> Bool {
        let labels = PebbleValue.storedJSON(try runner.database.execution(vm.requestId)?.labels).mapValue
        return labels?[Self.reminderLabel]?.stringValue == ISO8601.format(expiry)
    }

    private func remind(_ vm: VirtualMachine, expiry: Date) throws {
        let owner = try runner.database.user(named: vm.requester)
        let link = TaskSettings.baseURL(runner.settings.environment) + "/vms"
        let text = [
            "Your VM \(vm.name) (\(vm.ipv4)) expires at \(ISO8601.format(expiry)) and will then be destroyed.",
            "To keep it longer, extend it on My VMs (sign-in required): \(link)",
        ].joined(separator: "\n\n")
        let outcome = ApprovalNotifier(runner: runner).deliver(
            subject: "Your VM \(vm.name) expires within a day", text: text, to: owner?.email.map { [$0] } ?? [])
        try runner.database.setLabel(Self.reminderLabel, to: ISO8601.format(expiry), ofExecution: vm.requestId, by: "gatehouse")
        let line = LogLineRecord(
            executionId: vm.requestId, taskRunId: nil, attempt: nil, timestamp: runner.clock(), level: "INFO", line: "expiry reminder: \(outcome)")
        try runner.database.record(logs: [line])
    }
}
