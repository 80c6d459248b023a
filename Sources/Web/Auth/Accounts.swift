import Crypto
import Engine
import FlowModel
import Foundation
import HummingbirdBcrypt
import Store

/// What a person may do. A user has one or more roles; `admin` may do everything.
package enum Role: String, CaseIterable, Sendable {
    case requester, approver, auditor, admin
}

/// The person a request comes from, once signed in (session cookie, API token or trusted proxy).
package struct SignedInUser: Sendable, Equatable {
    package let name: String
    package let email: String?
    package let roles: Set<Role>
    /// The single-sign-on groups a trusted proxy sent (empty for local users); flows may name them as approvers.
    package var groups: Set<String> = []

    package func has(_ role: Role) -> Bool { roles.contains(role) || roles.contains(.admin) }

    /// The person as the engine's approval rules see them.
    var decider: Decider { Decider(name: name, roles: Set(roles.map(\.rawValue)), groups: groups) }
}

/// Creating accounts and checking passwords; the CLI and the server share it.
package struct Accounts: Sendable {
    package let database: GatehouseDatabase
    /// bcrypt's work factor: about a quarter of a second per check on this class of machine.
    package static let bcryptCost: UInt8 = 12
    package static let minimumPasswordLength = 12

    package init(database: GatehouseDatabase) { self.database = database }

    /// Adds a local user; names are lower-case letters, digits, `.`, `_` and `-`, as in most identity providers.
    package func addUser(name: String, roles: [Role], email: String?, password: String?, by actor: String, at date: Date = Date()) throws {
        guard name.range(of: #"^[a-z0-9][a-z0-9._-]{0,63}$"#, options: .regularExpression) != nil else {
            throw AccountInputError("the user name `\(name)` is not valid: use 1 to 64 lower-case letters, digits, `.`, `_` or `-`")
        }
        guard !roles.isEmpty else {
            throw AccountInputError("give the user at least one role: \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let email, email.range(of: #"^[^@\s]+@[^@\s]+$"#, options: .regularExpression) == nil {
            throw AccountInputError("`\(email)` is not an e-mail address")
        }
        if let password { try Self.checkLength(password) }
        let hash = password.map { Bcrypt.hash($0, cost: Self.bcryptCost) }
        try database.createUser(UserRecord(name: name, email: email, roles: roles.map(\.rawValue), passwordHash: hash, createdAt: date), by: actor)
    }

    /// Replaces a user's password (the CLI's `user set --password-stdin`); their sessions end.
    package func setPassword(name: String, password: String, by actor: String, at date: Date = Date()) throws {
        try Self.checkLength(password)
        try database.setUserPassword(name, hash: Bcrypt.hash(password, cost: Self.bcryptCost), by: actor, at: date)
    }

    private static func checkLength(_ password: String) throws {
        guard password.count >= minimumPasswordLength else {
            throw AccountInputError("the password is too short: use at least \(minimumPasswordLength) characters")
        }
    }

    /// The user when the password matches; nil otherwise, after the same amount of work, so the time taken does not
    /// tell whether the user exists.
    package func verify(name: String, password: String) throws -> SignedInUser? {
        let record = try database.user(named: name)
        guard let record, !record.disabled, let hash = record.passwordHash else {
            _ = Bcrypt.verify(password, hash: Self.decoyHash)
            return nil
        }
        guard Bcrypt.verify(password, hash: hash) else { return nil }
        return Self.signedIn(record)
    }

    /// Creates an API token for a user and returns it; only its hash is stored.
    package func createToken(for user: String, name: String, by actor: String, at date: Date = Date()) throws -> String {
        let token = "gh_" + Self.randomToken()
        try database.createAPIToken(APITokenRecord(tokenSHA256: Self.sha256(token), userName: user, name: name, createdAt: date), by: actor)
        return token
    }

    /// The person of a session or API token; their SSO groups are those of their last sign-in through the proxy, so a
    /// token of a `group:` approver decides as the page does.
    package static func signedIn(_ record: UserRecord) -> SignedInUser {
        var user = SignedInUser(name: record.name, email: record.email, roles: Set(record.roleNames.compactMap(Role.init(rawValue:))))
        user.groups = Set(record.groupNames)
        return user
    }

    /// 32 random bytes, URL-safe base64 without padding (cookie- and header-safe).
    package static func randomToken() -> String {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        return bytes.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Lower-case hex. Written out by hand: `String(format: "%02x")` per byte cost more than the hash itself, on every
    /// request that carries a session cookie or an API token.
    package static func sha256(_ text: String) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: Data(text.utf8)) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    /// A hash of a password nobody knows, checked when the user does not exist.
    private static let decoyHash = Bcrypt.hash(randomToken(), cost: bcryptCost)
}

/// A user, role, e-mail or password that cannot be used.
package struct AccountInputError: Error, CustomStringConvertible {
    package let description: String
    init(_ description: String) { self.description = description }
}
