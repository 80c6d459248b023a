import FlowModel
import Foundation
import TestSupport
import Testing

@testable import Engine
@testable import Store

/// The approval rules in the engine (issue 7): four-eyes, the flow's approvers, quorum, rejection, one winner of a race.
@Suite("Approvals in the engine")
struct ApprovalTests {
    /// A runner over a real SQLite file with a fake clock and the server environment given (SMTP for the notices).
    final class Fixture {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-approvals-\(UUID().uuidString)")
        let clock = FakeClock()
        let database: GatehouseDatabase
        let runner: FlowRunner
        let worker: Worker

        init(environment: [String: String] = [:]) throws {
            let data = DataDirectory(path: root.path)
            database = try GatehouseDatabase(directory: data)
            let clock = self.clock
            runner = FlowRunner(
                database: database, settings: TaskSettings(dataDirectory: data, environment: environment), clock: { clock.now })
            worker = Worker(runner: runner)
        }

        deinit { try? FileManager.default.removeItem(at: root) }

        func start(labels: String = "", requester: String = "alice") throws -> ExecutionRecord {
            let source = """
                id: vm
                namespace: infra
                \(labels)
                tasks:
                  - id: approve
                    type: io.kestra.plugin.core.flow.Pause
                    onResume:
                      - {id: ok, type: BOOL, defaults: true}
                  - {id: done, type: io.kestra.plugin.core.log.Log, message: "approved by {{ outputs.approve.resumed.by }}"}
                """
            return try runner.start(flowSource: source, file: "vm.yaml", inputs: [:], requester: requester)
        }

        func decide(_ execution: ExecutionRecord, as decider: Decider, approve: Bool = true, comment: String? = nil) throws -> ExecutionRecord {
            try runner.decide(executionId: execution.id, inputs: [:], decider: decider, approve: approve, comment: comment)
        }

        func lines(_ execution: ExecutionRecord) throws -> [String] { try database.logs(of: execution.id).map(\.line) }
    }

    static let bob = Decider(name: "bob", roles: ["approver"])
    static let carol = Decider(name: "carol", roles: ["approver"])

