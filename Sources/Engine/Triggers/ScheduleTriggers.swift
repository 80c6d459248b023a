import FlowModel
import Foundation
import Pebble
import Store

/// Fires Schedule triggers (KESTRA.md §6). Each trigger keeps a bookmark in the store: every fire time up to it is
/// handled. A firing moves the bookmark and creates the execution in one transaction that fails if another process
/// moved the bookmark first, so a restart or a second worker never fires the same time twice.
///
/// The first time a trigger is seen, its bookmark is set to now: deploying a flow does not backfill. Fire times that
/// are already late when noticed (after a stop) are "missed": `recoverMissedSchedules` ALL (the default, as Kestra's)
/// fires each, LAST only the latest, NONE none; `lateMaximumDelay` skips any fire time later than it.
package struct ScheduleTriggers: Sendable {
    package let runner: FlowRunner
    /// A fire time noticed within this long is on time, not missed; a worker looks every half second.
    package static let onTimeWindow: TimeInterval = 60
    /// At most this many fire times of one trigger are handled in one pass; the next pass continues.
    package static let batchLimit = 100

    package init(runner: FlowRunner) { self.runner = runner }

    /// Fires what is due now for every Schedule trigger of `flows`; returns the executions created, with a line for
    /// each trigger that could not be handled.
    package func fireDue(flows: [DeployedFlow], report: (String) -> Void = { _ in }) -> [ExecutionRecord] {
        var created: [ExecutionRecord] = []
        for deployed in flows {
            for trigger in deployed.triggers(.schedule) {
                do {
                    created += try fireDue(deployed, trigger)
                } catch StoreError.alreadyFired {
                    continue  // another process fired it
                } catch {
                    report("schedule `\(trigger.id)` of \(deployed.flow.namespace).\(deployed.flow.id): \(error)")
                }
            }
        }
        return created
    }

    /// The trigger's cron expression in its time zone (the server's when none is given).
    package static func schedule(of trigger: Trigger) throws -> CronSchedule {
        let zone: TimeZone
        if let name = trigger.properties["timezone"]?.stringValue {
            guard let named = TimeZone(identifier: name) else { throw ScheduleError("unknown time zone `\(name)`") }
            zone = named
        } else {
            zone = .current
        }
        return try CronSchedule(
            expression: trigger.properties["cron"]?.stringValue ?? "", withSeconds: trigger.properties["withSeconds"]?.boolValue ?? false,
            timeZone: zone)
    }

    private func fireDue(_ deployed: DeployedFlow, _ trigger: Trigger) throws -> [ExecutionRecord] {
        let flow = deployed.flow
        let database = runner.database
        let now = runner.clock()
        let schedule = try Self.schedule(of: trigger)
        func claim(from previous: Date?, to firedFor: Date) -> ScheduleClaim {
            ScheduleClaim(namespace: flow.namespace, flowId: flow.id, triggerId: trigger.id, previous: previous, firedFor: firedFor)
        }
        guard let bookmark = try database.scheduleFiredFor(namespace: flow.namespace, flowId: flow.id, triggerId: trigger.id) else {
            try database.moveSchedule(claim(from: nil, to: now))
            return []
        }
        var due: [Date] = []
        var cursor = bookmark
        while due.count < Self.batchLimit, let next = schedule.next(after: cursor), next <= now {
            due.append(next)
            cursor = next
        }
        guard !due.isEmpty else { return [] }

        let lateLimit = try lateMaximumDelay(trigger)
        let recovery = trigger.properties["recoverMissedSchedules"]?.stringValue ?? "ALL"
        let onTime = due.filter { now.timeIntervalSince($0) <= Self.onTimeWindow }
        var missed = due.filter { now.timeIntervalSince($0) > Self.onTimeWindow }
        switch recovery {
        case "NONE": missed = []
        case "LAST": missed = onTime.isEmpty ? Array(missed.suffix(1)) : []
        default: break
        }
        let toFire = (missed + onTime).filter { date in lateLimit.map { now.timeIntervalSince(date) <= $0 } ?? true }

        var created: [ExecutionRecord] = []
        var previous: Date? = bookmark
        for date in toFire {
            var variables = PebbleMap()
            variables["date"] = .string(ISO8601.format(date))
            if let next = schedule.next(after: date) { variables["next"] = .string(ISO8601.format(next)) }
            if let before = schedule.previous(before: date) { variables["previous"] = .string(ISO8601.format(before)) }
            let execution = runner.triggeredExecution(of: deployed, trigger: trigger, variables: variables, at: now)
            created += try database.createTriggered([execution], schedule: claim(from: previous, to: date))
            previous = try database.scheduleFiredFor(namespace: flow.namespace, flowId: flow.id, triggerId: trigger.id)
        }
        // Skipped fire times move the bookmark too, so they are not looked at again.
        if let last = due.last, previous != last {
            try database.moveSchedule(claim(from: previous, to: last))
        }
        return created
    }

    private func lateMaximumDelay(_ trigger: Trigger) throws -> TimeInterval? {
        guard let text = trigger.properties["lateMaximumDelay"]?.stringValue else { return nil }
        guard let duration = ISODuration(text) else { throw ScheduleError("`lateMaximumDelay` is not an ISO-8601 duration: `\(text)`") }
        return duration.totalSeconds
    }
}

/// A Schedule trigger that cannot be evaluated.
struct ScheduleError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
