import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Web

/// Flows moved from Kestra link to `{{ kestra.url }}ui/executions/NAMESPACE/FLOW/ID`; those links open Gatehouse's page.
@Suite("Kestra's execution links")
struct KestraLinkTests {
    @Test("Kestra's UI address of an execution, with or without a tab, redirects to its page, which still checks access")
    func redirects() async throws {
        let fixture = try await ServerFixture()
        try fixture.server.accounts.addUser(name: "ada", roles: [.requester], email: nil, password: "correct-horse-battery", by: "test")
        try await Application(router: fixture.server.router()).test(.router) { client in
            let anonymous = try await client.execute(uri: "/ui/executions/team.infra/vm/AbC123xyz", method: .get)
            #expect(anonymous.status == .seeOther && anonymous.headers[.location]?.hasPrefix("/sign-in") == true)

            let browser = Browser()
            let token = try #require(Browser.csrf(in: String(buffer: try await browser.get(client, "/sign-in").body)))
            let signedIn = try await browser.post(
                client, "/sign-in", form: [("_csrf", token), ("name", "ada"), ("password", "correct-horse-battery")])
            #expect(signedIn.status == .seeOther)
            for path in ["/ui/executions/team.infra/vm/AbC123xyz", "/ui/executions/team.infra/vm/AbC123xyz/logs"] {
                let response = try await browser.get(client, path)
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/executions/AbC123xyz")
            }
            let target = try await browser.get(client, "/executions/AbC123xyz")
            #expect(target.status == .notFound)
        }
    }
}
