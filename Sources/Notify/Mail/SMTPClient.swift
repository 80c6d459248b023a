import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// How the connection to the SMTP server is protected; the raw values are Kestra's `transportStrategy` names.
package enum SMTPSecurity: String, Sendable, CaseIterable {
    /// No encryption.
    case plain = "SMTP"
    /// STARTTLS after EHLO; the server must offer it.
    case startTLS = "SMTP_TLS"
    /// TLS from the first byte (usually port 465).
    case implicitTLS = "SMTPS"

    /// The port each strategy usually listens on.
    package var defaultPort: Int {
        switch self {
        case .plain: 25
        case .startTLS: 587
        case .implicitTLS: 465
        }
    }
}

/// Where and how to deliver mail.
package struct SMTPConfiguration: Sendable {
    package var host: String
    package var port: Int
    package var security: SMTPSecurity
    package var username: String?
    package var password: String?
    /// Allowed for connecting and for each wait for the server (Kestra's `sessionTimeout`, 10 s by default).
    package var timeout: Duration
    /// Check that the certificate names the host (the chain is still checked when false).
    package var verifyServerIdentity: Bool
    /// Hosts whose certificates are accepted without any check (`*` for all), as JavaMail's `mail.smtp.ssl.trust`.
    package var trustedHosts: [String]
    /// The name given in EHLO.
    package var clientName: String

    package init(
        host: String, port: Int? = nil, security: SMTPSecurity = .implicitTLS, username: String? = nil, password: String? = nil,
        timeout: Duration = .seconds(10), verifyServerIdentity: Bool = true, trustedHosts: [String] = [],
        clientName: String = SMTPConfiguration.defaultClientName
    ) {
        self.host = host
        self.port = port ?? security.defaultPort
        self.security = security
        self.username = username
        self.password = password
        self.timeout = timeout
        self.verifyServerIdentity = verifyServerIdentity
        self.trustedHosts = trustedHosts
        self.clientName = clientName
    }

    /// This machine's name when it looks like a domain, else `localhost`.
    package static var defaultClientName: String {
        let name = ProcessInfo.processInfo.hostName
        return name.isEmpty || name.contains(where: { $0.isWhitespace }) ? "localhost" : name
    }
}

