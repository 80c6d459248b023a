import ArgumentParser
import Foundation
import Store
import Web

/// `gatehouse user add NAME --role ROLE [--role ROLE]… [--email E] [--password-stdin] [--data DIR]`.
struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage local accounts.", subcommands: [UserAddCommand.self, UserSetCommand.self])
}

struct UserAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a local user.",
        discussion: """
            Roles: requester (asks for things), approver (decides on them), auditor (reads the history and the audit log), \
            admin (everything). The password is read from standard input (one line, at least 12 characters); without \
            --password-stdin the user can only sign in through the trusted proxy.
            """
    )

    @Argument(help: "The user name: lower-case letters, digits, '.', '_' or '-'.")
    var name: String

    @Option(name: .long, help: "A role: requester, approver, auditor or admin (repeat for several).")
    var role: [String] = []

    @Option(name: .long, help: "The e-mail address notifications go to.")
    var email: String?

    @Flag(name: .long, help: "Read the password from standard input.")
    var passwordStdin = false

    @Option(name: .long, help: "The data directory (default: $GATEHOUSE_DATA, else ./data).")
    var data: String?

    func run() throws {
        var roles: [Role] = []
        for text in role {
            guard let parsed = Role(rawValue: text.lowercased()) else {
                throw ValidationError("unknown role `\(text)`: use requester, approver, auditor or admin")
            }
            roles.append(parsed)
        }
        var password: String?
        if passwordStdin {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else { throw ValidationError("no password on standard input") }
            password = line
        }
        let database = try ExecutionOptions.database(data: data)
        do {
            try Accounts(database: database).addUser(
                name: name, roles: roles, email: email, password: password, by: ProcessInfo.processInfo.environment["USER"] ?? "cli")
        } catch let error as AccountInputError {
            throw ValidationError(error.description)
        } catch let error as AccountError {
            throw ValidationError(error.description)
        }
        print("added user \(name) (\(roles.map(\.rawValue).joined(separator: ", ")))")
    }
}

/// `gatehouse user set NAME [--role ROLE]… [--disable | --enable] [--data DIR]`: every change is audited.
struct UserSetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Change a user's roles, or disable or enable the user.",
        discussion: "--role replaces all of the user's roles. A disabled user's sessions and API tokens stop working at once."
    )

    @Argument(help: "The user name.")
    var name: String

    @Option(name: .long, help: "A role: requester, approver, auditor or admin (repeat for several; replaces the current roles).")
    var role: [String] = []

    @Flag(help: "Disable the user, or enable them again.")
    var state: UserState?

    enum UserState: String, EnumerableFlag {
        case disable, enable
    }

    @Option(name: .long, help: "The data directory (default: $GATEHOUSE_DATA, else ./data).")
    var data: String?

    func run() throws {
        var roles: [Role] = []
        for text in role {
            guard let parsed = Role(rawValue: text.lowercased()) else {
                throw ValidationError("unknown role `\(text)`: use requester, approver, auditor or admin")
            }
            roles.append(parsed)
        }
        guard !roles.isEmpty || state != nil else { throw ValidationError("nothing to change: give --role, --disable or --enable") }
        let database = try ExecutionOptions.database(data: data)
        let actor = ProcessInfo.processInfo.environment["USER"] ?? "cli"
        do {
            if !roles.isEmpty { try database.setUserRoles(name, roles: roles.map(\.rawValue), by: actor) }
            if let state { try database.setUserDisabled(name, state == .disable, by: actor) }
        } catch let error as AccountError {
            throw ValidationError(error.description)
        }
        print("updated user \(name)")
    }
}

/// `gatehouse token create USER [--name N] [--data DIR]`: prints the new token alone on its last line.
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Manage API tokens.", subcommands: [TokenCreateCommand.self])
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
