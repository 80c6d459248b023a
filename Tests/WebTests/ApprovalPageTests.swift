import Engine
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Store
import Testing

@testable import Web

/// The approvals inbox, the execution page's approval panel and its Approve and Reject posts, and the API's resume and
/// reject: the four-eyes rule holds in each, errors come back next to their fields, everything is escaped.
@Suite("Approval pages")
struct ApprovalPageTests {
    static let flow = """
        id: vm
        namespace: team.infra
        inputs:
          - {id: name, type: STRING}
        tasks:
          - id: approve
            type: io.kestra.plugin.core.flow.Pause
            description: Check the **plan** and the cost.
            onResume:
              - {id: ticket, type: INT, displayName: Change ticket}
          - {id: done, type: io.kestra.plugin.core.log.Log, message: "ticket {{ outputs.approve.onResume.ticket }}"}

        """
    static let password = RequestFormTests.password

    func fixture() async throws -> ServerFixture {
        let fixture = try await ServerFixture(flows: ["vm.yaml": Self.flow])
        let accounts = fixture.server.accounts
        try accounts.addUser(name: "ada", roles: [.requester], email: nil, password: Self.password, by: "test")
        try accounts.addUser(name: "bob", roles: [.approver], email: nil, password: Self.password, by: "test")
        try accounts.addUser(name: "root", roles: [.admin], email: nil, password: Self.password, by: "test")
        return fixture
    }

    /// An execution of the flow requested by `requester`, paused at the approval.
    func paused(_ fixture: ServerFixture, by requester: String, name: String = "web-01") throws -> ExecutionRecord {
        let runner = fixture.server.runner
        let deployed = try #require(fixture.server.catalog.deployed.first)
        let execution = try runner.submit(
            deployed, resolution: runner.resolveInputs(of: deployed, submitted: ["name": .text(name)]), requester: requester)
        try Worker(runner: runner).fireDueWork()
        let stored = try #require(try runner.database.execution(execution.id))
        #expect(stored.state == "PAUSED")
        return stored
    }

    func signIn(_ name: String, _ client: some TestClientProtocol) async throws -> (Browser, String) {
        try await RequestFormTests().signIn(name, client)
    }

    @Test("the inbox lists what waits for the approver, oldest first, with a count in the navigation; XSS stays text")
    func inbox() async throws {
        let fixture = try await fixture()
        let first = try paused(fixture, by: "ada", name: "<script>alert(1)</script>")
        let second = try paused(fixture, by: "ada", name: "web-02")
        let own = try paused(fixture, by: "bob", name: "bobs-own")
        try await Application(router: fixture.server.router()).test(.router) { client in
            let (browser, _) = try await signIn("bob", client)
            let page = try await browser.get(client, "/approvals")
            #expect(page.status == .ok)
            let html = String(buffer: page.body)
            let firstAt = try #require(html.range(of: first.id)).lowerBound
            let secondAt = try #require(html.range(of: second.id)).lowerBound
            #expect(firstAt < secondAt)
            #expect(!html.contains(own.id))  // the four-eyes rule: not his to decide
            #expect(html.contains("name=&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!html.contains("<script>alert(1)"))
            #expect(html.contains(#"<span class="badge" aria-label="2 waiting">2</span>"#))

            let (requester, _) = try await signIn("ada", client)
            #expect(try await requester.get(client, "/approvals").status == .forbidden)
        }
    }

