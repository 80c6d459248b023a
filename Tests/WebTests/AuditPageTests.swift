import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Store
import Testing

@testable import Web

@Suite("Audit page")
struct AuditPageTests {
    static let password = "correct-horse-battery"
    static let flow =
        "id: hello\nnamespace: team.demo\n# <script>alert(1)</script>\ntasks:\n  - {id: t, type: io.kestra.plugin.core.log.Log, message: hi}\n"

    func fixture() async throws -> ServerFixture {
        let fixture = try await ServerFixture(flows: ["hello.yaml": Self.flow])
        let accounts = fixture.server.accounts
        try accounts.addUser(name: "rita", roles: [.requester], email: nil, password: Self.password, by: "test")
        try accounts.addUser(name: "olga", roles: [.auditor], email: nil, password: Self.password, by: "test")
        try accounts.addUser(name: "adam", roles: [.admin], email: nil, password: nil, by: "test")
        return fixture
    }

    static func signIn(_ client: some TestClientProtocol, as name: String, password: String = password) async throws -> (Browser, TestResponse) {
        let browser = Browser()
        let token = try #require(Browser.csrf(in: String(buffer: try await browser.get(client, "/sign-in").body)))
        let response = try await browser.post(client, "/sign-in", form: [("_csrf", token), ("name", name), ("password", password), ("next", "/")])
        return (browser, response)
    }

    @Test("anonymous visitors sign in first, requesters get 403 and no link; auditors and admins see the log, newest first")
    func access() async throws {
        let fixture = try await fixture()
        let adminToken = try fixture.server.accounts.createToken(for: "adam", name: "t", by: "test")
        try await Application(router: fixture.server.router()).test(.router) { client in
            let anonymous = try await client.execute(uri: "/audit", method: .get)
            #expect(anonymous.status == .seeOther)
            #expect(anonymous.headers[.location] == "/sign-in?next=%2Faudit")

            let (rita, _) = try await Self.signIn(client, as: "rita")
            #expect(try await rita.get(client, "/audit").status == .forbidden)
            #expect(!String(buffer: try await rita.get(client, "/").body).contains(#"href="/audit""#))

            let (olga, _) = try await Self.signIn(client, as: "olga")
            let page = try await olga.get(client, "/audit")
            #expect(page.status == .ok)
            let html = String(buffer: page.body)
            #expect(html.contains(#"<a href="/audit">Audit log</a>"#))
            let signedIn = try #require(html.range(of: "<code>auth.signed-in</code>"))
            let created = try #require(html.range(of: "<code>user.created</code>"))
            #expect(signedIn.lowerBound < created.lowerBound)  // newest first
            #expect(html.contains("<code>flow.deployed</code>") && html.contains("team.demo.hello"))

            let admin = try await client.execute(uri: "/audit", method: .get, headers: [.authorization: "Bearer \(adminToken)"])
            #expect(admin.status == .ok)
        }
    }

    @Test("a failed sign-in is recorded with the name typed, never the password, and the page shows it")
    func failedSignIn() async throws {
        let fixture = try await fixture()
        try await Application(router: fixture.server.router()).test(.router) { client in
            let (_, refused) = try await Self.signIn(client, as: "olga", password: "hunter2-wrong-guess")
            #expect(refused.status == .unauthorized)
            let (olga, _) = try await Self.signIn(client, as: "olga")
            let html = String(buffer: try await olga.get(client, "/audit?action=auth.sign-in-failed").body)
            #expect(html.contains("<code>auth.sign-in-failed</code>") && html.contains("wrong user name or password"))
            #expect(!html.contains("<code>auth.signed-in</code>"))
        }
        let failure = try #require(try fixture.server.runner.database.auditEvents().first { $0.action == "auth.sign-in-failed" })
        #expect(failure.actor == "anonymous")
        #expect(failure.details.contains(#""user":"olga""#))
        #expect(!failure.details.contains("hunter2"))
    }

