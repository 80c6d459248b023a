import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Store
import Testing

@testable import Web

/// A browser's cookie jar over HummingbirdTesting's client: keeps cookies between requests and reads form tokens.
final class Browser: @unchecked Sendable {
    var cookies: [String: String] = [:]

    var cookieHeader: String { cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ") }

    func remember(_ response: TestResponse) {
        for field in response.headers[values: .setCookie] {
            let pair = field.split(separator: ";")[0].split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { continue }
            if pair[1].isEmpty { cookies.removeValue(forKey: pair[0]) } else { cookies[pair[0]] = pair[1] }
        }
    }

    func get(_ client: some TestClientProtocol, _ uri: String) async throws -> TestResponse {
        let response = try await client.execute(uri: uri, method: .get, headers: [.cookie: cookieHeader])
        remember(response)
        return response
    }

    func post(_ client: some TestClientProtocol, _ uri: String, form: [(String, String)]) async throws -> TestResponse {
        let body = form.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
        let response = try await client.execute(
            uri: uri, method: .post, headers: [.cookie: cookieHeader, .contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: body))
        remember(response)
        return response
    }

    /// The CSRF token the page's forms carry.
    static func csrf(in html: String) -> String? {
        guard let range = html.range(of: #"name="_csrf" value="([^"]+)""#, options: .regularExpression) else { return nil }
        return String(html[range].split(separator: "\"")[3])
    }
}

@Suite("Sign-in, sessions and CSRF")
struct SignInTests {
    static let password = "correct-horse-battery"

    func fixture() async throws -> ServerFixture {
        let fixture = try await ServerFixture(flows: [
            "hello.yaml":
                "id: hello\nnamespace: team.demo\ndescription: Says <b>hello</b>\ntasks:\n  - {id: t, type: io.kestra.plugin.core.log.Log, message: hi}\n"
        ])
        try fixture.server.accounts.addUser(name: "ada", roles: [.requester], email: "ada@example.com", password: Self.password, by: "test")
        return fixture
    }

    @Test("anonymous visitors are sent to sign in; a correct password signs in and comes back; sign-out ends the session")
    func signInAndOut() async throws {
        let fixture = try await fixture()
        try await Application(router: fixture.server.router()).test(.router) { client in
            let browser = Browser()
            let anonymous = try await browser.get(client, "/")
            #expect(anonymous.status == .seeOther)
            #expect(anonymous.headers[.location] == "/sign-in?next=%2F")

            let page = try await browser.get(client, "/sign-in?next=/")
            let token = try #require(Browser.csrf(in: String(buffer: page.body)))
            let signedIn = try await browser.post(
                client, "/sign-in", form: [("_csrf", token), ("name", "Ada"), ("password", Self.password), ("next", "/")])
            #expect(signedIn.status == .seeOther)
            #expect(signedIn.headers[.location] == "/")
            let cookie = try #require(signedIn.headers[values: .setCookie].first { $0.hasPrefix("gatehouse_session=") })
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"))

            let catalog = try await browser.get(client, "/")
            let html = String(buffer: catalog.body)
            #expect(catalog.status == .ok)
            #expect(html.contains("<h3>hello</h3>"))
            #expect(html.contains("Says &lt;b&gt;hello&lt;/b&gt;"))  // escaped, never raw HTML
            #expect(html.contains(#"<span class="who">ada</span>"#))

            let session = try #require(browser.cookies["gatehouse_session"])
            let out = try await browser.post(client, "/sign-out", form: [("_csrf", token)])
            #expect(out.status == .seeOther)
            #expect(try await browser.get(client, "/").status == .seeOther)
            // The server forgets the session, not only the browser: a copy of the cookie, just used, no longer works.
            let replayed = try await client.execute(uri: "/", method: .get, headers: [.cookie: "gatehouse_session=\(session)"])
            #expect(replayed.status == .seeOther)
        }
        let actions = try fixture.server.runner.database.auditEvents().map(\.action)
        #expect(actions.contains("auth.signed-in") && actions.contains("auth.signed-out"))
    }

    @Test("a post without the browser's CSRF token, or with another one, is refused with 403")
    func csrf() async throws {
        let fixture = try await fixture()
        try await Application(router: fixture.server.router()).test(.router) { client in
            let browser = Browser()
            _ = try await browser.get(client, "/sign-in")
            let missing = try await browser.post(client, "/sign-in", form: [("name", "ada"), ("password", Self.password)])
            #expect(missing.status == .forbidden)
            let forged = try await browser.post(client, "/sign-in", form: [("_csrf", "forged"), ("name", "ada"), ("password", Self.password)])
            #expect(forged.status == .forbidden)
            #expect(browser.cookies["gatehouse_session"] == nil)
        }
    }

    @Test("a wrong password says so without telling whether the user exists; five failures lock the name for a while")
    func throttle() async throws {
        let fixture = try await fixture()
        try await Application(router: fixture.server.router()).test(.router) { client in
            let browser = Browser()
            let token = try #require(Browser.csrf(in: String(buffer: try await browser.get(client, "/sign-in").body)))
            let unknown = try await browser.post(client, "/sign-in", form: [("_csrf", token), ("name", "nobody"), ("password", "whatever-it-is")])
            #expect(unknown.status == .unauthorized)
            #expect(String(buffer: unknown.body).contains("The user name or the password is wrong."))
            for _ in 0..<5 {
                let wrong = try await browser.post(client, "/sign-in", form: [("_csrf", token), ("name", "ada"), ("password", "not-the-password")])
                #expect(wrong.status == .unauthorized)
                #expect(String(buffer: wrong.body).contains(#"value="ada""#))  // what was typed is kept, except the password
            }
            let locked = try await browser.post(client, "/sign-in", form: [("_csrf", token), ("name", "ada"), ("password", Self.password)])
            #expect(locked.status == .tooManyRequests)
            #expect(String(buffer: locked.body).contains("Too many failed sign-ins. Try again in 15 minutes."))
        }
        let failures = try fixture.server.runner.database.auditEvents().filter { $0.action == "auth.sign-in-failed" }
        #expect(failures.count == 7)
    }

    @Test("next never leads off the site", arguments: ["//evil.example/x", "https://evil.example", "/\\evil.example", "javascript:alert(1)"])
    func openRedirect(next: String) {
        #expect(SignInRoutes.safeNext(next) == "/")
        #expect(SignInRoutes.safeNext("/executions/abc?x=1") == "/executions/abc?x=1")
    }

    @Test("API tokens authenticate without a cookie; an unknown token is 401")
    func tokens() async throws {
        let fixture = try await fixture()
        let token = try fixture.server.accounts.createToken(for: "ada", name: "ci", by: "test")
        try await Application(router: fixture.server.router()).test(.router) { client in
            try await client.execute(uri: "/", method: .get, headers: [.authorization: "Bearer \(token)"]) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/", method: .get, headers: [.authorization: "Bearer gh_nope"]) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }
}

@Suite("Single sign-on behind a trusted proxy")
struct TrustedProxyTests {
    static let headers: HTTPFields = [
        HTTPField.Name("X-Forwarded-User")!: "Grace", HTTPField.Name("X-Forwarded-Email")!: "grace@example.com",
        HTTPField.Name("X-Forwarded-Groups")!: "staff,platform",
    ]

    @Test("the proxy's headers sign in from a trusted address, with roles from groups; from any other address they are ignored")
    func proxy() async throws {
        let trusted = try await ServerFixture(environment: ["GATEHOUSE_TRUSTED_PROXIES": "127.0.0.1", "GATEHOUSE_SSO_ROLES": "platform=auditor"])
        try await trusted.server.application(workers: 1).test(.live) { client in
            let page = try await client.execute(uri: "/requests", method: .get, headers: Self.headers)
            #expect(page.status == .ok)
            #expect(String(buffer: page.body).contains(#"<span class="who">grace</span>"#))
            let metrics = try await client.execute(uri: "/metrics", method: .get, headers: Self.headers)
            #expect(metrics.status == .ok)  // platform → auditor
        }
        let recorded = try #require(try trusted.server.runner.database.user(named: "grace"))
        #expect(recorded.email == "grace@example.com")
        #expect(Set(recorded.roleNames) == ["auditor", "requester"])
        #expect(recorded.groupNames == ["platform", "staff"])
        #expect(recorded.passwordHash == nil)
        #expect(try trusted.server.runner.database.auditEvents().filter { $0.action == "user.created-by-proxy" }.count == 1)
        let untrusted = try await ServerFixture(environment: ["GATEHOUSE_TRUSTED_PROXIES": "10.1.2.3"])
        try await untrusted.server.application(workers: 1).test(.live) { client in
            let page = try await client.execute(uri: "/requests", method: .get, headers: Self.headers)
            #expect(page.status == .seeOther)
            #expect(page.headers[.location]?.hasPrefix("/sign-in") == true)
        }
        #expect(throws: ConfigurationError.self) { try TrustedProxy(environment: ["GATEHOUSE_SSO_ROLES": "platform=boss"]) }
    }
}

@Suite("Sign-in throttling behind a reverse proxy")
struct ProxiedThrottleTests {
    /// One sign-in attempt as a proxy forwards it: `forwardedFor` is the `X-Forwarded-For` the proxy sends.
    static func attempt(
        _ client: some TestClientProtocol, name: String, password: String, forwardedFor: String
    ) async throws -> HTTPResponse.Status {
        let csrf = "proxied-csrf-token"
        let body = "_csrf=\(csrf)&name=\(name)&password=\(password)"
        let response = try await client.execute(
            uri: "/sign-in", method: .post,
            headers: [
                .cookie: "gatehouse_csrf=\(csrf)", .contentType: "application/x-www-form-urlencoded",
                HTTPField.Name("X-Forwarded-For")!: forwardedFor,
            ],
            body: ByteBuffer(string: body))
        return response.status
    }

    func fixture(proxies: String) async throws -> ServerFixture {
        let fixture = try await ServerFixture(environment: ["GATEHOUSE_TRUSTED_PROXIES": proxies])
        try fixture.server.accounts.addUser(name: "ada", roles: [.requester], email: nil, password: SignInTests.password, by: "test")
        return fixture
    }

    @Test("behind a trusted proxy, one client's five failures lock that client (and the names it tried), not everyone else")
    func perClient() async throws {
        let fixture = try await fixture(proxies: "127.0.0.1, 10.0.0.2")
        try await fixture.server.application(workers: 1).test(.live) { client in
            for number in 1...5 {
                // What the client put in the header itself (left) does not count; the proxies' own hops are skipped.
                let status = try await Self.attempt(
                    client, name: "guess\(number)", password: "wrong-password", forwardedFor: "198.51.100.\(number), 203.0.113.5, 10.0.0.2")
                #expect(status == .unauthorized)
            }
            #expect(try await Self.attempt(client, name: "guess9", password: "wrong-password", forwardedFor: "203.0.113.5") == .tooManyRequests)
            #expect(try await Self.attempt(client, name: "ada", password: SignInTests.password, forwardedFor: "203.0.113.5") == .tooManyRequests)
            #expect(try await Self.attempt(client, name: "ada", password: SignInTests.password, forwardedFor: "192.0.2.44") == .seeOther)
            // The user name is still throttled on its own, whichever address the guesses come from.
            #expect(try await Self.attempt(client, name: "guess1", password: "wrong-password", forwardedFor: "192.0.2.45") == .unauthorized)
        }
        let failures = try fixture.server.runner.database.auditEvents().filter { $0.action == "auth.sign-in-failed" }
        #expect(failures.contains { $0.details.contains("203.0.113.5") })
        #expect(!failures.contains { $0.details.contains("127.0.0.1") })
    }

    @Test("from a peer that is not a trusted proxy, X-Forwarded-For is ignored: the peer is throttled")
    func untrustedPeer() async throws {
        let fixture = try await fixture(proxies: "10.9.9.9")
        try await fixture.server.application(workers: 1).test(.live) { client in
            for number in 1...5 {
                let status = try await Self.attempt(client, name: "guess\(number)", password: "wrong-password", forwardedFor: "198.51.100.\(number)")
                #expect(status == .unauthorized)
            }
            #expect(try await Self.attempt(client, name: "ada", password: SignInTests.password, forwardedFor: "192.0.2.44") == .tooManyRequests)
        }
    }

    @Test("the client address: the right-most untrusted hop, ports and brackets removed; the peer when it is not a proxy")
    func clientAddress() throws {
        let proxy = try TrustedProxy(environment: ["GATEHOUSE_TRUSTED_PROXIES": "10.0.0.1,10.0.0.2"])
        #expect(proxy.clientAddress(peer: "10.0.0.1", forwardedFor: ["1.1.1.1, 192.0.2.7:5123", "10.0.0.2"]) == "192.0.2.7")
        #expect(proxy.clientAddress(peer: "10.0.0.1", forwardedFor: ["[2001:db8::7]:443"]) == "2001:db8::7")
        #expect(proxy.clientAddress(peer: "10.0.0.1", forwardedFor: ["2001:db8::8"]) == "2001:db8::8")
        #expect(proxy.clientAddress(peer: "10.0.0.1", forwardedFor: ["10.0.0.2"]) == "10.0.0.2")
        #expect(proxy.clientAddress(peer: "10.0.0.1", forwardedFor: []) == "10.0.0.1")
        #expect(proxy.clientAddress(peer: "192.0.2.9", forwardedFor: ["1.1.1.1"]) == "192.0.2.9")
    }
}

@Suite("API tokens page")
struct TokenPageTests {
    @Test("a user creates a token (shown once), uses it, and revokes it; another user's token cannot be revoked")
    func tokens() async throws {
        let fixture = try await ServerFixture()
        try fixture.server.accounts.addUser(name: "ada", roles: [.requester], email: nil, password: SignInTests.password, by: "test")
        try fixture.server.accounts.addUser(name: "eve", roles: [.requester], email: nil, password: nil, by: "test")
        let evesToken = try fixture.server.accounts.createToken(for: "eve", name: "eve's", by: "test")
        let evesHash = Accounts.sha256(evesToken)
        try await Application(router: fixture.server.router()).test(.router) { client in
            let browser = Browser()
            let csrf = try #require(Browser.csrf(in: String(buffer: try await browser.get(client, "/sign-in").body)))
            _ = try await browser.post(client, "/sign-in", form: [("_csrf", csrf), ("name", "ada"), ("password", SignInTests.password)])
            let created = String(buffer: try await browser.post(client, "/tokens", form: [("_csrf", csrf), ("name", "laptop <1>")]).body)
            let token = try #require(created.firstMatch(of: /<code class="secret">(gh_[A-Za-z0-9_-]+)<\/code>/)).1
            #expect(created.contains("laptop &lt;1&gt;"))
            #expect(!String(buffer: try await browser.get(client, "/tokens").body).contains(String(token)))  // shown once

            let api = try await client.execute(uri: "/api/v1/executions/search", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(api.status == .ok)
            let hash = Accounts.sha256(String(token))
            #expect(try await browser.post(client, "/tokens/\(evesHash)/revoke", form: [("_csrf", csrf)]).status == .notFound)
            #expect(try await browser.post(client, "/tokens/\(hash)/revoke", form: [("_csrf", csrf)]).status == .seeOther)
            let revoked = try await client.execute(uri: "/api/v1/executions/search", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(revoked.status == .unauthorized)
            #expect(try await browser.post(client, "/tokens", form: [("_csrf", csrf), ("name", " ")]).status == .unprocessableContent)
        }
        #expect(try fixture.server.runner.database.user(apiTokenSHA256: evesHash, now: Date()) != nil)
    }
}
