import Engine
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Store
import Testing

@testable import Web

/// Who may see and decide a paused execution follows the flow's `gatehouse.approvers` policy, not the approver role
/// alone: a `user:` or `group:` approver without the role decides through the inbox, the page and the API, an approver
/// the policy does not name sees nothing of it, and the requester still never decides their own.
@Suite("Approvals by the flow's policy")
struct ApprovalPolicyAccessTests {
    static func flow(id: String, approvers: String) -> String {
        """
        id: \(id)
        namespace: team.infra
        labels:
          gatehouse.approvers: "\(approvers)"
        inputs:
          - {id: name, type: STRING}
        tasks:
          - {id: approve, type: io.kestra.plugin.core.flow.Pause}
          - {id: done, type: io.kestra.plugin.core.log.Log, message: "approved {{ inputs.name }}"}

        """
    }

    static let flows = [
        "carol.yaml": flow(id: "carols", approvers: "user:carol"),
        "leads.yaml": flow(id: "leads", approvers: "group:platform-leads"),
        "off.yaml": "id: off\nnamespace: team.infra\ndisabled: true\ntasks:\n  - {id: t, type: io.kestra.plugin.core.log.Log, message: hi}\n",
    ]

    func fixture() async throws -> ServerFixture {
        let fixture = try await ServerFixture(flows: Self.flows, environment: ["GATEHOUSE_TRUSTED_PROXIES": "127.0.0.1"])
        let accounts = fixture.server.accounts
        for (name, role) in [("ada", Role.requester), ("carol", .requester), ("bob", .approver)] {
            try accounts.addUser(name: name, roles: [role], email: nil, password: ApprovalPageTests.password, by: "test")
        }
        return fixture
    }

    /// An execution of flow `flowId` requested by `requester`, paused at the approval.
    func paused(_ fixture: ServerFixture, flowId: String, by requester: String) throws -> ExecutionRecord {
        let runner = fixture.server.runner
        let deployed = try #require(fixture.server.catalog.deployed(namespace: "team.infra", id: flowId))
        let execution = try runner.submit(
            deployed, resolution: runner.resolveInputs(of: deployed, submitted: ["name": .text("web-01")]), requester: requester)
        try Worker(runner: runner).fireDueWork()
        let stored = try #require(try runner.database.execution(execution.id))
        #expect(stored.state == "PAUSED")
        return stored
    }

    func state(_ fixture: ServerFixture, _ id: String) throws -> String? {
        try Worker(runner: fixture.server.runner).fireDueWork()
        return try fixture.server.runner.database.execution(id)?.state
    }

    @Test("user:carol without the approver role finds it in her inbox, opens it and approves; an approver not named gets 404")
    func namedUser() async throws {
        let fixture = try await fixture()
        let execution = try paused(fixture, flowId: "carols", by: "ada")
        let own = try paused(fixture, flowId: "carols", by: "carol")
        try await Application(router: fixture.server.router()).test(.router) { client in
            let (bob, bobsToken) = try await ApprovalPageTests().signIn("bob", client)
            #expect(try await bob.get(client, "/executions/\(execution.id)").status == .notFound)
            #expect(!String(buffer: try await bob.get(client, "/approvals").body).contains(execution.id))
            let refused = try await bob.post(client, "/executions/\(execution.id)/approve", form: [("_csrf", bobsToken)])
            #expect(refused.status == .notFound || refused.status == .forbidden)

            let (carol, csrf) = try await ApprovalPageTests().signIn("carol", client)
            let inbox = try await carol.get(client, "/approvals")
            #expect(inbox.status == .ok)
            let html = String(buffer: inbox.body)
            #expect(html.contains(execution.id))
            #expect(!html.contains(own.id))  // the four-eyes rule
            #expect(html.contains(#"<span class="badge" aria-label="1 waiting">1</span>"#))

            let page = try await carol.get(client, "/executions/\(execution.id)")
            #expect(page.status == .ok)
            #expect(String(buffer: page.body).contains(#"action="/executions/\#(execution.id)/approve""#))
            let ownPost = try await carol.post(client, "/executions/\(own.id)/approve", form: [("_csrf", csrf)])
            #expect(ownPost.status == .forbidden)
            #expect(String(buffer: ownPost.body).contains("someone else must decide it (four-eyes rule)"))

            let approved = try await carol.post(client, "/executions/\(execution.id)/approve", form: [("_csrf", csrf)])
            #expect(approved.status == .seeOther)
            #expect(try fixture.server.runner.database.approvals(of: execution.id).map(\.decidedBy) == ["carol"])
            #expect(try state(fixture, execution.id) == "SUCCESS")
            #expect(try state(fixture, own.id) == "PAUSED")
            #expect(try await bob.get(client, "/executions/\(execution.id)").status == .notFound)  // he did not decide it
        }
    }

