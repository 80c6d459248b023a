import Foundation
import Notify
import TestSupport
import Testing

/// The SMTP client against a real SMTP server (PyPI's aiosmtpd, started on 127.0.0.1 for each test), whose own e-mail
/// parser reads what arrived.
@Suite(
    "SMTP client against aiosmtpd",
    .enabled(if: TestTools.smtpTestsCanRun, "aiosmtpd is not installed: run `python3 -m pip install aiosmtpd` (scripts/test does)")
)
struct SMTPClientTests {
    static let sender = MailAddress(displayName: "Gatehouse", address: "gatehouse@example.com")

    static func client(_ server: FixtureServer, _ security: SMTPSecurity = .plain, configure: (inout SMTPConfiguration) -> Void = { _ in })
        -> SMTPClient
    {
        var configuration = SMTPConfiguration(host: "127.0.0.1", port: server.port, security: security, timeout: .seconds(5))
        configure(&configuration)
        return SMTPClient(configuration: configuration)
    }

    static func only(_ server: FixtureServer) throws -> [String: Any] {
        let messages = try server.receivedMessages()
        try #require(messages.count == 1)
        return messages[0]
    }

    /// A decoded body part with the wire's CRLF line breaks as `\n`.
    static func part(_ message: [String: Any], _ key: String) -> String? {
        (message[key] as? String)?.replacingOccurrences(of: "\r\n", with: "\n")
    }

    @Test("plain text: envelope, headers with an encoded non-ASCII subject and name, and dot-stuffed lines arrive intact")
    func plainText() async throws {
        let server = try FixtureServer(.smtp)
        let body = "Hello,\n.hidden line starts with a dot\n..two dots\n.\nLast line with ünïcödé"
        let subject = "Grüße: your VM is ready ✓ — a subject long enough to need more than one encoded word, surely"
        let message = MailMessage(
            from: MailAddress(displayName: "Gâtehouse Bot", address: "gatehouse@example.com"),
            to: [MailAddress(address: "alice@example.com"), MailAddress(displayName: "Doe, Bob", address: "bob@example.com")],
            bcc: [MailAddress(address: "audit@example.com")], subject: subject, plainText: body)
        try await Self.client(server).deliver(message)

        let received = try Self.only(server)
        #expect(received["mail_from"] as? String == "gatehouse@example.com")
        #expect(received["rcpt_tos"] as? [String] == ["alice@example.com", "bob@example.com", "audit@example.com"])
        let headers = try #require(received["headers"] as? [String: String])
        #expect(headers["subject"] == subject)
        #expect(headers["from"] == "Gâtehouse Bot <gatehouse@example.com>")
        #expect(headers["to"] == #"alice@example.com, "Doe, Bob" <bob@example.com>"#)
        #expect(headers["bcc"] == nil)
        #expect(headers["message-id"]?.hasSuffix("@example.com>") == true)
        #expect(Self.part(received, "text") == body + "\n")
        #expect((received["raw"] as? String)?.contains("Grüße") == false, "the subject travels encoded")
    }

    @Test("HTML with a plain-text alternative and a binary attachment with a non-ASCII name")
    func multipart() async throws {
        let server = try FixtureServer(.smtp)
        let bytes = (0..<3000).map { UInt8($0 % 256) }
        let message = MailMessage(
            from: Self.sender, to: [MailAddress(address: "alice@example.com")], cc: [MailAddress(address: "ops@example.com")],
            subject: "Report", plainText: "See the HTML part.",
            html: "<h1>Report</h1>\n<p>Ünïcode &amp; a very long line " + String(repeating: "x", count: 200) + "</p>",
            attachments: [MailMessage.Attachment(name: "résumé.bin", contentType: "application/octet-stream", data: bytes)])
        try await Self.client(server).deliver(message)

        let received = try Self.only(server)
        #expect(received["content_type"] as? String == "multipart/mixed")
        // Inside a multipart, the line break before a boundary belongs to the boundary (RFC 2046 §5.1.1).
        #expect(Self.part(received, "text") == "See the HTML part.")
        #expect(Self.part(received, "html")?.contains("Ünïcode &amp; a very long line " + String(repeating: "x", count: 200)) == true)
        let headers = try #require(received["headers"] as? [String: String])
        #expect(headers["cc"] == "ops@example.com")
        let attachments = try #require(received["attachments"] as? [[String: Any]])
        try #require(attachments.count == 1)
        #expect(attachments[0]["filename"] as? String == "résumé.bin")
        #expect(attachments[0]["data"] as? String == Data(bytes).base64EncodedString())
    }

    @Test("AUTH PLAIN and AUTH LOGIN with the right password are accepted")
    func authSuccess() async throws {
        for loginOnly in [false, true] {
            let server = try FixtureServer(.smtp, arguments: ["--auth", "mailer:s3cr3t pass"] + (loginOnly ? ["--login-only"] : []))
            let client = Self.client(server) {
                $0.username = "mailer"
                $0.password = "s3cr3t pass"
            }
            try await client.deliver(MailMessage(from: Self.sender, to: [MailAddress(address: "a@example.com")], subject: "auth", plainText: "x"))
            #expect(try Self.only(server)["authenticated"] as? Bool == true)
        }
    }

