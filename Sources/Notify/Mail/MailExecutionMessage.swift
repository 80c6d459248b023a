/// The e-mail of `MailExecution`: the execution's title and outcome, a link to its page, and the same fields as the Slack
/// message, in HTML and in plain text.
package enum MailExecutionMessage {
    package static func subject(_ summary: ExecutionSummary) -> String { summary.title }

    package static func plainText(_ summary: ExecutionSummary) -> String {
        var lines: [String] = []
        if let message = summary.customMessage { lines += [message, ""] }
        lines += [summary.title, summary.outcome, "", "Details: \(summary.link)", ""]
        lines += summary.fields.map { "\($0.name): \($0.value)" }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Every value from the execution or the flow is HTML-escaped.
    package static func html(_ summary: ExecutionSummary) -> String {
        let color =
            switch summary.state {
            case "SUCCESS": "#2e7d32"
            case "WARNING": "#ed6c02"
            case "FAILED", "KILLED", "CANCELLED": "#c62828"
            default: "#1565c0"
            }
        var html = "<!DOCTYPE html>\n<html><body style=\"font-family: sans-serif\">\n"
        if let message = summary.customMessage { html += "<p>\(escape(message))</p>\n" }
        html += "<h2 style=\"color: \(color)\">\(escape(summary.title))</h2>\n<p>\(escape(summary.outcome))</p>\n"
        html += "<p><a href=\"\(escape(summary.link))\">Open the execution</a></p>\n<table cellpadding=\"4\">\n"
        for field in summary.fields {
            html += "<tr><th align=\"left\">\(escape(field.name))</th><td>\(escape(field.value))</td></tr>\n"
        }
        return html + "</table>\n</body></html>\n"
    }

    static func escape(_ text: String) -> String { HTMLText.escape(text) }
}
