import Engine
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Store
import Synchronization
import TestSupport
import Testing
import Yams

@testable import Web

/// The journey needs a Terraform CLI and aiosmtpd; older CLIs (no `terraform_data`) get the outputs-only fixture.
enum JourneyTerraform {
    static let path = TerraformCLITool.path
    static let missing = TerraformCLITool.missing
    static var enabled: Bool { (path != nil && TestTools.smtpTestsCanRun) || TestTools.isCI }
    static var modern: Bool { TerraformCLITool.hasTerraformData }
}

/// The shipped Hetzner flows end to end, unchanged except for the module folder (configuration points the namespace
/// files at a provider-less fixture module): request → plan → approval with plan and cost → apply → e-mail and Slack →
/// My VMs → destroy; and a rejection. A real Terraform CLI, a real SMTP server and a real HTTP server.
@Suite("Hetzner VM journey", .enabled(if: JourneyTerraform.enabled, Comment(rawValue: JourneyTerraform.missing)), .serialized)
struct HetznerJourneyTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let password = RequestFormTests.password

    struct World {
        let fixture: ServerFixture
        let smtp: FixtureServer
        let slack: FixtureServer
        var worker: Worker { Worker(runner: fixture.server.runner) }
        var database: GatehouseDatabase { fixture.server.runner.database }
    }

    /// A clock the TTL test moves; it starts at the real time, as the flow's `date` computes the expiry with it.
    final class MovableClock: Sendable {
        private let offset = Mutex<TimeInterval>(0)
        var now: Date { Date().addingTimeInterval(offset.withLock { $0 }) }
        func advance(by seconds: TimeInterval) { offset.withLock { $0 += seconds } }
    }

    static func world(clock: MovableClock = MovableClock()) async throws -> World {
        _ = try #require(JourneyTerraform.path, Comment(rawValue: JourneyTerraform.missing))
        let smtp = try FixtureServer(.smtp)
        let slack = try FixtureServer(.http)
        var flows: [String: String] = [:]
        for name in ["vm-provision.yaml", "vm-destroy.yaml"] {
            flows[name] = try String(contentsOf: repository.appendingPathComponent("flows/hetzner/\(name)"), encoding: .utf8)
        }
        let namespaceFiles = fixtures.appendingPathComponent(JourneyTerraform.modern ? "namespace-files" : "namespace-files-legacy")
        let environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "GATEHOUSE_NAMESPACE_FILES": namespaceFiles.path,
            "GATEHOUSE_SMTP_HOST": "127.0.0.1", "GATEHOUSE_SMTP_PORT": "\(smtp.port)", "GATEHOUSE_SMTP_TRANSPORT": "SMTP",
            "GATEHOUSE_SMTP_FROM": "Gatehouse <gatehouse@example.com>", "GATEHOUSE_BASE_URL": "https://gatehouse.example.com",
            "SECRET_HCLOUD_TOKEN": Data("test-token-not-real".utf8).base64EncodedString(),
            "SECRET_SLACK_WEBHOOK_URL": Data("\(slack.baseURL)/hooks/vms".utf8).base64EncodedString(),
            "ENV_SLACK_NOTIFICATIONS": "true",
        ]
        let fixture = try await ServerFixture(flows: flows, runnerEnvironment: environment, clock: { clock.now })
        let accounts = fixture.server.accounts
        try accounts.addUser(name: "ada", roles: [.requester], email: "ada@example.com", password: password, by: "test")
        try accounts.addUser(name: "bob", roles: [.approver], email: "bob@example.com", password: password, by: "test")
        return World(fixture: fixture, smtp: smtp, slack: slack)
    }

    static func request(_ name: String, as browser: Browser, csrf: String, client: some TestClientProtocol) async throws -> TestResponse {
        let form = try await browser.get(client, "/flows/hetzner/vm-provision/request")
        let submission = try #require(String(buffer: form.body).firstMatch(of: /name="_submission" value="([^"]+)"/)).1
        return try await browser.post(
            client, "/flows/hetzner/vm-provision/request",
            form: [
                ("_csrf", csrf), ("_submission", String(submission)), ("name", name), ("server_type", "cx23"), ("location", "fsn1"),
                ("image", "debian-12"), ("team", "platform"), ("ttl", "PT8H"),
            ])
    }

    /// Runs the worker until the execution rests (paused or ended), as `gatehouse serve`'s worker would.
    static func settle(_ world: World, _ id: String) throws -> ExecutionRecord {
        for _ in 0..<20 {
            try world.worker.fireDueWork()
            if let execution = try world.database.execution(id), !["CREATED", "RUNNING", "QUEUED"].contains(execution.state) {
                try world.worker.fireDueWork()  // what the pause or the end wrote for now: notices
                return execution
            }
        }
        return try #require(try world.database.execution(id))
    }

    static func executionId(_ response: TestResponse) throws -> String {
        let location = try #require(response.headers[.location])
        return String(try #require(location.split(separator: "/").last))
    }

    @Test("request → plan → approve as another user → apply → e-mail and Slack → My VMs → destroy → gone")
    func provisionAndDestroy() async throws {
        let world = try await Self.world()
        try await Application(router: world.fixture.server.router()).test(.router) { client in
            let (ada, adaCSRF) = try await RequestFormTests().signIn("ada", client)
            let submitted = try await Self.request("web-01", as: ada, csrf: adaCSRF, client: client)
            #expect(submitted.status == .seeOther)
            let id = try Self.executionId(submitted)
            let paused = try Self.settle(world, id)
            let lines = try world.database.logs(of: id).map(\.line)
            #expect(paused.state == "PAUSED", "\(lines)")

            // The approver sees the plan, its hash and the cost, and approves what he saw.
            let (bob, bobCSRF) = try await RequestFormTests().signIn("bob", client)
            let page = String(buffer: try await bob.get(client, "/executions/\(id)").body)
            #expect(page.contains("Waiting for approval"))
            #expect(page.contains("€2.99/month (€0.04 for 8 h at €0.0048/h)"))
            if JourneyTerraform.modern {
                #expect(page.contains("<code>terraform_data.server</code>"))
                #expect(page.contains(#"<span class="action-create">1 to create</span>"#))
            }
            let hash = try #require(page.firstMatch(of: /id="plan-sha256">([0-9a-f]{64})</)).1
            let approved = try await bob.post(
                client, "/executions/\(id)/approve", form: [("_csrf", bobCSRF), ("_planSHA256", String(hash)), ("comment", "enjoy")])
            #expect(approved.status == .seeOther)
            let done = try Self.settle(world, id)
            let doneLines = try world.database.logs(of: id).map(\.line)
            #expect(done.state == "SUCCESS", "\(doneLines)")
            let ipv4 = try #require(PebbleOutputs.string(done.outputs, "ipv4"))
            #expect(ipv4.hasPrefix("203.0.113."))

            // The requester hears of it by e-mail (approvers got the approval notice) and on Slack.
            let mails = try world.smtp.receivedMessages()
            let ready = try #require(mails.first { ($0["rcpt_tos"] as? [String]) == ["ada@example.com"] })
            #expect((ready["headers"] as? [String: String])?["subject"] == "Your VM web-01 is ready at \(ipv4)")
            #expect((ready["text"] as? String)?.contains("ssh root@\(ipv4)") == true)
            #expect(mails.contains { ($0["rcpt_tos"] as? [String]) == ["bob@example.com"] })
            let posted = try world.slack.recordedRequests().compactMap { $0["body"] as? String }
            #expect(posted.contains { $0.contains("VM request web-01 by ada: SUCCESS, ssh root@\(ipv4)") })

            // A second VM of the same name is refused at the form.
            let again = try await Self.request("web-01", as: ada, csrf: adaCSRF, client: client)
            #expect(again.status == .unprocessableContent)
            #expect(String(buffer: again.body).contains("a live VM is already called `web-01`"))

            // My VMs lists it; the owner destroys it without an approval; then it is gone.
            let vms = String(buffer: try await ada.get(client, "/vms").body)
            #expect(vms.contains(#"id="vm-web-01""#) && vms.contains("<code>\(ipv4)</code>"))
            let destroy = try await ada.post(client, "/vms/\(id)/destroy", form: [("_csrf", adaCSRF)])
            #expect(destroy.status == .seeOther)
            let destroyId = try Self.executionId(destroy)
            let destroyed = try Self.settle(world, destroyId)
            let destroyLines = try world.database.logs(of: destroyId).map(\.line)
            #expect(destroyed.state == "SUCCESS", "\(destroyLines)")
            #expect(try world.database.taskRuns(of: destroyId).allSatisfy { $0.taskId != "approve" })
            let after = String(buffer: try await ada.get(client, "/vms").body)
            #expect(!after.contains(#"id="vm-web-01""#))
            #expect(after.contains(#"id="no-vms""#))
        }
    }

    @Test("a rejected request ends KILLED, tells the requester, and makes no VM")
    func rejection() async throws {
        let world = try await Self.world()
        try await Application(router: world.fixture.server.router()).test(.router) { client in
            let (ada, adaCSRF) = try await RequestFormTests().signIn("ada", client)
            let id = try Self.executionId(try await Self.request("web-02", as: ada, csrf: adaCSRF, client: client))
            #expect(try Self.settle(world, id).state == "PAUSED")
            let (bob, bobCSRF) = try await RequestFormTests().signIn("bob", client)
            let rejected = try await bob.post(client, "/executions/\(id)/reject", form: [("_csrf", bobCSRF), ("_comment", "use a smaller one")])
            #expect(rejected.status == .seeOther)
            let killed = try Self.settle(world, id)
            #expect(killed.state == "KILLED")
            #expect(killed.error == "rejected by bob: use a smaller one")
            let mail = try #require(try world.smtp.receivedMessages().last { ($0["rcpt_tos"] as? [String]) == ["ada@example.com"] })
            #expect((mail["headers"] as? [String: String])?["subject"] == "Your VM request web-02 was rejected or cancelled")
            #expect(try world.slack.recordedRequests().contains { ($0["body"] as? String)?.contains("web-02 by ada: KILLED") == true })
            #expect(!String(buffer: try await ada.get(client, "/vms").body).contains("web-02"))
        }
    }
}