    @Test("a member of group:platform-leads signed in through the proxy approves on the page, and with a token through the API")
    func groupMember() async throws {
        let fixture = try await fixture()
        let execution = try paused(fixture, flowId: "leads", by: "ada")
        let viaAPI = try paused(fixture, flowId: "leads", by: "ada")
        let proxy: HTTPFields = [HTTPField.Name("X-Forwarded-User")!: "grace", HTTPField.Name("X-Forwarded-Groups")!: "staff,platform-leads"]
        try await fixture.server.application(workers: 1).test(.live) { client in
            var headers = proxy
            let inbox = try await client.execute(uri: "/approvals", method: .get, headers: headers)
            #expect(inbox.status == .ok)
            #expect(String(buffer: inbox.body).contains(execution.id))
            let csrf = try #require(Browser.csrf(in: String(buffer: inbox.body)))
            let cookie = try #require(inbox.headers[values: .setCookie].first { $0.hasPrefix("gatehouse_csrf=") }?.split(separator: ";").first)
            headers[.cookie] = String(cookie)
            let page = try await client.execute(uri: "/executions/\(execution.id)", method: .get, headers: headers)
            #expect(page.status == .ok)
            #expect(String(buffer: page.body).contains(#"action="/executions/\#(execution.id)/approve""#))
            headers[.contentType] = "application/x-www-form-urlencoded"
            let approved = try await client.execute(
                uri: "/executions/\(execution.id)/approve", method: .post, headers: headers, body: ByteBuffer(string: "_csrf=\(csrf)"))
            #expect(approved.status == .seeOther)
            #expect(try fixture.server.runner.database.approvals(of: execution.id).map(\.decidedBy) == ["grace"])

            // A token carries the groups of the last sign-in through the proxy.
            let token = try fixture.server.accounts.createToken(for: "grace", name: "ci", by: "test")
            let (type, body) = ExecutionAPITests.multipart([("_comment", "fine")])
            let resumed = try await client.execute(
                uri: "/api/v1/executions/\(viaAPI.id)/resume", method: .post, headers: [.authorization: "Bearer \(token)", .contentType: type],
                body: body)
            #expect(resumed.status == .noContent)
        }
        #expect(try state(fixture, execution.id) == "SUCCESS")
        #expect(try state(fixture, viaAPI.id) == "SUCCESS")
    }

    @Test("API: carol resumes by her token, an approver the policy does not name cannot, and a disabled flow is not started (409)")
    func api() async throws {
        let fixture = try await fixture()
        let execution = try paused(fixture, flowId: "carols", by: "ada")
        let accounts = fixture.server.accounts
        let (carol, bob, ada) = (
            try accounts.createToken(for: "carol", name: "ci", by: "test"), try accounts.createToken(for: "bob", name: "ci", by: "test"),
            try accounts.createToken(for: "ada", name: "ci", by: "test")
        )
        try await Application(router: fixture.server.router()).test(.router) { client in
            func post(_ uri: String, _ token: String, _ fields: [(String, String)] = [("_comment", "fine")]) async throws -> TestResponse {
                let (type, body) = ExecutionAPITests.multipart(fields)
                return try await client.execute(
                    uri: uri, method: .post, headers: [.authorization: "Bearer \(token)", .contentType: type], body: body)
            }
            #expect(try await post("/api/v1/executions/\(execution.id)/resume", bob).status == .notFound)
            #expect(try await post("/api/v1/executions/\(execution.id)/reject", bob, [("_comment", "no")]).status == .notFound)
            #expect(try await post("/api/v1/executions/\(execution.id)/resume", ada).status == .forbidden)  // her own
            #expect(try await post("/api/v1/executions/\(execution.id)/resume", carol).status == .noContent)
            #expect(try fixture.server.runner.database.approvals(of: execution.id).map(\.decidedBy) == ["carol"])

            let disabled = try await post("/api/v1/executions/team.infra/off", ada)
            #expect(disabled.status == .conflict)
            #expect(String(buffer: disabled.body).contains("Cannot execute disabled flow 'team.infra.off'"))
        }
        let started = try fixture.server.runner.database.executions(matching: .init(flowId: "off"), offset: 0, limit: 10)
        #expect(started.0 == 0)
        #expect(try state(fixture, execution.id) == "SUCCESS")
    }
}
