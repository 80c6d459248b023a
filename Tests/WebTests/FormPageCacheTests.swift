import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Web

/// The blank request form is rendered once per flow revision and viewer; each view still gets its own tokens.
@Suite("Request form page cache")
struct FormPageCacheTests {
    @Test("two views of a cached form carry the viewer's CSRF token and different submission tokens; forms with expressions are not cached")
    func tokensPerView() async throws {
        let fixture = try await RequestFormTests().fixture()
        let flow = try #require(fixture.server.catalog.deployed.first)
        #expect(!FormPageCache.isStatic(flow.flow))  // RequestFormTests' flow has a dependsOn
        try await Application(router: fixture.server.router()).test(.router) { client in
            let (browser, csrf) = try await RequestFormTests().signIn("ada", client)
            let first = String(buffer: try await browser.get(client, "/flows/team.infra/vm/request").body)
            let second = String(buffer: try await browser.get(client, "/flows/team.infra/vm/request").body)
            for html in [first, second] {
                #expect(html.contains(#"name="_csrf" value="\#(csrf)""#))
                #expect(!html.contains(FormPageCache.csrfPlaceholder) && !html.contains(FormPageCache.submissionPlaceholder))
            }
            let token = { (html: String) in html.firstMatch(of: /name="_submission" value="([^"]+)"/).map { String($0.1) } }
            #expect(token(first) != nil && token(first) != token(second))
        }
    }

    @Test("a static form is served from the cache with fresh tokens each time")
    func staticForm() async throws {
        let flow = """
            id: hello
            namespace: team.demo
            inputs:
              - {id: name, type: STRING, displayName: Your name, defaults: World}
            tasks:
              - {id: t, type: io.kestra.plugin.core.log.Log, message: hi}
            """
        let fixture = try await ServerFixture(flows: ["hello.yaml": flow])
        try fixture.server.accounts.addUser(name: "ada", roles: [.requester], email: nil, password: RequestFormTests.password, by: "test")
        #expect(FormPageCache.isStatic(try #require(fixture.server.catalog.deployed.first).flow))
        try await Application(router: fixture.server.router()).test(.router) { client in
            let (browser, csrf) = try await RequestFormTests().signIn("ada", client)
            var tokens = Set<String>()
            for _ in 0..<3 {
                let html = String(buffer: try await browser.get(client, "/flows/team.demo/hello/request").body)
                #expect(html.contains(#"name="_csrf" value="\#(csrf)""#))
                #expect(html.contains(#"<label for="input-name">Your name"#) && html.contains(#"value="World""#))
                #expect(!html.contains("placeholder-5e1d2c"))
                if let match = html.firstMatch(of: /name="_submission" value="([^"]+)"/) { tokens.insert(String(match.1)) }
            }
            #expect(tokens.count == 3)
            // Another user (another CSRF cookie) gets their own token, not the first viewer's.
            try fixture.server.accounts.addUser(name: "eve", roles: [.requester], email: nil, password: RequestFormTests.password, by: "test")
            let (other, otherCSRF) = try await RequestFormTests().signIn("eve", client)
            let html = String(buffer: try await other.get(client, "/flows/team.demo/hello/request").body)
            #expect(html.contains(#"name="_csrf" value="\#(otherCSRF)""#) && html.contains(#"<span class="who">eve</span>"#))
        }
    }
}