    @Test("the requester can never decide their own execution, not even as an admin or through the CLI's resume")
    func fourEyes() throws {
        let fixture = try Fixture()
        let paused = try fixture.start()
        let refusal = RunError.refused("Execution '\(paused.id)' was requested by you; someone else must decide it (four-eyes rule)")
        #expect(throws: refusal) { try fixture.decide(paused, as: Decider(name: "alice", roles: ["admin"])) }
        #expect(throws: refusal) { try fixture.runner.resume(executionId: paused.id, inputs: [:], decidedBy: "alice") }
        #expect(throws: refusal) { try fixture.decide(paused, as: Decider(name: "alice", roles: ["admin"]), approve: false, comment: "no") }
        // The store refuses it too, whoever calls it.
        let taskRun = try #require(try fixture.database.taskRuns(of: paused.id).first)
        #expect(throws: StoreError.self) {
            try fixture.database.recordDecision(
                Decision(executionId: paused.id, taskRunId: taskRun.id, decision: "APPROVED", decidedBy: "alice", comment: nil, inputs: nil),
                histories: { $0.histories })
        }
        #expect(try fixture.database.execution(paused.id)?.state == "PAUSED")
        #expect(try fixture.database.approvals(of: paused.id).isEmpty)
        #expect(try fixture.decide(paused, as: Self.bob).state == "SUCCESS")
    }

    @Test("only the approvers a flow's labels name may decide; groups and users can be named")
    func policy() throws {
        let fixture = try Fixture()
        let paused = try fixture.start(labels: "labels: {gatehouse.approvers: \"group:platform, user:dave\"}")
        #expect(throws: RunError.refused("bob may not decide executions of infra.vm; its approvers are group platform, user dave")) {
            try fixture.decide(paused, as: Self.bob)
        }
        let done = try fixture.decide(paused, as: Decider(name: "erin", roles: ["requester"], groups: ["platform"]))
        #expect(done.state == "SUCCESS")
        #expect(try fixture.lines(done).contains("approved by erin"))
    }

    @Test("an unreadable policy lets nobody decide; `gatehouse validate` catches bad labels, this is a bad server setting")
    func invalidPolicy() throws {
        let fixture = try Fixture(environment: ["GATEHOUSE_APPROVAL_REMINDER": "soon"])
        let paused = try fixture.start()
        let reason = "the approval reminder must be a positive ISO-8601 duration such as PT4H, not `soon`"
        #expect(throws: RunError.refused("The approval policy of infra.vm is invalid: \(reason)")) {
            try fixture.decide(paused, as: Self.bob)
        }
        #expect(try fixture.database.execution(paused.id)?.state == "PAUSED")
    }

    @Test("a quorum of 2 needs two distinct approvers; the same approver twice counts once")
    func quorum() throws {
        let fixture = try Fixture()
        let paused = try fixture.start(labels: "labels: {gatehouse.quorum: \"2\"}")
        let first = try fixture.decide(paused, as: Self.bob)
        #expect(first.state == "PAUSED")
        #expect(throws: RunError.refused("You already approved execution '\(paused.id)'; it needs another approver")) {
            try fixture.decide(paused, as: Self.bob)
        }
        // A worker driving the execution meanwhile (a restart) must not take one vote for the decision.
        _ = try fixture.runner.drive(executionId: paused.id)
        #expect(try fixture.database.execution(paused.id)?.state == "PAUSED")
        let done = try fixture.decide(paused, as: Self.carol)
        #expect(done.state == "SUCCESS")
        #expect(try fixture.lines(done).contains("approved by carol"))
        let approvals = try fixture.database.approvals(of: paused.id)
        #expect(approvals.map(\.decidedBy) == ["bob", "carol"])
        #expect(approvals.map(\.decisive) == [false, true])
        let actions = try fixture.database.auditEvents().map(\.action)
        #expect(actions.contains("execution.approved") && actions.contains("execution.resumed"))
        #expect(try fixture.database.verifyAuditChain() == .intact(events: actions.count))
    }

    @Test("with a quorum, one rejection ends the execution whatever was approved before")
    func rejectionAfterVote() throws {
        let fixture = try Fixture()
        let paused = try fixture.start(labels: "labels: {gatehouse.quorum: \"2\"}")
        _ = try fixture.decide(paused, as: Self.bob)
        #expect(throws: RunError.refused("A rejection needs a comment saying why")) {
            try fixture.decide(paused, as: Self.carol, approve: false, comment: "  ")
        }
        let killed = try fixture.decide(paused, as: Self.carol, approve: false, comment: "wrong team")
        #expect(killed.state == "KILLED")
        #expect(killed.error == "rejected by carol: wrong team")
    }

    @Test("approve and reject at the same moment: exactly one wins, the other is told it is no longer paused")
    func approveRejectRace() async throws {
        for _ in 0..<5 {
            let fixture = try Fixture()
            let paused = try fixture.start()
            let runner = fixture.runner
            async let approved = Result { try runner.decide(executionId: paused.id, inputs: [:], decider: Self.bob, approve: true, driveNow: false) }
            async let rejected = Result {
                try runner.decide(executionId: paused.id, inputs: [:], decider: Self.carol, approve: false, comment: "no", driveNow: false)
            }
            let outcomes = await [approved, rejected]
            #expect(outcomes.filter { (try? $0.get()) != nil }.count == 1)
            let decisive = try fixture.database.approvals(of: paused.id).filter(\.decisive)
            #expect(decisive.count == 1)
            let loser = outcomes.compactMap { outcome -> RunError? in
                if case .failure(let error) = outcome { error as? RunError } else { nil }
            }
            #expect(loser.count == 1)
            if case .notPaused? = loser.first {} else { Issue.record("the loser got \(String(describing: loser.first))") }
        }
    }
}

/// The notices to approvers and requesters, delivered to a real SMTP server (aiosmtpd) on 127.0.0.1.
@Suite(
    "Approval notices",
    .enabled(if: TestTools.smtpTestsCanRun, "aiosmtpd is not installed: run `python3 -m pip install aiosmtpd` (scripts/test does)")
)
struct ApprovalNoticeTests {
    static func fixture(_ smtp: FixtureServer, slack: FixtureServer? = nil) throws -> ApprovalTests.Fixture {
        var environment = MailTaskTests.environment(smtp, ["GATEHOUSE_BASE_URL": "https://gatehouse.example.com/"])
        if let slack { environment["GATEHOUSE_SLACK_WEBHOOK_URL"] = slack.baseURL + "/hooks/approvals" }
        let fixture = try ApprovalTests.Fixture(environment: environment)
        for (name, roles) in [("alice", ["requester"]), ("bob", ["approver"]), ("carol", ["approver", "requester"]), ("dan", ["requester"])] {
            try fixture.database.createUser(
                UserRecord(name: name, email: "\(name)@example.com", roles: roles, passwordHash: nil, createdAt: Date()), by: "test")
        }
        return fixture
    }

