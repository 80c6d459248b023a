import FlowModel
import Foundation
import Pebble
import Testing

@testable import Engine
@testable import Store

/// A flow stored as a revision, as the catalog deploys it.
func deploy(_ yaml: String, in fixture: TimedFixture) throws -> DeployedFlow {
    let parsed = FlowParser().parse(source: yaml, file: "test.yaml")
    let flow = try #require(parsed.flow, "\(parsed.errors)")
    let revision = try fixture.database.deployFlow(namespace: flow.namespace, flowId: flow.id, source: yaml, deployedBy: "test")
    return DeployedFlow(flow: flow, revision: revision.revision, origin: "test.yaml")
}

@Suite("Schedule triggers")
struct ScheduleTriggerTests {
    static let nightly = """
        id: report
        namespace: engine.schedule
        inputs:
          - {id: when, type: STRING}
          - {id: size, type: INT, defaults: 1}
        tasks:
          - {id: say, type: io.kestra.plugin.core.log.Log, message: "run for {{ trigger.date }} (next {{ trigger.next }}), size {{ inputs.size }}"}
        triggers:
          - id: every5
            type: io.kestra.plugin.core.trigger.Schedule
            cron: "*/5 * * * *"
            timezone: Europe/Berlin
            labels: {origin: schedule}
            inputs: {when: "{{ trigger.date }}", size: 3}

        """

    func worker(_ fixture: TimedFixture, _ flows: [DeployedFlow]) -> Worker {
        Worker(runner: fixture.runner, flows: { flows })
    }

    @Test("the first sight of a trigger fires nothing; each due time fires once, with trigger variables, inputs and labels")
    func firesOnce() throws {
        let fixture = try TimedFixture()
        let flow = try deploy(Self.nightly, in: fixture)
        let worker = worker(fixture, [flow])
        #expect(worker.fireSchedules().isEmpty)
        fixture.clock.advance(by: 299)
        #expect(worker.fireSchedules().isEmpty)
        fixture.clock.advance(by: 1)
        let fired = worker.fireSchedules()
        #expect(fired.count == 1)
        #expect(worker.fireSchedules().isEmpty)

        let created = try #require(fired.first)
        #expect(created.requester == "schedule:engine.schedule.report.every5")
        let inputs = PebbleValue.storedJSON(created.inputs).mapValue
        #expect(inputs?["when"] == .string("2027-01-15T08:05:00.000Z"))
        #expect(inputs?["size"] == .int(3))
        let labels = PebbleValue.storedJSON(created.labels).mapValue
        #expect(labels?["origin"] == .string("schedule"))
        #expect(labels?["system.username"] == nil)

        try worker.fireDueWork()
        #expect(try fixture.execution(created.id).state == "SUCCESS")
        #expect(try fixture.lines(created) == ["run for 2027-01-15T08:05:00.000Z (next 2027-01-15T08:10:00.000Z), size 3"])
    }

    @Test("a restart (a new worker on the same database) does not fire a time again")
    func noDoubleFireAcrossRestarts() throws {
        let fixture = try TimedFixture()
        let flow = try deploy(Self.nightly, in: fixture)
        _ = worker(fixture, [flow]).fireSchedules()
        fixture.clock.advance(by: 300)
        #expect(worker(fixture, [flow]).fireSchedules().count == 1)
        let clock = fixture.clock
        let restarted = FlowRunner(database: try GatehouseDatabase(path: fixture.database.path), clock: { clock.now }, owner: "other-process")
        #expect(Worker(runner: restarted, flows: { [flow] }).fireSchedules().isEmpty)
        #expect(try fixture.database.executions().count == 1)
    }

    @Test("workers racing on one due time create exactly one execution")
    func racingWorkers() async throws {
        let fixture = try TimedFixture()
        let flow = try deploy(Self.nightly, in: fixture)
        _ = worker(fixture, [flow]).fireSchedules()
        fixture.clock.advance(by: 300)
        let workers = (0..<8).map { _ in worker(fixture, [flow]) }
        let total = await withTaskGroup(of: Int.self) { group in
            for racer in workers { group.addTask { racer.fireSchedules().count } }
            return await group.reduce(0, +)
        }
        #expect(total == 1)
        #expect(try fixture.database.executions().count == 1)
    }

    @Test(
        "after an hour stopped, recoverMissedSchedules decides which of the 12 missed times fire",
        arguments: [("ALL", 12), ("LAST", 1), ("NONE", 0)])
    func missedSchedules(policy: String, expected: Int) throws {
        let fixture = try TimedFixture()
        let yaml = Self.nightly.replacingOccurrences(
            of: "timezone: Europe/Berlin", with: "timezone: Europe/Berlin\n    recoverMissedSchedules: \(policy)")
        let flow = try deploy(yaml, in: fixture)
        _ = worker(fixture, [flow]).fireSchedules()
        fixture.clock.advance(by: 3_600 + 90)
        let fired = worker(fixture, [flow]).fireSchedules()
        #expect(fired.count == expected)
        if policy == "LAST" {
            #expect(PebbleValue.storedJSON(fired.first?.trigger).mapValue?["date"] == .string("2027-01-15T09:00:00.000Z"))
        }
        // Whatever was skipped is not looked at again.
        #expect(worker(fixture, [flow]).fireSchedules().isEmpty)
    }

    @Test("lateMaximumDelay skips fire times noticed later than it")
    func lateMaximumDelay() throws {
        let fixture = try TimedFixture()
        let yaml = Self.nightly.replacingOccurrences(of: "timezone: Europe/Berlin", with: "timezone: Europe/Berlin\n    lateMaximumDelay: PT10M")
        let flow = try deploy(yaml, in: fixture)
        _ = worker(fixture, [flow]).fireSchedules()
        fixture.clock.advance(by: 3_600)
        let dates = worker(fixture, [flow]).fireSchedules().compactMap { PebbleValue.storedJSON($0.trigger).mapValue?["date"]?.stringValue }
        #expect(dates == ["2027-01-15T08:50:00.000Z", "2027-01-15T08:55:00.000Z", "2027-01-15T09:00:00.000Z"])
    }

    @Test("inputs the trigger cannot supply make a FAILED execution that says why, instead of a silent skip")
    func invalidInputs() throws {
        let fixture = try TimedFixture()
        let yaml = Self.nightly.replacingOccurrences(of: "size: 3}", with: "size: lots}")
        let flow = try deploy(yaml, in: fixture)
        let worker = worker(fixture, [flow])
        _ = worker.fireSchedules()
        fixture.clock.advance(by: 300)
        let failed = try #require(worker.fireSchedules().first)
        #expect(failed.state == "FAILED")
        #expect(failed.error?.contains("Invalid input for `size`") == true)
        #expect(try fixture.database.verifyAuditChain() == .intact(events: 2))
    }

    @Test("disabled triggers and disabled flows do not fire")
    func disabled() throws {
        let fixture = try TimedFixture()
        let disabledTrigger = try deploy(Self.nightly.replacingOccurrences(of: "    cron:", with: "    disabled: true\n    cron:"), in: fixture)
        let worker = worker(fixture, [disabledTrigger])
        _ = worker.fireSchedules()
        fixture.clock.advance(by: 600)
        #expect(worker.fireSchedules().isEmpty)
        #expect(try fixture.database.scheduleFiredFor(namespace: "engine.schedule", flowId: "report", triggerId: "every5") == nil)
    }
}
