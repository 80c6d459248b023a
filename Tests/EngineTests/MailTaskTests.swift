import Foundation
import TestSupport
import Testing

@testable import Engine
@testable import Store

/// MailSend and MailExecution in real flows, delivered to a real SMTP server (aiosmtpd) on 127.0.0.1.
@Suite(
    "Mail tasks against aiosmtpd",
    .enabled(if: TestTools.smtpTestsCanRun, "aiosmtpd is not installed: run `python3 -m pip install aiosmtpd` (scripts/test does)")
)
struct MailTaskTests {
    static func environment(_ server: FixtureServer, _ extra: [String: String] = [:]) -> [String: String] {
        [
            "GATEHOUSE_SMTP_HOST": "127.0.0.1", "GATEHOUSE_SMTP_PORT": "\(server.port)", "GATEHOUSE_SMTP_TRANSPORT": "SMTP",
            "GATEHOUSE_SMTP_FROM": "Gatehouse <gatehouse@example.com>",
        ].merging(extra) { $1 }
    }

    @Test("MailSend with the server's defaults: recipients, encoded subject, HTML + text and a stored attachment")
    func mailSend() throws {
        let server = try FixtureServer(.smtp, arguments: ["--auth", "mailer:pw"])
        let fixture = try WorldTaskFixture(
            environment: Self.environment(server, ["GATEHOUSE_SMTP_USERNAME": "mailer", "GATEHOUSE_SMTP_PASSWORD": "pw"]))
        // Another execution's file, which the flow must not be able to mail.
        let foreign = fixture.root.appendingPathComponent("storage/engine/world/executions/other/secret.txt")
        try FileManager.default.createDirectory(at: foreign.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("not yours".utf8).write(to: foreign)
        let refused = try fixture.run(
            """
            tasks:
              - id: mail
                type: io.kestra.plugin.email.MailSend
                to: alice@example.com
                plainTextContent: hi
                attachments:
                  - {name: secret.txt, uri: "kestra:///engine/world/executions/other/secret.txt"}
            """)
        #expect(refused.state == "FAILED")
        #expect(try fixture.lines(refused).contains { $0.contains("`attachments[0].uri`") && $0.contains("executions/other/secret.txt") })
        let execution = try fixture.run(
            """
            tasks:
              - id: make
                type: io.kestra.plugin.scripts.shell.Commands
                outputFiles: [report.csv]
                commands: ["printf 'host,ip\\nweb-01,203.0.113.10\\n' > report.csv"]
              - id: mail
                type: io.kestra.plugin.email.MailSend
                to: "alice@example.com; Bob <bob@example.com>"
                cc: ops@example.com
                subject: "Ihre VM {{ flow.id }} ist bereit ✓"
                htmlTextContent: "<p>.leading dot stays</p>"
                plainTextContent: "Line one\\n.leading dot stays"
                attachments:
                  - {name: report.csv, uri: "{{ outputs.make.outputFiles['report.csv'] }}", contentType: text/csv}
            """)
        #expect(execution.state == "SUCCESS")
        let messages = try server.receivedMessages()
        try #require(messages.count == 1)
        let message = messages[0]
        #expect(message["authenticated"] as? Bool == true)
        #expect(message["rcpt_tos"] as? [String] == ["alice@example.com", "bob@example.com", "ops@example.com"])
        let headers = message["headers"] as? [String: String] ?? [:]
        #expect(headers["subject"] == "Ihre VM world ist bereit ✓")
        #expect(headers["from"] == "Gatehouse <gatehouse@example.com>")
        #expect((message["text"] as? String)?.replacingOccurrences(of: "\r\n", with: "\n") == "Line one\n.leading dot stays")
        let attachment = (message["attachments"] as? [[String: Any]])?.first
        #expect(attachment?["filename"] as? String == "report.csv")
        #expect(attachment?["data"] as? String == Data("host,ip\nweb-01,203.0.113.10\n".utf8).base64EncodedString())
        #expect(try fixture.lines(execution).contains { $0.contains("sent to 3 recipient(s) through 127.0.0.1:\(server.port) (SMTP)") })
    }

    @Test("MailExecution in afterExecution describes the failed execution with a link and who asked")
    func mailExecution() throws {
        let server = try FixtureServer(.smtp)
        let fixture = try WorldTaskFixture(environment: Self.environment(server))
        let execution = try fixture.run(
            """
            tasks:
              - {id: boom, type: io.kestra.plugin.core.execution.Fail, errorMessage: broken}
            afterExecution:
              - id: report
                type: io.kestra.plugin.notifications.mail.MailExecution
                to: platform@example.com
                customMessage: The VM request failed.
                customFields: {Ticket: OPS-42}
            """)
        #expect(execution.state == "FAILED")
        let message = try #require(try server.receivedMessages().first)
        #expect((message["headers"] as? [String: String])?["subject"] == "[engine.world] world ➛ FAILED")
        let text = (message["text"] as? String ?? "").replacingOccurrences(of: "\r\n", with: "\n")
        #expect(text.hasPrefix("The VM request failed.\n\n[engine.world] world ➛ FAILED\nFailed on task `boom` after "))
        #expect(text.contains("Details: http://localhost:8080/executions/\(execution.id)"))
        #expect(text.contains("Requested by: alice\n") && text.contains("Ticket: OPS-42\n"))
        #expect((message["html"] as? String)?.contains("<a href=\"http://localhost:8080/executions/\(execution.id)\">") == true)
    }

    @Test("a flow that names its own host gets none of the server's SMTP credentials")
    func credentialsStayWithTheirHost() throws {
        let server = try FixtureServer(.smtp)
        let fixture = try WorldTaskFixture(
            environment: Self.environment(server, ["GATEHOUSE_SMTP_HOST": "smtp.internal.example", "GATEHOUSE_SMTP_USERNAME": "server-user"]))
        // The sink offers no AUTH: had the server's username been used, the send would fail with authUnavailable.
        let execution = try fixture.run(
            """
            tasks:
              - {id: mail, type: io.kestra.plugin.email.MailSend, host: 127.0.0.1, port: \(server.port), transportStrategy: SMTP, to: a@example.com, plainTextContent: hi}
            """)
        #expect(execution.state == "SUCCESS")
        #expect(try server.receivedMessages().count == 1)
    }

    @Test("a refused recipient fails the task with the server's reply")
    func refusedRecipient() throws {
        let server = try FixtureServer(.smtp, arguments: ["--refuse", "ghost@example.com"])
        let fixture = try WorldTaskFixture(environment: Self.environment(server))
        let execution = try fixture.run("tasks:\n  - {id: mail, type: io.kestra.plugin.email.MailSend, to: ghost@example.com, subject: x}\n")
        #expect(execution.state == "FAILED")
        #expect(try fixture.lines(execution).contains { $0.contains("refused the recipient ghost@example.com: 550 5.1.1") })
    }
}
