import Foundation

/// Single sign-on behind an authenticating proxy (oauth2-proxy and the like): requests from one of the configured proxy
/// addresses carry the person in `X-Forwarded-User`, `X-Forwarded-Email` and `X-Forwarded-Groups`; groups map to roles.
/// From any other address the headers are ignored, so nobody can claim a name by sending a header.
///
/// `GATEHOUSE_TRUSTED_PROXIES`: comma-separated IP addresses. `GATEHOUSE_SSO_ROLES`: comma-separated `group=role` pairs
/// (`platform=admin,sre=approver`). `GATEHOUSE_SSO_DEFAULT_ROLE`: the role of every proxied user besides those
/// (default `requester`; `none` for no role).
struct TrustedProxy: Sendable {
    let addresses: Set<String>
    let groupRoles: [String: Role]
    let defaultRole: Role?

    init(environment: [String: String]) throws {
        let proxies = Self.list(environment["GATEHOUSE_TRUSTED_PROXIES"])
        // A host name or a range would never equal a peer address, so SSO and forwarded addresses would silently not work.
        addresses = Set(
            try proxies.map { entry in
                guard let address = Self.canonical(entry) else {
                    throw ConfigurationError.invalidValue(
                        variable: "GATEHOUSE_TRUSTED_PROXIES", value: entry, expected: "comma-separated IP addresses such as 10.0.0.7 or fd00::7")
                }
                return address
            })
        var roles: [String: Role] = [:]
        for pair in Self.list(environment["GATEHOUSE_SSO_ROLES"]) {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let role = Role(rawValue: parts[1].lowercased()) else {
                throw ConfigurationError.invalidValue(
                    variable: "GATEHOUSE_SSO_ROLES", value: pair, expected: "group=role pairs with a role of requester, approver, auditor or admin")
            }
            roles[parts[0]] = role
        }
        groupRoles = roles
        switch environment["GATEHOUSE_SSO_DEFAULT_ROLE"]?.lowercased() {
        case nil, "": defaultRole = .requester
        case "none": defaultRole = nil
        case let name?:
            guard let role = Role(rawValue: name) else {
                throw ConfigurationError.invalidValue(
                    variable: "GATEHOUSE_SSO_DEFAULT_ROLE", value: name, expected: "requester, approver, auditor, admin or none")
            }
            defaultRole = role
        }
    }

    var isEnabled: Bool { !addresses.isEmpty }

    /// Who a request comes from: the peer, unless the peer is a trusted proxy; then the right-most `X-Forwarded-For`
    /// entry that is not a trusted proxy itself (entries further left are whatever the client chose to send), or the
    /// left-most entry when every one is a trusted proxy. Sign-in throttling and the audit log key on it, so that
    /// clients behind one proxy are not all one address.
    func clientAddress(peer: String?, forwardedFor: [String]) -> String? {
        guard let peer, addresses.contains(peer) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { Self.bare(String($0)) }.filter { !$0.isEmpty }
            .map { Self.canonical($0) ?? $0 }
        return hops.last { !addresses.contains($0) } ?? hops.first ?? peer
    }

    /// An entry without its port or IPv6 brackets (`[2001:db8::1]:443`, `192.0.2.1:8080`), as some proxies write them.
    private static func bare(_ entry: String) -> String {
        let text = entry.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("["), let end = text.firstIndex(of: "]") { return String(text[text.index(after: text.startIndex)..<end]) }
        if text.filter({ $0 == ":" }).count == 1, let colon = text.firstIndex(of: ":") { return String(text[..<colon]) }
        return text
    }

    /// The person a trusted proxy vouches for, or nil.
    func user(address: String?, user: String?, email: String?, groups: String?) -> SignedInUser? {
        guard let address, addresses.contains(address), let user, !user.isEmpty else { return nil }
        var roles = Set(Self.list(groups).compactMap { groupRoles[$0] })
        if let defaultRole { roles.insert(defaultRole) }
        var signedIn = SignedInUser(name: user.lowercased(), email: email, roles: roles)
        signedIn.groups = Set(Self.list(groups))
        return signedIn
    }

    /// The address as the socket layer prints a peer (`FD00:0::7` → `fd00::7`), or nil when it is not an IP address.
    static func canonical(_ text: String) -> String? {
        var v4 = in_addr()
        var v6 = in6_addr()
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        if inet_pton(AF_INET, text, &v4) == 1 {
            guard inet_ntop(AF_INET, &v4, &buffer, socklen_t(buffer.count)) != nil else { return nil }
        } else if inet_pton(AF_INET6, text, &v6) == 1 {
            guard inet_ntop(AF_INET6, &v6, &buffer, socklen_t(buffer.count)) != nil else { return nil }
        } else {
            return nil
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func list(_ text: String?) -> [String] {
        (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
