import Notify
import Pebble

/// The server's SMTP settings (`GATEHOUSE_SMTP_HOST`, `_PORT`, `_USERNAME`, `_PASSWORD`, `_TRANSPORT`; `_FROM` is read
/// by the tasks), so flows can leave the mail server out.
///
/// The server settings are one bundle: port, transport and credentials from the environment are used only when the
/// task sends through the environment's host (it names no `host`, or the same one). A flow that names another host gets
/// none of them, so the server's SMTP password never goes to a host a flow author picked.
struct MailServerDefaults {
    let host: String?
    let port: String?
    let username: String?
    let password: String?
    let transport: String?

    init(environment: [String: String]) {
        let read = { (name: String) in environment["GATEHOUSE_SMTP_\(name)"].flatMap { $0.isEmpty ? nil : $0 } }
        host = read("HOST")
        port = read("PORT")
        username = read("USERNAME")
        password = read("PASSWORD")
        transport = read("TRANSPORT")
    }

    /// Kestra's defaults where neither the task nor the environment says: SMTPS, the strategy's usual port, 10 s.
    func configuration(_ properties: RenderedProperties) throws -> SMTPConfiguration {
        let taskHost = try properties.string("host").flatMap { $0.isEmpty ? nil : $0 }
        guard let host = taskHost ?? self.host else {
            throw PropertyError("`host` is required: set it on the task or GATEHOUSE_SMTP_HOST on the server")
        }
        let useDefaults = self.host != nil && host.lowercased() == self.host?.lowercased()
        let transportText = try properties.string("transportStrategy") ?? (useDefaults ? transport : nil) ?? SMTPSecurity.implicitTLS.rawValue
        guard let security = SMTPSecurity(rawValue: transportText.uppercased()) else {
            let known = SMTPSecurity.allCases.map(\.rawValue).joined(separator: ", ")
            throw PropertyError("`transportStrategy` \(transportText) is not supported; use one of \(known)")
        }
        let port =
            try properties.int("port")
            ?? PropertyReading.int(useDefaults ? port.map(PebbleValue.string) : nil, name: "GATEHOUSE_SMTP_PORT")
        if let port, !(1...65535).contains(port) { throw PropertyError("`port` must be between 1 and 65535, but is \(port)") }
        let timeout = try properties.int("sessionTimeout") ?? 10_000
        guard timeout > 0 else { throw PropertyError("`sessionTimeout` must be a positive number of milliseconds, but is \(timeout)") }
        let trustedHosts = try properties.value("trustedHosts")?.listValue?.map(\.rendered) ?? []
        return SMTPConfiguration(
            host: host, port: port, security: security,
            username: try properties.string("username") ?? (useDefaults ? username : nil),
            password: try properties.string("password") ?? (useDefaults ? password : nil), timeout: .milliseconds(timeout),
            verifyServerIdentity: try properties.bool("verifyServerIdentity") ?? true, trustedHosts: trustedHosts)
    }

    /// The server's own mail settings alone, for Gatehouse's messages (approval notices); nil when no host is set.
    func serverConfiguration() throws -> SMTPConfiguration? {
        guard let host else { return nil }
        let transportText = transport ?? SMTPSecurity.implicitTLS.rawValue
        guard let security = SMTPSecurity(rawValue: transportText.uppercased()) else {
            let known = SMTPSecurity.allCases.map(\.rawValue).joined(separator: ", ")
            throw PropertyError("GATEHOUSE_SMTP_TRANSPORT \(transportText) is not supported; use one of \(known)")
        }
        let number = try PropertyReading.int(port.map(PebbleValue.string), name: "GATEHOUSE_SMTP_PORT")
        if let number, !(1...65535).contains(number) { throw PropertyError("GATEHOUSE_SMTP_PORT must be between 1 and 65535, not \(number)") }
        return SMTPConfiguration(host: host, port: number, security: security, username: username, password: password)
    }
}
