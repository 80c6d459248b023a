import Foundation

/// The Slack message of `SlackExecution`: the shape of Kestra's `slack-template.peb` (title linking to the execution,
/// outcome, a "Details" button, a coloured attachment with the fields), plus who asked for the execution.
package enum SlackExecutionMessage {
    /// The legacy-webhook overrides Kestra adds at the top level when set.
    package struct Overrides: Sendable {
        package var channel: String?
        package var username: String?
        package var iconUrl: String?
        package var iconEmoji: String?

        package init(channel: String? = nil, username: String? = nil, iconUrl: String? = nil, iconEmoji: String? = nil) {
            self.channel = channel
            self.username = username
            self.iconUrl = iconUrl
            self.iconEmoji = iconEmoji
        }
    }

    /// The JSON payload.
    package static func payload(_ summary: ExecutionSummary, overrides: Overrides = Overrides()) -> String {
        let headline = "*<\(summary.link)|\(escape(summary.title))>*\n> \(escape(summary.outcome))"
        var blocks: [[String: Any]] = []
        if let message = summary.customMessage {
            blocks.append(["type": "section", "text": ["type": "mrkdwn", "text": message]])
        }
        blocks.append([
            "type": "section", "text": ["type": "mrkdwn", "text": headline],
            "accessory": ["type": "button", "text": ["type": "plain_text", "text": "Details"], "url": summary.link],
        ])
        let color =
            switch summary.state {
            case "SUCCESS": "good"
            case "WARNING": "warning"
            case "RUNNING", "PAUSED", "CREATED", "QUEUED": "#439FE0"
            default: "danger"
            }
        var payload: [String: Any] = [
            "text": headline,
            "blocks": blocks,
            "attachments": [
                [
                    "color": color,
                    "fields": summary.fields.map { ["title": $0.name, "value": $0.value, "short": true] },
                    "ts": Int(summary.startedAt.timeIntervalSince1970),
                ] as [String: Any]
            ],
        ]
        if let channel = overrides.channel { payload["channel"] = channel }
        if let username = overrides.username { payload["username"] = username }
        if let iconUrl = overrides.iconUrl { payload["icon_url"] = iconUrl }
        if let iconEmoji = overrides.iconEmoji { payload["icon_emoji"] = iconEmoji }
        return SlackWebhook.json(payload)
    }

    /// Slack's control characters in text (`&`, `<`, `>`), which would otherwise start a link or mention.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
