import Foundation
import Testing

/// The platform team manages accounts from the command line: list them, reset a password, list and revoke tokens.
@Suite("Accounts and tokens from the command line")
struct AccountCommandTests {
    @Test("user list shows roles, sign-in and state; a password reset is checked, audited and never printed")
    func users() async throws {
        let root = try GatehouseProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let data = root.appendingPathComponent("data").path

        let empty = try await GatehouseProcess.run(["user", "list", "--data", data])
        #expect(empty.status == 0 && empty.standardOutput.contains("no users yet"))

        let added = try await GatehouseProcess.run(
            ["user", "add", "carol", "--role", "approver", "--email", "carol@example.com", "--password-stdin", "--data", data],
            input: "first-password-123\n")
        #expect(added.status == 0)
        #expect(try await GatehouseProcess.run(["user", "add", "dan", "--role", "requester", "--data", data]).status == 0)
        #expect(try await GatehouseProcess.run(["user", "set", "dan", "--disable", "--data", data]).status == 0)

        let list = try await GatehouseProcess.run(["user", "list", "--data", data])
        #expect(list.status == 0)
        let lines = list.standardOutput.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        #expect(lines.first == ["NAME", "ROLES", "E-MAIL", "GROUPS", "SIGN-IN", "STATE", "CREATED"])
        #expect(Array(lines[1].prefix(6)) == ["carol", "approver", "carol@example.com", "-", "password", "enabled"])
        #expect(Array(lines[2].prefix(6)) == ["dan", "requester", "-", "-", "proxy", "disabled"])

        let short = try await GatehouseProcess.run(["user", "set", "carol", "--password-stdin", "--data", data], input: "short\n")
        #expect(short.status != 0 && short.standardError.contains("too short"))
        let missing = try await GatehouseProcess.run(["user", "set", "nobody", "--password-stdin", "--data", data], input: "long-enough-password\n")
        #expect(missing.status != 0 && missing.standardError.contains("no user named nobody"))

        let reset = try await GatehouseProcess.run(["user", "set", "carol", "--password-stdin", "--data", data], input: "second-password-456\n")
        #expect(reset.status == 0)
        let audit = try await GatehouseProcess.run(["audit", "export", "--format", "json", "--data", data])
        #expect(audit.standardOutput.contains("user.password-changed"))
        #expect(!audit.standardOutput.contains("second-password-456") && !audit.standardOutput.contains("$2b$"))
        #expect(try await GatehouseProcess.run(["audit", "verify", "--data", data]).status == 0)
    }

    @Test("token list shows each token's id and state; token revoke takes that id and the token stops being listed as active")
    func tokens() async throws {
        let root = try GatehouseProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let data = root.appendingPathComponent("data").path
        #expect(try await GatehouseProcess.run(["user", "add", "ci", "--role", "admin", "--data", data]).status == 0)
        let none = try await GatehouseProcess.run(["token", "list", "ci", "--data", data])
        #expect(none.status == 0 && none.standardOutput.contains("ci has no API tokens"))
        let created = try await GatehouseProcess.run(["token", "create", "ci", "--name", "deploy", "--data", data])
        #expect(created.status == 0)
        let token = try #require(created.standardOutput.split(separator: "\n").last.map(String.init))

        let listed = try await GatehouseProcess.run(["token", "list", "ci", "--data", data])
        #expect(listed.status == 0 && !listed.standardOutput.contains(token))
        let row = try #require(listed.standardOutput.split(separator: "\n").dropFirst().first?.split(separator: " ", omittingEmptySubsequences: true))
        #expect(row.count >= 5 && row[1] == "deploy" && row[3] == "never" && row[4] == "active")
        let id = String(row[0])

        let bad = try await GatehouseProcess.run(["token", "revoke", "ci", "zz", "--data", data])
        #expect(bad.status != 0 && bad.standardError.contains("is not a token id"))
        let unknown = try await GatehouseProcess.run(["token", "revoke", "ci", "00000000", "--data", data])
        #expect(unknown.status != 0 && unknown.standardError.contains("has no token with the id 00000000"))

        let revoked = try await GatehouseProcess.run(["token", "revoke", "ci", String(id.prefix(8)), "--data", data])
        #expect(revoked.status == 0 && revoked.standardOutput.contains("revoked token deploy of ci"))
        let after = try await GatehouseProcess.run(["token", "list", "ci", "--data", data])
        #expect(after.standardOutput.contains("revoked ") && !after.standardOutput.contains("active"))
        let audit = try await GatehouseProcess.run(["audit", "export", "--format", "json", "--data", data])
        #expect(audit.standardOutput.contains("token.revoked"))
    }
}
