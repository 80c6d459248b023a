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

    package init(name: String, email: String?, roles: [String], passwordHash: String?, createdAt: Date, disabled: Bool = false) {
        self.name = name
        self.email = email
        self.roles = (try? String(decoding: JSONEncoder().encode(roles), as: UTF8.self)) ?? "[]"
        self.passwordHash = passwordHash
        self.createdAt = createdAt
        self.disabled = disabled
    }

    package var roleNames: [String] { (try? JSONDecoder().decode([String].self, from: Data(roles.utf8))) ?? [] }
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
