import Foundation
import GRDB

/// Why an account change was refused.
package enum AccountError: Error, Equatable, CustomStringConvertible {
    case userExists(String)
    case userNotFound(String)
    case tokenNotFound

    package var description: String {
        switch self {
        case .userExists(let name): "the user \(name) already exists"
        case .userNotFound(let name): "no user named \(name)"
        case .tokenNotFound: "no such token"
        }
    }
}

/// Accounts, sessions and API tokens. Each change is audited in the same transaction; tokens are stored as hashes.
extension GatehouseDatabase {
    package func createUser(_ user: UserRecord, by actor: String) throws {
        try writer.write { db in
            guard try UserRecord.fetchOne(db, key: user.name) == nil else { throw AccountError.userExists(user.name) }
            try user.insert(db)
            try Self.appendAuditEvent(
                db, actor: actor, action: "user.created", details: ["user": user.name, "roles": user.roleNames.joined(separator: ",")],
                at: user.createdAt)
        }
    }

    /// Records a user the sign-on proxy vouched for, or updates their e-mail and roles when the proxy says otherwise;
    /// no password is set, and a local user of that name keeps theirs.
    package func recordProxyUser(name: String, email: String?, roles: [String], groups: [String] = [], at date: Date) throws {
        try writer.write { db in
            if var existing = try UserRecord.fetchOne(db, key: name) {
                let updated = UserRecord(
                    name: name, email: email ?? existing.email, roles: roles, passwordHash: existing.passwordHash, createdAt: existing.createdAt,
                    disabled: existing.disabled, groups: groups)
                guard
                    updated.email != existing.email || Set(updated.roleNames) != Set(existing.roleNames)
                        || Set(updated.groupNames) != Set(existing.groupNames)
                else { return }
                existing = updated
                try existing.update(db)
                try Self.appendAuditEvent(
                    db, actor: "gatehouse", action: "user.updated-by-proxy",
                    details: ["user": name, "roles": roles.joined(separator: ","), "groups": groups.joined(separator: ",")], at: date)
            } else {
                try UserRecord(name: name, email: email, roles: roles, passwordHash: nil, createdAt: date, groups: groups).insert(db)
                try Self.appendAuditEvent(
                    db, actor: "gatehouse", action: "user.created-by-proxy",
                    details: ["user": name, "roles": roles.joined(separator: ","), "groups": groups.joined(separator: ",")], at: date)
            }
        }
    }

    /// The `groups` column of the user table (v6): SSO groups as last seen, so notices reach `group:` approvers.
    static func addUserGroups(_ db: Database) throws {
        try db.alter(table: "user") { table in table.add(column: "groups", .text).notNull().defaults(to: "[]") }
    }

    /// Replaces a user's roles; audited with the roles before and after. Nothing is recorded when they do not change.
    package func setUserRoles(_ name: String, roles: [String], by actor: String, at date: Date = Date()) throws {
        try writer.write { db in
            guard var user = try UserRecord.fetchOne(db, key: name) else { throw AccountError.userNotFound(name) }
            let before = user.roleNames
            guard Set(before) != Set(roles) else { return }
            user.roles = UserRecord.list(roles)
            try user.update(db)
            try Self.appendAuditEvent(
                db, actor: actor, action: "user.roles-changed",
                details: ["user": name, "from": before.joined(separator: ","), "to": roles.joined(separator: ",")], at: date)
        }
    }

    /// Disables a user (their sessions and tokens stop working at once) or enables them again.
    package func setUserDisabled(_ name: String, _ disabled: Bool, by actor: String, at date: Date = Date()) throws {
        try writer.write { db in
            guard var user = try UserRecord.fetchOne(db, key: name) else { throw AccountError.userNotFound(name) }
            guard user.disabled != disabled else { return }
            user.disabled = disabled
            try user.update(db)
            try Self.appendAuditEvent(db, actor: actor, action: disabled ? "user.disabled" : "user.enabled", details: ["user": name], at: date)
        }
    }

    /// A new password (its bcrypt hash) for a user; their sessions end, so whoever knew the old one is signed out.
    /// Audited without the hash.
    package func setUserPassword(_ name: String, hash: String, by actor: String, at date: Date = Date()) throws {
        try writer.write { db in
            guard var user = try UserRecord.fetchOne(db, key: name) else { throw AccountError.userNotFound(name) }
            user.passwordHash = hash
            try user.update(db)
            let ended = try SessionRecord.filter(Column("userName") == name).deleteAll(db)
            try Self.appendAuditEvent(
                db, actor: actor, action: "user.password-changed", details: ["user": name, "sessionsEnded": String(ended)], at: date)
        }
    }