    @Test("filters by actor, action, execution and dates; pages keep the filters; bad dates are refused")
    func filtersAndPaging() async throws {
        let fixture = try await fixture()
        let token = try fixture.server.accounts.createToken(for: "olga", name: "t", by: "test")
        let start = Date(timeIntervalSince1970: 1_893_456_000)  // 2030-01-01
        try await fixture.server.runner.database.writer.write { db in
            for index in 0..<60 {
                try GatehouseDatabase.appendAuditEvent(
                    db, actor: index % 2 == 0 ? "even" : "odd", action: "execution.created", executionId: "exec\(index)",
                    details: ["flow": "infra.vm"], at: start.addingTimeInterval(Double(index) * 86_400))
            }
        }
        try await Application(router: fixture.server.router()).test(.router) { client in
            func page(_ uri: String) async throws -> (HTTPResponse.Status, String) {
                let response = try await client.execute(uri: uri, method: .get, headers: [.authorization: "Bearer \(token)"])
                return (response.status, String(buffer: response.body))
            }
            func executions(_ html: String) -> [String] {
                html.matches(of: /<a href="\/executions\/(exec\d+)">/).map { String($0.output.1) }
            }
            let (_, byExecution) = try await page("/audit?execution=exec7")
            #expect(executions(byExecution) == ["exec7"])

            let (_, odd) = try await page("/audit?actor=odd&action=execution.")
            #expect(executions(odd).count == 30 && executions(odd).first == "exec59")
            #expect(!odd.contains("Older events"))

            let (_, days) = try await page("/audit?from=2030-01-03&to=2030-01-05")
            #expect(executions(days) == ["exec4", "exec3", "exec2"])

            let (_, first) = try await page("/audit?action=execution.created")
            #expect(executions(first).count == 50 && executions(first).first == "exec59")
            let next = try #require(first.firstMatch(of: /<a href="([^"]+)">Older events<\/a>/)).output.1
            #expect(next.contains("action=execution.created") && next.contains("before="))
            let (_, second) = try await page(String(next).replacingOccurrences(of: "&amp;", with: "&"))
            #expect(executions(second) == (0..<10).reversed().map { "exec\($0)" })

            let (status, bad) = try await page("/audit?from=yesterday")
            #expect(status == .badRequest)
            #expect(bad.contains("“From” must be a day (2026-01-31) or an ISO 8601 time."))
        }
    }

    @Test("what actors and flows wrote is escaped, and a long diff is folded")
    func escaping() async throws {
        let fixture = try await fixture()
        let token = try fixture.server.accounts.createToken(for: "olga", name: "t", by: "test")
        _ = try await fixture.server.runner.database.writer.write { db in
            try GatehouseDatabase.appendAuditEvent(
                db, actor: "<img src=x onerror=alert(1)>", action: "execution.created", executionId: "e\"><script>x</script>",
                details: ["comment": "<b>bold</b>"])
        }
        try await Application(router: fixture.server.router()).test(.router) { client in
            let html = String(buffer: try await client.execute(uri: "/audit", method: .get, headers: [.authorization: "Bearer \(token)"]).body)
            #expect(!html.contains("<script>") && !html.contains("<img") && !html.contains("<b>bold"))
            #expect(html.contains("&lt;img src=x onerror=alert(1)&gt;"))
            #expect(html.contains("&lt;b&gt;bold&lt;/b&gt;"))
            #expect(html.contains("+# &lt;script&gt;alert(1)&lt;/script&gt;"))  // the flow's diff
            #expect(html.contains("<details><summary>"))
        }
    }

    @Test("config.loaded records where flows and data are, the workers and trusted proxies, and never a secret's value")
    func configurationLoaded() async throws {
        let fixture = try await fixture()
        let environment = [
            "GATEHOUSE_TRUSTED_PROXIES": "10.0.0.7", "GATEHOUSE_SSO_ROLES": "platform=admin", "GATEHOUSE_ADMIN_PASSWORD": "admin-password-value",
            "GATEHOUSE_SECRET_KEY": "c2VjcmV0LWtleS12YWx1ZQ==", "GATEHOUSE_SMTP_PASSWORD": "smtp-password-value", "SECRET_TOKEN": "dG9rZW4=",
        ]
        try fixture.server.recordConfigurationLoaded(workers: 3, environment: environment)
        let event = try #require(try fixture.server.runner.database.auditEvents().last)
        #expect(event.action == "config.loaded" && event.actor == "gatehouse serve")
        let details = try #require(try JSONSerialization.jsonObject(with: Data(event.details.utf8)) as? [String: String])
        #expect(details["workers"] == "3" && details["trustedProxies"] == "10.0.0.7" && details["ssoRoles"] == "platform=admin")
        #expect(details["flows"] == fixture.root.appendingPathComponent("flows").path)
        #expect(details["data"] == fixture.root.appendingPathComponent("data").path)
        #expect(details["flowsLoaded"] == "1")
        #expect(
            details["variables"]
                == "GATEHOUSE_ADMIN_PASSWORD,GATEHOUSE_SECRET_KEY,GATEHOUSE_SMTP_PASSWORD,GATEHOUSE_SSO_ROLES,GATEHOUSE_TRUSTED_PROXIES")
        for secret in ["admin-password-value", "c2VjcmV0LWtleS12YWx1ZQ==", "smtp-password-value", "dG9rZW4=", "SECRET_TOKEN"] {
            #expect(!event.details.contains(secret))
        }
    }
}
