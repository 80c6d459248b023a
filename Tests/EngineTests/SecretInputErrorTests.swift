import FlowModel
import Foundation
import Pebble
import Testing

@testable import Engine
@testable import Store

/// A SECRET input's value never appears in an input error: those reach the form page, the API's answers and, for
/// triggered executions, the error stored with the execution.
@Suite("SECRET inputs in errors")
struct SecretInputErrorTests {
    static let hook = """
        id: rotate
        namespace: engine.secrets
        inputs:
          - {id: token, type: SECRET, validator: '^[a-z]{12}$'}
          - {id: note, type: STRING, validator: '^[a-z]+$'}
        tasks:
          - {id: say, type: io.kestra.plugin.core.log.Log, message: "rotated"}
        triggers:
          - {id: ci, type: io.kestra.plugin.core.trigger.Webhook, key: hook-key, inputs: {token: "{{ trigger.body.token }}", note: "{{ trigger.body.note }}"}}

        """

    @Test("the resolver names the SECRET input and the problem, not the value; other inputs still echo theirs")
    func resolver() {
        let resolution = InputFixtures.resolve(
            "  - {id: token, type: SECRET, validator: '^[a-z]{12}$'}\n  - {id: note, type: STRING, validator: '^[a-z]+$'}",
            ["token": .text("Hunter2-Typo"), "note": .text("N0te")])
        #expect(
            resolution.errors == [
                "Invalid input for `token`, it must match the pattern `^[a-z]{12}$`; the value received is a secret and is not shown",
                "Invalid input for `note`, it must match the pattern `^[a-z]+$`, but received `N0te`",
            ])
        #expect(!resolution.errors.joined().contains("Hunter2-Typo"))
        let missing = InputFixtures.resolve("  - {id: token, type: SECRET}")
        #expect(missing.errors == ["Invalid input for `token`, missing required input, but received `null`"])
    }

    @Test("a webhook execution that fails on a SECRET input stores an error without the value")
    func webhookError() throws {
        let fixture = try TimedFixture()
        let flow = try deploy(Self.hook, in: fixture)
        let request = WebhookRequest(method: "POST", body: #"{"token": "Hunter2-Typo", "note": "fine"}"#, contentType: "application/json")
        let started = try #require(
            try WebhookTriggers(runner: fixture.runner).start(
                namespace: "engine.secrets", flowId: "rotate", key: "hook-key", request: request, flows: [flow]))

        let stored = try fixture.execution(started.id)
        #expect(stored.state == "FAILED")
        let error = try #require(stored.error)
        #expect(error.contains("Invalid input for `token`, it must match the pattern `^[a-z]{12}$`"))
        #expect(!error.contains("Hunter2-Typo"))
    }
}