    @Test("a wrong password is refused with the server's reply, and the password appears nowhere in the error")
    func authFailure() async throws {
        let server = try FixtureServer(.smtp, arguments: ["--auth", "mailer:right"])
        let client = Self.client(server) {
            $0.username = "mailer"
            $0.password = "wrong-password"
        }
        let error = await #expect(throws: SMTPError.self) {
            try await client.deliver(MailMessage(from: Self.sender, to: [MailAddress(address: "a@example.com")], plainText: "x"))
        }
        guard case .authRejected(_, let reply)? = error else {
            Issue.record("expected authRejected, got \(String(describing: error))")
            return
        }
        #expect(reply.code == 535)
        #expect(!"\(error!)".contains("wrong-password") && !"\(error!)".contains(Data("\0mailer\0wrong-password".utf8).base64EncodedString()))
        #expect(try server.receivedMessages().isEmpty)
    }

    @Test("a refused recipient fails the send with the address and the server's reply")
    func refusedRecipient() async throws {
        let server = try FixtureServer(.smtp, arguments: ["--refuse", "nobody@example.com"])
        let message = MailMessage(
            from: Self.sender, to: [MailAddress(address: "alice@example.com"), MailAddress(address: "nobody@example.com")], plainText: "x")
        let error = await #expect(throws: SMTPError.self) { try await Self.client(server).deliver(message) }
        guard case .recipientRefused(_, let address, let reply)? = error else {
            Issue.record("got \(String(describing: error))")
            return
        }
        #expect(address == "nobody@example.com")
        #expect(reply.code == 550)
        #expect("\(error!)".contains("refused the recipient nobody@example.com: 550 5.1.1"))
        #expect(try server.receivedMessages().isEmpty)
    }

    @Test("STARTTLS and SMTPS with a self-signed certificate work when the host is trusted", .enabled(if: TestTools.tlsTestsCanRun))
    func tlsTrusted() async throws {
        for (flag, security) in [("--starttls", SMTPSecurity.startTLS), ("--smtps", .implicitTLS)] {
            let server = try FixtureServer(.smtp, arguments: [flag])
            let client = Self.client(server, security) { $0.trustedHosts = ["127.0.0.1"] }
            try await client.deliver(MailMessage(from: Self.sender, to: [MailAddress(address: "a@example.com")], subject: flag, plainText: "x"))
            #expect(try Self.only(server)["tls"] as? Bool == true, "\(flag)")
        }
    }

    @Test("a self-signed certificate is refused unless trusted, even without the name check", .enabled(if: TestTools.tlsTestsCanRun))
    func tlsUntrusted() async throws {
        let server = try FixtureServer(.smtp, arguments: ["--starttls"])
        let client = Self.client(server, .startTLS) { $0.verifyServerIdentity = false }
        let error = await #expect(throws: SMTPError.self) {
            try await client.deliver(MailMessage(from: Self.sender, to: [MailAddress(address: "a@example.com")], plainText: "x"))
        }
        guard case .tlsFailed? = error else {
            Issue.record("got \(String(describing: error))")
            return
        }
        #expect("\(error!)".contains("trustedHosts"))
    }

    @Test("SMTP_TLS against a server without STARTTLS fails before sending anything")
    func startTLSMissing() async throws {
        let server = try FixtureServer(.smtp)
        let error = await #expect(throws: SMTPError.self) {
            try await Self.client(server, .startTLS).deliver(
                MailMessage(from: Self.sender, to: [MailAddress(address: "a@example.com")], plainText: "x"))
        }
        #expect(error == .startTLSUnavailable(server: "127.0.0.1:\(server.port)"))
    }

    @Test("a server that never greets times out after the session timeout")
    func silentServer() async throws {
        let silent = try SilentServer()
        let client = SMTPClient(configuration: SMTPConfiguration(host: "127.0.0.1", port: silent.port, security: .plain, timeout: .milliseconds(500)))
        // Timed off the cooperative pool, which the tests running beside this one may keep busy.
        let (error, elapsed) = await withTaskExecutorPreference(OutboundIOExecutor.shared) { () async -> ((any Error)?, Duration) in
            let started = ContinuousClock.now
            do {
                try await client.send(MailMessage(from: Self.sender, to: [MailAddress(address: "a@example.com")], plainText: "x"))
                return (nil, ContinuousClock.now - started)
            } catch {
                return (error, ContinuousClock.now - started)
            }
        }
        #expect(error as? SMTPError == .timeout(server: "127.0.0.1:\(silent.port)", waitingFor: "the greeting", after: .milliseconds(500)))
        #expect(elapsed < .seconds(3))
    }
}

extension SMTPClient {
    /// Sends off the cooperative pool, as the engine does, so a busy parallel test run cannot stall the conversation
    /// past its session timeout.
    fileprivate func deliver(_ message: MailMessage) async throws {
        try await withTaskExecutorPreference(OutboundIOExecutor.shared) { try await send(message) }
    }
}