extension HetznerJourneyTests {
    @Test("time to live: the owner is reminded once within a day of expiry, an extension moves it, expiry destroys without approval")
    func timeToLive() async throws {
        let clock = MovableClock()
        let world = try await Self.world(clock: clock)
        let flows = world.fixture.server.catalog.deployed
        try await Application(router: world.fixture.server.router()).test(.router) { client in
            let (ada, adaCSRF) = try await RequestFormTests().signIn("ada", client)
            let id = try Self.executionId(try await Self.request("web-03", as: ada, csrf: adaCSRF, client: client))
            #expect(try Self.settle(world, id).state == "PAUSED")
            let (bob, bobCSRF) = try await RequestFormTests().signIn("bob", client)
            _ = try await bob.post(client, "/executions/\(id)/approve", form: [("_csrf", bobCSRF)])
            #expect(try Self.settle(world, id).state == "SUCCESS")
            let reaper = VMReaper(runner: world.fixture.server.runner)
            let reminders = {
                try world.smtp.receivedMessages().filter { ($0["headers"] as? [String: String])?["subject"] == "Your VM web-03 expires within a day" }
            }

            // Eight hours to live: within a day, so one reminder, and only one.
            #expect(try reaper.run(flows: flows).isEmpty)
            #expect(try reaper.run(flows: flows).isEmpty)
            #expect(try reminders().count == 1)
            #expect(try reminders().first?["rcpt_tos"] as? [String] == ["ada@example.com"])

            // Extending by a day moves the expiry past the old one; at the old expiry nothing happens.
            #expect(try await ada.post(client, "/vms/\(id)/extend", form: [("_csrf", adaCSRF), ("by", "P1D")]).status == .seeOther)
            clock.advance(by: 8 * 3600 + 60)
            #expect(try reaper.run(flows: flows).isEmpty)
            #expect(try reminders().count == 2)  // the new expiry is within a day again: reminded for it

            // Past the extended expiry the VM is destroyed, with no approval.
            clock.advance(by: 24 * 3600)
            let destroys = try reaper.run(flows: flows)
            let destroy = try #require(destroys.first)
            #expect(destroys.count == 1)
            #expect(try reaper.run(flows: flows).isEmpty)  // already being destroyed
            let destroyed = try Self.settle(world, destroy.id)
            #expect(destroyed.state == "SUCCESS")
            #expect(try world.database.taskRuns(of: destroy.id).allSatisfy { $0.taskId != "approve" })
            #expect(!String(buffer: try await ada.get(client, "/vms").body).contains("web-03"))
        }
    }
}

