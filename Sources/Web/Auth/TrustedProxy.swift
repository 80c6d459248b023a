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
        addresses = Set(Self.list(environment["GATEHOUSE_TRUSTED_PROXIES"]))
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

    /// The person a trusted proxy vouches for, or nil.
    func user(address: String?, user: String?, email: String?, groups: String?) -> SignedInUser? {
        guard let address, addresses.contains(address), let user, !user.isEmpty else { return nil }
        var roles = Set(Self.list(groups).compactMap { groupRoles[$0] })
        if let defaultRole { roles.insert(defaultRole) }
        var signedIn = SignedInUser(name: user.lowercased(), email: email, roles: roles)
        signedIn.groups = Set(Self.list(groups))
        return signedIn
    }

    private static func list(_ text: String?) -> [String] {
        (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