/// A small SMTP client (RFC 5321) on SwiftNIO: EHLO with HELO fallback, STARTTLS or implicit TLS, AUTH PLAIN or LOGIN,
/// one message per connection.
package struct SMTPClient: Sendable {
    package let configuration: SMTPConfiguration

    package init(configuration: SMTPConfiguration) {
        self.configuration = configuration
    }

    private var server: String { "\(configuration.host):\(configuration.port)" }

    /// Delivers `message` to all its recipients, or throws an ``SMTPError`` saying which step failed and what the server
    /// replied. Cancelling the calling task closes the connection.
    package func send(_ message: MailMessage) async throws {
        let recipients = message.recipients
        guard !recipients.isEmpty else { throw SMTPError.noRecipients }
        let data = DotStuffing.prepare(message.rendered())
        let tls = try makeTLSContext()
        let channel = try await connect(tls: configuration.security == .implicitTLS ? tls : nil)
        try await withTaskCancellationHandler {
            try await channel.executeThenClose { inbound, outbound in
                var session = SMTPSession(
                    server: server, timeout: configuration.timeout, channel: channel.channel, inbound: inbound.makeAsyncIterator(),
                    outbound: outbound)
                try await converse(&session, from: message.from.address, recipients: recipients, data: data, tls: tls)
            }
        } onCancel: {
            channel.channel.close(promise: nil)
        }
    }

    private func converse(_ session: inout SMTPSession, from sender: String, recipients: [String], data: String, tls: NIOSSLContext) async throws {
        let greeting = try await session.read(waitingFor: "the greeting")
        guard greeting.code == 220 else { throw SMTPError.greetingRejected(server: server, reply: greeting) }
        var extensions = try await hello(&session)

        if configuration.security == .startTLS {
            guard extensions.contains(where: { $0.uppercased() == "STARTTLS" }) else { throw SMTPError.startTLSUnavailable(server: server) }
            try await session.expect("STARTTLS", codes: [220])
            try await session.startTLS(context: tls, serverHostname: serverHostname)
            extensions = try await hello(&session)
        }

        if let username = configuration.username, !username.isEmpty {
            try await authenticate(&session, username: username, password: configuration.password ?? "", extensions: extensions)
        }

        let mail = try await session.command("MAIL FROM:<\(sender)>")
        guard mail.code == 250 else { throw SMTPError.senderRefused(server: server, address: sender, reply: mail) }
        for recipient in recipients {
            let reply = try await session.command("RCPT TO:<\(recipient)>")
            guard reply.code == 250 || reply.code == 251 else {
                throw SMTPError.recipientRefused(server: server, address: recipient, reply: reply)
            }
        }
        try await session.expect("DATA", codes: [354])
        try await session.write(data, waitingFor: "the reply to the message")
        let accepted = try await session.read(waitingFor: "the reply to the message")
        guard accepted.code == 250 else { throw SMTPError.messageRejected(server: server, reply: accepted) }
        // The message is delivered; a server that drops the connection instead of answering QUIT changes nothing.
        _ = try? await session.command("QUIT")
    }

    /// EHLO, or HELO when the server does not know EHLO; returns the extension keywords (`STARTTLS`, `AUTH PLAIN LOGIN`).
    private func hello(_ session: inout SMTPSession) async throws -> [String] {
        let ehlo = try await session.command("EHLO \(configuration.clientName)")
        if ehlo.code == 250 { return Array(ehlo.lines.dropFirst()) }
        guard (500..<600).contains(ehlo.code) else {
            throw SMTPError.unexpectedReply(server: server, command: "EHLO", reply: ehlo)
        }
        try await session.expect("HELO \(configuration.clientName)", codes: [250])
        return []
    }

    /// AUTH PLAIN when offered, else LOGIN. The commands that carry credentials are never shown in an error.
    private func authenticate(_ session: inout SMTPSession, username: String, password: String, extensions: [String]) async throws {
        let offered =
            extensions.first { $0.uppercased().hasPrefix("AUTH ") || $0.uppercased().hasPrefix("AUTH=") }
            .map { $0.dropFirst(5).split(separator: " ").map { $0.uppercased() } } ?? []
        let base64 = { (text: String) in Data(text.utf8).base64EncodedString() }
        let reply: SMTPReply
        if offered.contains("PLAIN") {
            reply = try await session.command("AUTH PLAIN " + base64("\0\(username)\0\(password)"), shown: "AUTH PLAIN")
        } else if offered.contains("LOGIN") {
            try await session.expect("AUTH LOGIN", codes: [334])
            let user = try await session.command(base64(username), shown: "the AUTH LOGIN username")
            guard user.code == 334 else { throw SMTPError.authRejected(server: server, reply: user) }
            reply = try await session.command(base64(password), shown: "the AUTH LOGIN password")
        } else {
            throw SMTPError.authUnavailable(server: server, offered: offered)
        }
        guard reply.code == 235 else { throw SMTPError.authRejected(server: server, reply: reply) }
    }

    // MARK: - Connection

    private func connect(tls: NIOSSLContext?) async throws -> NIOAsyncChannel<ByteBuffer, ByteBuffer> {
        let timeout = TimeAmount(configuration.timeout)
        let hostname = serverHostname
        do {
            return try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(timeout)
                .connect(host: configuration.host, port: configuration.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let handlers = channel.pipeline.syncOperations
                        if let tls { try handlers.addHandler(NIOSSLClientHandler(context: tls, serverHostname: hostname)) }
                        try handlers.addHandler(IdleStateHandler(allTimeout: timeout))
                        try handlers.addHandler(SMTPIdleTimeoutHandler())
                        return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch ChannelError.connectTimeout(_) {
            throw SMTPError.timeout(server: server, waitingFor: "the connection", after: configuration.timeout)
        } catch {
            throw SMTPError.connectionFailed(server: server, reason: Self.reason(error))
        }
    }

    private func makeTLSContext() throws -> NIOSSLContext {
        var tls = TLSConfiguration.makeClientConfiguration()
        let trusted = configuration.trustedHosts.map { $0.lowercased() }
        if trusted.contains("*") || trusted.contains(configuration.host.lowercased()) {
            tls.certificateVerification = .none
        } else if !configuration.verifyServerIdentity {
            tls.certificateVerification = .noHostnameVerification
        }
        do {
            return try NIOSSLContext(configuration: tls)
        } catch {
            throw SMTPError.tlsFailed(server: server, reason: Self.reason(error))
        }
    }

    /// The name for SNI and the certificate check; nil for an IP address, which TLS does not send.
    private var serverHostname: String? {
        (try? SocketAddress(ipAddress: configuration.host, port: 0)) == nil ? configuration.host : nil
    }

    static func reason(_ error: any Error) -> String {
        if let error = error as? IOError { return error.description }
        if let error = error as? NIOConnectionError, let first = error.connectionErrors.first { return reason(first.error) }
        return "\(error)"
    }
}

/// Turns NIO's idle event into an error, which ends the wait for the server's next reply.
private final class SMTPIdleTimeoutHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    struct IdleTimeout: Error {}

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is IdleStateHandler.IdleStateEvent else { return context.fireUserInboundEventTriggered(event) }
        context.fireErrorCaught(IdleTimeout())
        context.close(promise: nil)
    }
}