    @Test("a pause for people notifies its approvers by e-mail and Slack with a link, then reminds them while nobody decides")
    func neededAndReminders() throws {
        let smtp = try FixtureServer(.smtp)
        let slack = try FixtureServer(.http)
        let fixture = try Self.fixture(smtp, slack: slack)
        let paused = try fixture.start(labels: "labels: {gatehouse.remind-after: PT4H}")
        try fixture.worker.fireDueWork()
        var messages = try smtp.receivedMessages()
        #expect(messages.count == 1)
        #expect(Set(messages.first?["rcpt_tos"] as? [String] ?? []) == ["bob@example.com", "carol@example.com"])
        #expect((messages.first?["headers"] as? [String: String])?["subject"] == "alice asks for approval of infra.vm")
        let text = (messages.first?["text"] as? String) ?? ""
        #expect(text.contains("https://gatehouse.example.com/executions/\(paused.id)"))
        let posted = try slack.recordedRequests()
        #expect(posted.count == 1)
        #expect((posted.first?["body"] as? String)?.contains("alice asks for approval of infra.vm") == true)

        // Nothing more before the reminder is due; then one reminder, and the next one is scheduled.
        fixture.clock.advance(by: 3 * 3600)
        try fixture.worker.fireDueWork()
        #expect(try smtp.receivedMessages().count == 1)
        fixture.clock.advance(by: 3600)
        try fixture.worker.fireDueWork()
        messages = try smtp.receivedMessages()
        #expect(messages.count == 2)
        #expect((messages.last?["headers"] as? [String: String])?["subject"] == "Reminder: alice asks for approval of infra.vm")
        #expect(try fixture.database.workItems(ofExecution: paused.id).filter { $0.kind == "notice" }.count == 1)

        // A decision drops the pending reminder.
        _ = try fixture.decide(paused, as: ApprovalTests.bob)
        #expect(try fixture.database.workItems(ofExecution: paused.id).filter { $0.kind == "notice" }.isEmpty)
        fixture.clock.advance(by: 5 * 3600)
        try fixture.worker.fireDueWork()
        #expect(try smtp.receivedMessages().count == 2)
        #expect(try fixture.lines(paused).contains { $0.hasPrefix("approval-needed notice: e-mailed ") })
    }

    @Test("approvers named by SSO group are e-mailed through the groups their last proxied sign-in recorded")
    func groupApprovers() throws {
        let smtp = try FixtureServer(.smtp)
        let fixture = try Self.fixture(smtp)
        // erin and frank only ever sign in through the proxy; their groups are what it said last time.
        try fixture.database.recordProxyUser(name: "erin", email: "erin@example.com", roles: ["requester"], groups: ["platform"], at: Date())
        try fixture.database.recordProxyUser(name: "frank", email: "frank@example.com", roles: ["requester"], groups: ["web"], at: Date())
        #expect(try fixture.database.user(named: "erin")?.groupNames == ["platform"])
        let paused = try fixture.start(labels: "labels: {gatehouse.approvers: \"group:platform, user:dan\"}")
        try fixture.worker.fireDueWork()
        let messages = try smtp.receivedMessages()
        #expect(messages.count == 1)
        #expect(Set(messages.first?["rcpt_tos"] as? [String] ?? []) == ["erin@example.com", "dan@example.com"])
        // Leaving the group at the proxy takes erin off the next notice.
        try fixture.database.recordProxyUser(name: "erin", email: "erin@example.com", roles: ["requester"], groups: [], at: Date())
        #expect(try fixture.database.user(named: "erin")?.groupNames == [])
        #expect(try fixture.database.auditEvents().filter { $0.action == "user.updated-by-proxy" }.count == 1)
        _ = paused
    }

    @Test("a rejection ends the execution KILLED and tells the requester why")
    func rejectionNotifiesRequester() throws {
        let smtp = try FixtureServer(.smtp)
        let fixture = try Self.fixture(smtp)
        let paused = try fixture.start()
        try fixture.worker.fireDueWork()
        let killed = try fixture.decide(paused, as: ApprovalTests.bob, approve: false, comment: "cx52 is too big for a test")
        #expect(killed.state == "KILLED")
        try fixture.worker.fireDueWork()
        let message = try #require(try smtp.receivedMessages().last)
        #expect(message["rcpt_tos"] as? [String] == ["alice@example.com"])
        #expect((message["headers"] as? [String: String])?["subject"] == "Your request infra.vm was rejected")
        #expect((message["text"] as? String)?.contains("Reason: cx52 is too big for a test") == true)
        #expect((message["text"] as? String)?.contains("bob rejected your request") == true)
    }
}
