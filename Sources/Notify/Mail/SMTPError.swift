/// Why an e-mail was not sent. Each case names the server and, where the server said no, its reply; none carries a
/// credential.
package enum SMTPError: Error, Equatable, CustomStringConvertible {
    case noRecipients
    case connectionFailed(server: String, reason: String)
    case timeout(server: String, waitingFor: String, after: Duration)
    case connectionClosed(server: String, waitingFor: String)
    case greetingRejected(server: String, reply: SMTPReply)
    case startTLSUnavailable(server: String)
    case tlsFailed(server: String, reason: String)
    case authUnavailable(server: String, offered: [String])
    case authRejected(server: String, reply: SMTPReply)
    case senderRefused(server: String, address: String, reply: SMTPReply)
    case recipientRefused(server: String, address: String, reply: SMTPReply)
    case messageRejected(server: String, reply: SMTPReply)
    case unexpectedReply(server: String, command: String, reply: SMTPReply)
    case malformedReply(server: String, line: String)

    package var description: String {
        switch self {
        case .noRecipients:
            "the e-mail has no recipient: set `to` (or `cc`/`bcc`)"
        case .connectionFailed(let server, let reason):
            "cannot connect to the SMTP server \(server): \(reason)"
        case .timeout(let server, let waitingFor, let after):
            "the SMTP server \(server) did not answer \(waitingFor) within \(OutboundHTTPError.seconds(after)) (sessionTimeout)"
        case .connectionClosed(let server, let waitingFor):
            "the SMTP server \(server) closed the connection while Gatehouse waited for \(waitingFor)"
        case .greetingRejected(let server, let reply):
            "the SMTP server \(server) refused the connection: \(reply)"
        case .startTLSUnavailable(let server):
            "the SMTP server \(server) does not offer STARTTLS, which transportStrategy SMTP_TLS requires "
                + "(use SMTPS for implicit TLS, usually port 465, or SMTP for no encryption)"
        case .tlsFailed(let server, let reason):
            "TLS with the SMTP server \(server) failed: \(reason) "
                + "(a self-signed certificate needs the host in `trustedHosts`; a name mismatch needs `verifyServerIdentity: false`)"
        case .authUnavailable(let server, let offered):
            "the SMTP server \(server) offers no AUTH PLAIN or LOGIN"
                + (offered.isEmpty
                    ? " (it offers no authentication at all; remove username/password?)" : " (it offers \(offered.joined(separator: ", ")))")
        case .authRejected(let server, let reply):
            "the SMTP server \(server) rejected the username or password: \(reply)"
        case .senderRefused(let server, let address, let reply):
            "the SMTP server \(server) refused the sender \(address): \(reply)"
        case .recipientRefused(let server, let address, let reply):
            "the SMTP server \(server) refused the recipient \(address): \(reply)"
        case .messageRejected(let server, let reply):
            "the SMTP server \(server) rejected the message: \(reply)"
        case .unexpectedReply(let server, let command, let reply):
            "the SMTP server \(server) answered \(command) with: \(reply)"
        case .malformedReply(let server, let line):
            "the SMTP server \(server) sent something that is not an SMTP reply: `\(line)`"
        }
    }
}