/// The provision form's server types and locations against the price catalog, so the prices shown cannot drift.
@Suite("Hetzner price catalog and the provision form")
struct HetznerCatalogFormTests {
    @Test("every server type the form offers is priced in every location it offers, and its label shows that price")
    func labelsMatchCatalog() throws {
        let root = HetznerJourneyTests.repository
        let flow = try #require(
            try Yams.load(yaml: String(contentsOf: root.appendingPathComponent("flows/hetzner/vm-provision.yaml"), encoding: .utf8))
                as? [String: Any])
        let catalog = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent("terraform/hetzner-vm/prices.json")))
                as? [String: Any])
        let types = try #require(catalog["serverTypes"] as? [String: [String: Any]])
        let inputs = try #require(flow["inputs"] as? [[String: Any]])
        let options = { (id: String) in (inputs.first { $0["id"] as? String == id }?["values"] as? [[String: Any]]) ?? [] }
        let locations = options("location").compactMap { $0["value"] as? String }
        #expect(!locations.isEmpty && !options("server_type").isEmpty)
        for option in options("server_type") {
            let type = try #require(option["value"] as? String)
            let prices = try #require(types[type]?["prices"] as? [String: [String: Double]], "\(type) is not in prices.json")
            for location in locations { #expect(prices[location]?["monthly"] != nil, "\(type) has no price in \(location)") }
            let cheapest = try #require(prices.values.compactMap { $0["monthly"] }.min())
            #expect((option["label"] as? String)?.hasSuffix(String(format: "from €%.2f/month", cheapest)) == true, "\(type)")
        }
    }
}

/// Reads a flow output from an execution's stored outputs.
enum PebbleOutputs {
    static func string(_ outputs: String?, _ key: String) -> String? {
        guard let data = outputs?.data(using: .utf8), let map = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return map[key] as? String
    }
}
