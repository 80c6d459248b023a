import Foundation
import TestSupport
import Testing

@testable import Engine
@testable import Store

/// SlackIncomingWebhook and SlackExecution in real flows, posting to a real HTTP sink on 127.0.0.1.
@Suite("Slack tasks against a live webhook sink")
struct SlackTaskTests {
    /// The JSON bodies the sink received, in order.
    static func payloads(_ server: FixtureServer) throws -> [[String: Any]] {
        try server.recordedRequests().map { request in
            let body = request["body"] as? String ?? ""
            return try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] ?? [:]
        }
    }

    @Test("payload as a map and as JSON text; messageText converted from Markdown, under old and new type names")
    func incomingWebhook() throws {
        let server = try FixtureServer(.http)
        let fixture = try WorldTaskFixture()
        let execution = try fixture.run(
            """
            tasks:
              - id: map
                type: io.kestra.plugin.slack.notifications.SlackIncomingWebhook
                url: \(server.baseURL)/slack
                payload: {text: "Deploying {{ flow.id }}", blocks: [{type: divider}]}
              - id: json
                type: io.kestra.plugin.notifications.slack.SlackIncomingWebhook
                url: \(server.baseURL)/slack
                payload: '{"text": "json {{ flow.namespace }}"}'
              - id: text
                type: io.kestra.plugin.slack.SlackIncomingWebhook
                url: \(server.baseURL)/slack
                messageText: "**{{ flow.id }}** is __done__: [Details](http://gatehouse.test/x)"
            """)
        #expect(execution.state == "SUCCESS")
        let received = try Self.payloads(server)
        try #require(received.count == 3)
        #expect(received[0]["text"] as? String == "Deploying world")
        #expect((received[0]["blocks"] as? [[String: String]])?.first?["type"] == "divider")
        #expect(received[1]["text"] as? String == "json engine.world")
        #expect(received[2]["text"] as? String == "*world* is _done_: <http://gatehouse.test/x|Details>")
        #expect(
            try server.recordedRequests().allSatisfy { ($0["headers"] as? [String: String])?["content-type"]?.hasPrefix("application/json") == true })
    }

    @Test("SlackExecution in afterExecution: flow, final state, requester, link to the execution page and custom fields")
    func execution() throws {
        let server = try FixtureServer(.http)
        let fixture = try WorldTaskFixture(environment: ["GATEHOUSE_BASE_URL": "https://gatehouse.example.com/"])
        let execution = try fixture.run(
            """
            tasks:
              - {id: work, type: io.kestra.plugin.core.log.Log, message: working}
            afterExecution:
              - id: summary
                type: io.kestra.plugin.notifications.slack.SlackExecution
                url: \(server.baseURL)/slack
                customMessage: "VM for {{ flow.id }} is ready"
                customFields: {Environment: production}
                username: gatehouse-bot
            """)
        #expect(execution.state == "SUCCESS")
        let payload = try #require(try Self.payloads(server).first)
        let link = "https://gatehouse.example.com/executions/\(execution.id)"
        #expect(payload["text"] as? String == "*<\(link)|[engine.world] world ➛ SUCCESS>*\n> Succeeded after " + Self.duration(payload))
        #expect(payload["username"] as? String == "gatehouse-bot")
        let attachment = try #require((payload["attachments"] as? [[String: Any]])?.first)
        #expect(attachment["color"] as? String == "good")
        let fields = Dictionary(
            uniqueKeysWithValues: (attachment["fields"] as? [[String: Any]] ?? []).map {
                ($0["title"] as? String ?? "", $0["value"] as? String ?? "")
            })
        #expect(fields["Flow ID"] == "world")
        #expect(fields["Execution ID"] == execution.id)
        #expect(fields["Execution Status"] == "SUCCESS")
        #expect(fields["Requested by"] == "alice")
        #expect(fields["Environment"] == "production")
        #expect(fields["Final task ID"] == "work")
        let blocks = payload["blocks"] as? [[String: Any]] ?? []
        #expect((blocks.first?["text"] as? [String: String])?["text"] == "VM for world is ready")
        #expect(((blocks.last?["accessory"] as? [String: Any])?["url"] as? String) == link)
    }

    /// The duration text the message carries, read back from its "Duration" field.
    static func duration(_ payload: [String: Any]) -> String {
        let fields = (payload["attachments"] as? [[String: Any]])?.first?["fields"] as? [[String: Any]] ?? []
        return fields.first { $0["title"] as? String == "Duration" }?["value"] as? String ?? "?"
    }

    @Test("a non-2xx answer fails the task with the status and the body")
    func rejected() throws {
        let server = try FixtureServer(.http)
        let fixture = try WorldTaskFixture()
        let execution = try fixture.run(
            """
            tasks:
              - {id: post, type: io.kestra.plugin.slack.notifications.SlackIncomingWebhook, url: "\(server.baseURL)/status/404", messageText: hi}
            """)
        #expect(execution.state == "FAILED")
        #expect(try fixture.lines(execution).contains("Slack webhook request failed with status 404: status 404"))
    }
}
