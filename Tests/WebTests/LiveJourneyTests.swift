import Engine
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Store
import Testing

@testable import Web

@Suite("Live server journey")
struct LiveJourneyTests {
    static let flow = """
        id: hello
        namespace: team.demo
        inputs:
          - {id: name, type: STRING}
        tasks:
          - {id: greet, type: io.kestra.plugin.core.log.Log, message: "hello {{ inputs.name }}"}
          - {id: nap, type: io.kestra.plugin.core.flow.Sleep, duration: PT0.3S}
          - {id: bye, type: io.kestra.plugin.core.log.Log, message: "bye {{ inputs.name }}"}

        """

    @Test("sign in, submit the form, and follow the execution to SUCCESS through the Server-Sent Events stream")
    func journey() async throws {
        let fixture = try await ServerFixture(flows: ["hello.yaml": Self.flow])
        try fixture.server.accounts.addUser(name: "ada", roles: [.requester], email: nil, password: RequestFormTests.password, by: "test")
        let app = fixture.server.application(workers: 2)
        try await app.test(.live) { client in
            let browser = Browser()
            let token = try #require(Browser.csrf(in: String(buffer: try await browser.get(client, "/sign-in").body)))
            let signedIn = try await browser.post(
                client, "/sign-in", form: [("_csrf", token), ("name", "ada"), ("password", RequestFormTests.password)])
            #expect(signedIn.status == .seeOther)

            let form = String(buffer: try await browser.get(client, "/flows/team.demo/hello/request").body)
            let submission = try #require(form.firstMatch(of: /name="_submission" value="([^"]+)"/)).1
            let submitted = try await browser.post(
                client, "/flows/team.demo/hello/request", form: [("_csrf", token), ("_submission", String(submission)), ("name", "Ada <3")])
            let location = try #require(submitted.headers[.location])

            // The stream runs until the execution has ended and every line was sent.
            let stream = try await browser.get(client, location + "/events")
            #expect(stream.headers[.contentType] == "text/event-stream; charset=utf-8")
            let events = String(buffer: stream.body)
            let names = events.split(separator: "\n").filter { $0.hasPrefix("event: ") }.map { String($0.dropFirst(7)) }
            #expect(names.first == "state")
            #expect(names.filter { $0 == "log" }.count == 2)
            #expect(names.last == "end")
            #expect(events.contains(#""line":"hello Ada <3""#))
            // The Tasks table follows too: each task's row arrives, last with its end state.
            let rows = events.split(separator: "\n").filter { $0.hasPrefix("data: ") && $0.contains(#""task":"#) && $0.contains(#""attempts":"#) }
            for task in ["greet", "nap", "bye"] {
                let last = try #require(rows.last { $0.contains(#""task":"\#(task)""#) }, "no row for \(task)")
                #expect(last.contains(#""state":"SUCCESS""#) && last.contains(#""attempts":"1""#))
            }
            #expect(events.contains(#"event: end\#ndata: {"state":"SUCCESS"}"#))

            // Reconnecting with Last-Event-ID sends only what came after.
            let firstId = try #require(events.firstMatch(of: /id: (\d+)/)).1
            let resumed = try await client.execute(
                uri: location + "/events", method: .get, headers: [.cookie: browser.cookieHeader, HTTPField.Name("Last-Event-ID")!: String(firstId)])
            let again = String(buffer: resumed.body)
            #expect(!again.contains("hello Ada"))
            #expect(again.contains("bye Ada"))

            let page = String(buffer: try await browser.get(client, location).body)
            #expect(page.contains(#"id="state">SUCCESS</span>"#))
            #expect(!page.contains("execution.js"))  // an ended execution needs no live feed
        }
    }
}