    @Test("approve: onResume errors show next to their field, then a valid approval resumes and is recorded")
    func approve() async throws {
        let fixture = try await fixture()
        let execution = try paused(fixture, by: "ada")
        try await Application(router: fixture.server.router()).test(.router) { client in
            let (browser, csrf) = try await signIn("bob", client)
            let page = String(buffer: try await browser.get(client, "/executions/\(execution.id)").body)
            #expect(page.contains("Waiting for approval"))
            #expect(page.contains("<strong>plan</strong>"))
            #expect(page.contains(#"<label for="input-ticket">Change ticket"#))
            #expect(page.contains(#"action="/executions/\#(execution.id)/approve""#))

            let invalid = try await browser.post(client, "/executions/\(execution.id)/approve", form: [("_csrf", csrf), ("ticket", "abc")])
            #expect(invalid.status == .unprocessableContent)
            let html = String(buffer: invalid.body)
            #expect(html.contains(#"id="input-ticket-errors""#))
            #expect(html.contains(#"value="abc""#))
            #expect(try fixture.server.runner.database.execution(execution.id)?.state == "PAUSED")

            let noToken = try await browser.post(client, "/executions/\(execution.id)/approve", form: [("ticket", "42")])
            #expect(noToken.status == .forbidden)
            #expect(try fixture.server.runner.database.approvals(of: execution.id).isEmpty)

            let approved = try await browser.post(
                client, "/executions/\(execution.id)/approve", form: [("_csrf", csrf), ("ticket", "42"), ("_comment", "fine <b>by</b> me")])
            #expect(approved.status == .seeOther)
            let approval = try #require(try fixture.server.runner.database.approvals(of: execution.id).first)
            #expect(approval.decidedBy == "bob" && approval.comment == "fine <b>by</b> me")
            try Worker(runner: fixture.server.runner).fireDueWork()
            #expect(try fixture.server.runner.database.execution(execution.id)?.state == "SUCCESS")
            #expect(try fixture.server.runner.database.logs(of: execution.id).contains { $0.line == "ticket 42" })
        }
    }

    @Test("self-approval is refused on the page and through the API, also for an admin; the requester sees why")
    func selfApproval() async throws {
        let fixture = try await fixture()
        let own = try paused(fixture, by: "root")
        let token = try fixture.server.accounts.createToken(for: "root", name: "ci", by: "test")
        try await Application(router: fixture.server.router()).test(.router) { client in
            let (browser, csrf) = try await signIn("root", client)
            let page = String(buffer: try await browser.get(client, "/executions/\(own.id)").body)
            #expect(page.contains("You requested this, so someone else must decide it (four-eyes rule)."))
            #expect(!page.contains(#"id="approve-form""#))
            let posted = try await browser.post(client, "/executions/\(own.id)/approve", form: [("_csrf", csrf), ("ticket", "1")])
            #expect(posted.status == .forbidden)
            #expect(String(buffer: posted.body).contains("someone else must decide it (four-eyes rule)"))

            let (type, body) = ExecutionAPITests.multipart([("ticket", "1")])
            let api = try await client.execute(
                uri: "/api/v1/executions/\(own.id)/resume", method: .post, headers: [.authorization: "Bearer \(token)", .contentType: type],
                body: body)
            #expect(api.status == .forbidden)
            #expect(String(buffer: api.body).contains("four-eyes rule"))
            #expect(try fixture.server.runner.database.approvals(of: own.id).isEmpty)
            #expect(try fixture.server.runner.database.execution(own.id)?.state == "PAUSED")
        }
    }

    @Test("reject needs a reason; with one the execution ends KILLED and the reason is recorded; the API rejects too")
    func reject() async throws {
        let fixture = try await fixture()
        let execution = try paused(fixture, by: "ada")
        let other = try paused(fixture, by: "ada")
        let token = try fixture.server.accounts.createToken(for: "bob", name: "cli", by: "test")
        try await Application(router: fixture.server.router()).test(.router) { client in
            let (browser, csrf) = try await signIn("bob", client)
            let empty = try await browser.post(client, "/executions/\(execution.id)/reject", form: [("_csrf", csrf), ("_comment", " ")])
            #expect(empty.status == .forbidden)
            #expect(String(buffer: empty.body).contains("A rejection needs a comment saying why"))
            let rejected = try await browser.post(
                client, "/executions/\(execution.id)/reject", form: [("_csrf", csrf), ("_comment", "<img src=x onerror=alert(1)>")])
            #expect(rejected.status == .seeOther)
            try Worker(runner: fixture.server.runner).fireDueWork()
            let killed = try #require(try fixture.server.runner.database.execution(execution.id))
            #expect(killed.state == "KILLED")
            let page = String(buffer: try await browser.get(client, "/executions/\(execution.id)").body)
            #expect(page.contains("rejected by bob: &lt;img src=x onerror=alert(1)&gt;"))
            #expect(!page.contains("<img src=x"))

            let (type, body) = ExecutionAPITests.multipart([("_comment", "not this week")])
            let api = try await client.execute(
                uri: "/api/v1/executions/\(other.id)/reject", method: .post, headers: [.authorization: "Bearer \(token)", .contentType: type],
                body: body)
            #expect(api.status == .noContent)
            #expect(try fixture.server.runner.database.approvals(of: other.id).first?.decision == "REJECTED")
        }
    }
}