/// One conversation: writes commands, reads replies, and says what it was waiting for when something goes wrong.
private struct SMTPSession {
    let server: String
    let timeout: Duration
    let channel: any Channel
    var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    var parser = SMTPReplyParser()

    init(
        server: String, timeout: Duration, channel: any Channel, inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator,
        outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    ) {
        self.server = server
        self.timeout = timeout
        self.channel = channel
        self.inbound = inbound
        self.outbound = outbound
    }

    /// Writes to the server. When the connection is already gone, the reason (a TLS failure, a timeout, the server's
    /// last words) waits in the inbound stream, so it is read and thrown instead of NIO's "I/O on closed channel".
    mutating func write(_ text: String, waitingFor: String) async throws {
        do {
            try await outbound.write(ByteBuffer(string: text))
        } catch {
            let reply = try await read(waitingFor: waitingFor)
            throw SMTPError.unexpectedReply(server: server, command: waitingFor, reply: reply)
        }
    }

    /// Sends one command line and reads its reply; `shown` replaces the command in errors (for credentials).
    mutating func command(_ line: String, shown: String? = nil) async throws -> SMTPReply {
        let waitingFor = "the reply to \(shown ?? line)"
        try await write(line + "\r\n", waitingFor: waitingFor)
        return try await read(waitingFor: waitingFor)
    }

    /// Sends a command whose reply must have one of `codes`.
    mutating func expect(_ line: String, codes: Set<Int>) async throws {
        let reply = try await command(line)
        guard codes.contains(reply.code) else { throw SMTPError.unexpectedReply(server: server, command: line, reply: reply) }
    }

    mutating func read(waitingFor: String) async throws -> SMTPReply {
        while true {
            do {
                if let reply = try parser.next() { return reply }
            } catch {
                guard case .malformed(let line) = error else { throw error }
                throw SMTPError.malformedReply(server: server, line: line)
            }
            let buffer: ByteBuffer?
            do {
                buffer = try await inbound.next()
            } catch is SMTPIdleTimeoutHandler.IdleTimeout {
                throw SMTPError.timeout(server: server, waitingFor: waitingFor, after: timeout)
            } catch let error as NIOSSLError {
                throw SMTPError.tlsFailed(server: server, reason: "\(error)")
            } catch let error as BoringSSLError {
                throw SMTPError.tlsFailed(server: server, reason: "\(error)")
            } catch {
                throw SMTPError.connectionFailed(server: server, reason: SMTPClient.reason(error))
            }
            guard let buffer else { throw SMTPError.connectionClosed(server: server, waitingFor: waitingFor) }
            parser.append(buffer.readableBytesView)
        }
    }

    /// Puts TLS under the conversation after the server's 220 to STARTTLS. Bytes the server sent before the handshake
    /// are refused: they would be read as if they came through TLS (the STARTTLS injection attack).
    mutating func startTLS(context: NIOSSLContext, serverHostname: String?) async throws {
        guard try parser.next() == nil, parser.isEmpty else {
            throw SMTPError.tlsFailed(server: server, reason: "the server sent data before the TLS handshake")
        }
        try await channel.eventLoop.submit { [channel] in
            try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: serverHostname), position: .first)
        }.get()
    }
}
