import Foundation
import Testing

@testable import Notify

/// Kestra's payload rules for SlackIncomingWebhook and its Markdown conversion.
@Suite("Slack messages")
struct SlackMessageTests {
    @Test(
        "Markdown → mrkdwn as plugin-slack converts it",
        arguments: [
            ("**bold** and __italic__", "*bold* and _italic_"),
            ("[Details](https://x.test/a?b=1)", "<https://x.test/a?b=1|Details>"),
            ("*already* mrkdwn stays", "*already* mrkdwn stays"),
            ("**not\nacross lines**", "**not\nacross lines**"),
        ]
    )
    func markdown(input: String, expected: String) {
        #expect(SlackMarkdown.mrkdwn(from: input) == expected)
    }

    @Test("payload wins and must be a JSON object; messageText that is a JSON object is sent as is, else wrapped as text")
    func payloadRules() throws {
        #expect(try SlackWebhook.payload(payload: #"{"text":"a"}"#, messageText: "ignored") == #"{"text":"a"}"#)
        #expect(throws: SlackError.self) { try SlackWebhook.payload(payload: "[1]", messageText: nil) }
        #expect(throws: SlackError.self) { try SlackWebhook.payload(payload: "{oops", messageText: nil) }
        #expect(try SlackWebhook.payload(payload: nil, messageText: #"{"blocks":[]}"#) == #"{"blocks":[]}"#)
        #expect(try SlackWebhook.payload(payload: nil, messageText: #"say "hi" **now**"#) == #"{"text":"say \"hi\" *now*"}"#)
        #expect(throws: SlackError.nothingToSend) { try SlackWebhook.payload(payload: nil, messageText: nil) }
    }
}
