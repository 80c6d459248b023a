import ArgumentParser
import Engine
import Foundation
import Store
import Web

/// `gatehouse token create USER [--name N] [--data DIR]`: prints the new token alone on its last line.
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Manage API tokens.", subcommands: [TokenCreateCommand.self, TokenListCommand.self, TokenRevokeCommand.self])
}

struct TokenCreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create an API token for a user and print it; only its hash is kept, so it cannot be shown again.")

    @Argument(help: "The user the token acts as.")
    var user: String

    @Option(name: .long, help: "What the token is for (default: cli).")
    var name = "cli"

    @Option(name: .long, help: "The data directory (default: $GATEHOUSE_DATA, else ./data).")
    var data: String?

    func run() throws {
        let database = try ExecutionOptions.database(data: data)
        do {
            let token = try Accounts(database: database).createToken(
                for: user, name: name, by: ProcessInfo.processInfo.environment["USER"] ?? "cli")
            FileHandle.standardError.write(Data("token \(name) for \(user); store it now, it is not shown again:\n".utf8))
            print(token)
        } catch let error as AccountError {
            throw ValidationError(error.description)
        }
    }
}

/// `gatehouse token list USER [--data DIR]`: a user's tokens with the id `token revoke` takes (the start of the stored
/// hash; the tokens themselves are not stored).
struct TokenListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List a user's API tokens.")

    @Argument(help: "The user whose tokens to list.")
    var user: String

    @Option(name: .long, help: "The data directory (default: $GATEHOUSE_DATA, else ./data).")
    var data: String?

    func run() throws {
        let database = try ExecutionOptions.database(data: data)
        guard try database.user(named: user) != nil else { throw ValidationError(AccountError.userNotFound(user).description) }
        let tokens = try database.apiTokens(of: user)
        guard !tokens.isEmpty else {
            print("\(user) has no API tokens")
            return
        }
        let rows = tokens.map { token in
            [
                String(token.tokenSHA256.prefix(12)), token.name, ISO8601.format(token.createdAt), token.lastUsedAt.map(ISO8601.format) ?? "never",
                token.revokedAt.map { "revoked \(ISO8601.format($0))" } ?? "active",
            ]
        }
        print(TextTable.render(header: ["ID", "NAME", "CREATED", "LAST USED", "STATE"], rows: rows), terminator: "")
    }
}

/// `gatehouse token revoke USER ID [--data DIR]`: the token stops working at once; audited.
struct TokenRevokeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke", abstract: "Revoke one of a user's API tokens by the id `token list` shows.")

    @Argument(help: "The user the token belongs to.")
    var user: String

    @Argument(help: "The token's id from `gatehouse token list` (at least its first 8 characters).")
    var id: String

    @Option(name: .long, help: "The data directory (default: $GATEHOUSE_DATA, else ./data).")
    var data: String?

    func run() throws {
        let prefix = id.lowercased()
        guard prefix.count >= 8, prefix.allSatisfy(\.isHexDigit) else {
            throw ValidationError(
                "`\(id)` is not a token id: give at least the first 8 characters of the ID column of `gatehouse token list \(user)`")
        }
        let database = try ExecutionOptions.database(data: data)
        guard try database.user(named: user) != nil else { throw ValidationError(AccountError.userNotFound(user).description) }
        let matches = try database.apiTokens(of: user).filter { $0.tokenSHA256.hasPrefix(prefix) }
        guard let token = matches.first else { throw ValidationError("\(user) has no token with the id \(id); see `gatehouse token list \(user)`") }
        guard matches.count == 1 else { throw ValidationError("the id \(id) fits \(matches.count) tokens of \(user); give more of it") }
        guard token.revokedAt == nil else {
            print("token \(token.name) of \(user) was already revoked")
            return
        }
        try database.revokeAPIToken(
            sha256: token.tokenSHA256, of: user, by: ProcessInfo.processInfo.environment["USER"] ?? "cli", at: Date())
        print("revoked token \(token.name) of \(user)")
    }
}