    /// Every account, by name.
    package func users() throws -> [UserRecord] {
        try writer.read { db in try UserRecord.order(Column("name")).fetchAll(db) }
    }

    package func user(named name: String) throws -> UserRecord? {
        try writer.read { db in try UserRecord.fetchOne(db, key: name) }
    }

    package func userCount() throws -> Int {
        try writer.read { db in try UserRecord.fetchCount(db) }
    }

    /// Stores a new session after a successful sign-in, with its audit event.
    package func createSession(_ session: SessionRecord, from address: String?) throws {
        try writer.write { db in
            try session.insert(db)
            var details = ["user": session.userName]
            if let address { details["address"] = address }
            try Self.appendAuditEvent(db, actor: session.userName, action: "auth.signed-in", details: details, at: session.createdAt)
        }
    }

    /// The live session with this token hash and its enabled user; expired sessions are deleted when met.
    package func session(tokenSHA256: String, now: Date) throws -> (session: SessionRecord, user: UserRecord)? {
        try writer.write { db in
            guard let session = try SessionRecord.fetchOne(db, key: tokenSHA256) else { return nil }
            guard session.expiresAt > now else {
                try session.delete(db)
                return nil
            }
            guard let user = try UserRecord.fetchOne(db, key: session.userName), !user.disabled else { return nil }
            return (session, user)
        }
    }

    package func deleteSession(tokenSHA256: String, at date: Date) throws {
        try writer.write { db in
            guard let session = try SessionRecord.fetchOne(db, key: tokenSHA256) else { return }
            try session.delete(db)
            try Self.appendAuditEvent(db, actor: session.userName, action: "auth.signed-out", details: ["user": session.userName], at: date)
        }
    }

    /// Records a refused sign-in; `name` is what was typed, which may not be a user at all.
    package func recordFailedSignIn(name: String, address: String?, reason: String, at date: Date) throws {
        try writer.write { db in
            var details = ["user": String(name.prefix(100)), "reason": reason]
            if let address { details["address"] = address }
            try Self.appendAuditEvent(db, actor: "anonymous", action: "auth.sign-in-failed", details: details, at: date)
        }
    }

    package func createAPIToken(_ token: APITokenRecord, by actor: String) throws {
        try writer.write { db in
            guard try UserRecord.fetchOne(db, key: token.userName) != nil else { throw AccountError.userNotFound(token.userName) }
            try token.insert(db)
            try Self.appendAuditEvent(
                db, actor: actor, action: "token.created", details: ["user": token.userName, "token": token.name], at: token.createdAt)
        }
    }

    /// A user's tokens, newest first (hashes and names only; the tokens themselves are not stored).
    package func apiTokens(of user: String) throws -> [APITokenRecord] {
        try writer.read { db in
            try APITokenRecord.filter(Column("userName") == user).order(Column("createdAt").desc).fetchAll(db)
        }
    }

    /// Revokes one of `user`'s tokens; throws `tokenNotFound` for a token of someone else. The actor is the user
    /// themselves unless an administrator revokes it for them.
    package func revokeAPIToken(sha256 hash: String, of user: String, by actor: String? = nil, at date: Date) throws {
        try writer.write { db in
            guard var token = try APITokenRecord.fetchOne(db, key: hash), token.userName == user else { throw AccountError.tokenNotFound }
            guard token.revokedAt == nil else { return }
            token.revokedAt = date
            try token.update(db)
            try Self.appendAuditEvent(db, actor: actor ?? user, action: "token.revoked", details: ["user": user, "token": token.name], at: date)
        }
    }

    /// The enabled user of an unrevoked token, noting when it was used.
    package func user(apiTokenSHA256 hash: String, now: Date) throws -> UserRecord? {
        // A read first: "last used" moves at most once a minute, so a busy client does not make every call a write
        // transaction that the others queue behind.
        let found = try writer.read { db -> (APITokenRecord, UserRecord)? in
            guard let token = try APITokenRecord.fetchOne(db, key: hash), token.revokedAt == nil,
                let user = try UserRecord.fetchOne(db, key: token.userName), !user.disabled
            else { return nil }
            return (token, user)
        }
        guard let (token, user) = found else { return nil }
        if let used = token.lastUsedAt, now.timeIntervalSince(used) < Self.lastUsedResolution { return user }
        try writer.write { db in
            try db.execute(sql: "UPDATE apiToken SET lastUsedAt = ? WHERE tokenSHA256 = ?", arguments: [now, hash])
        }
        return user
    }

    /// How precisely an API token's "last used" time is kept.
    static let lastUsedResolution: TimeInterval = 60
}
