import Foundation

/// Why Slack did not take a message.
package enum SlackError: Error, Equatable, CustomStringConvertible {
    /// Neither `payload` nor `messageText` was given.
    case nothingToSend
    /// `payload` is not a JSON object.
    case invalidPayload(String)
    /// Slack (or the server at the webhook URL) answered with a status outside 2xx.
    case rejected(status: Int, body: String)

    package var description: String {
        switch self {
        case .nothingToSend:
            "either `payload` or `messageText` must be provided"
        case .invalidPayload(let reason):
            "`payload` must be a JSON object: \(reason)"
        case .rejected(let status, let body):
            "Slack webhook request failed with status \(status): \(body.isEmpty ? "(empty body)" : body)"
        }
    }
}

/// Posts messages to a Slack incoming webhook, with the payload rules of Kestra's `SlackIncomingWebhook`.
package enum SlackWebhook {
    /// The JSON to post: `payload` when given (checked to be a JSON object), else `messageText` — itself a JSON object,
    /// or text converted from Markdown to Slack's mrkdwn and sent as `{"text": …}`.
    package static func payload(payload: String?, messageText: String?) throws -> String {
        if let payload {
            let data = Data(payload.utf8)
            do {
                guard try JSONSerialization.jsonObject(with: data) is [String: Any] else {
                    throw SlackError.invalidPayload("it is JSON, but not an object")
                }
            } catch let error as SlackError {
                throw error
            } catch {
                throw SlackError.invalidPayload((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)")
            }
            return payload
        }
        guard let messageText else { throw SlackError.nothingToSend }
        if let object = try? JSONSerialization.jsonObject(with: Data(messageText.utf8)), object is [String: Any] {
            return messageText
        }
        return json(["text": SlackMarkdown.mrkdwn(from: messageText)])
    }

    /// Posts `payload` (JSON) to `url`; any status outside 2xx throws ``SlackError/rejected(status:body:)``.
    package static func post(
        url: String, payload: String, headers: [(name: String, value: String)] = [], connectTimeout: Duration? = nil,
        readIdleTimeout: Duration? = nil
    ) async throws -> OutboundResponse {
        let request = OutboundRequest(
            url: url, method: "POST", headers: [("Content-Type", "application/json; charset=utf-8")] + headers,
            body: Array(payload.utf8), connectTimeout: connectTimeout, readIdleTimeout: readIdleTimeout,
            maxResponseBytes: 1024 * 1024)
        let response = try await OutboundHTTP.send(request)
        guard (200..<300).contains(response.status) else {
            throw SlackError.rejected(status: response.status, body: String(response.text.prefix(2000)))
        }
        return response
    }

    /// Compact JSON with sorted keys, so the same message is always the same bytes.
    static func json(_ object: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else {
            return "{}"
        }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Kestra's Markdown → Slack mrkdwn conversion for `messageText` (plugin-slack `MessageService.toSlackMrkdwn`):
/// `**bold**` → `*bold*`, `__italic__` → `_italic_`, `[text](url)` → `<url|text>`. Nothing else changes.
package enum SlackMarkdown {
    package static func mrkdwn(from markdown: String) -> String {
        markdown
            .replacing(/\*\*(.*?)\*\*/) { "*\($0.1)*" }
            .replacing(/__(.*?)__/) { "_\($0.1)_" }
            .replacing(/\[(.*?)\]\((.*?)\)/) { "<\($0.2)|\($0.1)>" }
    }
}
