import Foundation
import GRDB

/// A local account. `roles` is a JSON list (`["requester","approver"]`); `passwordHash` is bcrypt, nil for accounts
/// that only sign in through the trusted proxy.
package struct UserRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    package static let databaseTableName = "user"

    package var name: String
    package var email: String?
    package var roles: String
    package var passwordHash: String?
    package var createdAt: Date
    package var disabled: Bool
    /// The SSO groups the trusted proxy named at the user's last sign-in, a JSON list; approvers chosen by
    /// `group:` get their notices by e-mail through it.
    package var groups: String

    package init(
        name: String, email: String?, roles: [String], passwordHash: String?, createdAt: Date, disabled: Bool = false, groups: [String] = []
    ) {
        self.name = name
        self.email = email
        self.roles = Self.list(roles)
        self.passwordHash = passwordHash
        self.createdAt = createdAt
        self.disabled = disabled
        self.groups = Self.list(groups)
    }

    package var roleNames: [String] { Self.names(roles) }
    package var groupNames: [String] { Self.names(groups) }

    static func list(_ names: [String]) -> String { (try? String(decoding: JSONEncoder().encode(names), as: UTF8.self)) ?? "[]" }
    static func names(_ list: String) -> [String] { (try? JSONDecoder().decode([String].self, from: Data(list.utf8))) ?? [] }
}

/// A signed-in browser: only the SHA-256 of its cookie is stored.
package struct SessionRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    package static let databaseTableName = "session"

    package var tokenSHA256: String
    package var userName: String
    package var createdAt: Date
    package var expiresAt: Date

    package init(tokenSHA256: String, userName: String, createdAt: Date, expiresAt: Date) {
        self.tokenSHA256 = tokenSHA256
        self.userName = userName
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// An API token: only its SHA-256 is stored; the token itself is shown once, when it is created.
package struct APITokenRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    package static let databaseTableName = "apiToken"

    package var tokenSHA256: String
    package var userName: String
    package var name: String
    package var createdAt: Date
    package var lastUsedAt: Date?
    package var revokedAt: Date?

    package init(tokenSHA256: String, userName: String, name: String, createdAt: Date, lastUsedAt: Date? = nil, revokedAt: Date? = nil) {
        self.tokenSHA256 = tokenSHA256
        self.userName = userName
        self.name = name
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }
}
