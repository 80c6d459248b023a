import ArgumentParser
import Engine
import Foundation
import Store
import Web

/// `gatehouse user add NAME --role ROLE [--role ROLE]… [--email E] [--password-stdin] [--data DIR]`.
struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage local accounts.", subcommands: [UserAddCommand.self, UserSetCommand.self, UserListCommand.self])
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

/// `gatehouse user set NAME [--role ROLE]… [--disable | --enable] [--password-stdin] [--data DIR]`: every change is
/// audited.
struct UserSetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Change a user's roles or password, or disable or enable the user.",
        discussion: """
            --role replaces all of the user's roles. A disabled user's sessions and API tokens stop working at once. \
            --password-stdin reads a new password from standard input (one line, at least 12 characters) and ends the \
            user's sessions.
            """
    )

    @Argument(help: "The user name.")
    var name: String

    @Option(name: .long, help: "A role: requester, approver, auditor or admin (repeat for several; replaces the current roles).")
    var role: [String] = []

    @Flag(help: "Disable the user, or enable them again.")
    var state: UserState?

    @Flag(name: .long, help: "Read a new password from standard input.")
    var passwordStdin = false

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
        guard !roles.isEmpty || state != nil || passwordStdin else {
            throw ValidationError("nothing to change: give --role, --disable, --enable or --password-stdin")
        }
        var password: String?
        if passwordStdin {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else { throw ValidationError("no password on standard input") }
            password = line
        }
        let database = try ExecutionOptions.database(data: data)
        let actor = ProcessInfo.processInfo.environment["USER"] ?? "cli"
        do {
            guard try database.user(named: name) != nil else { throw AccountError.userNotFound(name) }
            if let password { try Accounts(database: database).setPassword(name: name, password: password, by: actor) }
            if !roles.isEmpty { try database.setUserRoles(name, roles: roles.map(\.rawValue), by: actor) }
            if let state { try database.setUserDisabled(name, state == .disable, by: actor) }
        } catch let error as AccountError {
            throw ValidationError(error.description)
        } catch let error as AccountInputError {
            throw ValidationError(error.description)
        }
        print("updated user \(name)")
    }
}

/// `gatehouse user list [--data DIR]`: who has an account, with roles, e-mail, SSO groups and how they sign in.
struct UserListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the accounts.")

    @Option(name: .long, help: "The data directory (default: $GATEHOUSE_DATA, else ./data).")
    var data: String?

    func run() throws {
        let users = try ExecutionOptions.database(data: data).users()
        guard !users.isEmpty else {
            print("no users yet; add the first admin with: gatehouse user add admin --role admin --password-stdin")
            return
        }
        let rows = users.map { user in
            [
                user.name, user.roleNames.joined(separator: ","), user.email ?? "-",
                user.groupNames.isEmpty ? "-" : user.groupNames.joined(separator: ","),
                user.passwordHash == nil ? "proxy" : "password", user.disabled ? "disabled" : "enabled", ISO8601.format(user.createdAt),
            ]
        }
        print(TextTable.render(header: ["NAME", "ROLES", "E-MAIL", "GROUPS", "SIGN-IN", "STATE", "CREATED"], rows: rows), terminator: "")
    }
}
