import Foundation
import Testing

@testable import Store

@Suite("API token use")
struct APITokenUseTests {
    @Test("a token's last use is kept to the minute: calls within a minute do not write; revoked tokens and disabled users are refused")
    func lastUsed() throws {
        let (database, root) = try ExecutionStoreTests.freshDatabase()
        defer { try? FileManager.default.removeItem(at: root) }
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        try database.createUser(UserRecord(name: "ci", email: nil, roles: ["requester"], passwordHash: nil, createdAt: start), by: "test")
        try database.createAPIToken(APITokenRecord(tokenSHA256: "h1", userName: "ci", name: "deploy", createdAt: start), by: "test")
        let lastUsed = { try database.apiTokens(of: "ci").first?.lastUsedAt?.timeIntervalSince1970 }

        #expect(try database.user(apiTokenSHA256: "h1", now: start)?.name == "ci")
        #expect(try lastUsed() == start.timeIntervalSince1970)
        #expect(try database.user(apiTokenSHA256: "h1", now: start.addingTimeInterval(30))?.name == "ci")
        #expect(try lastUsed() == start.timeIntervalSince1970)
        #expect(try database.user(apiTokenSHA256: "h1", now: start.addingTimeInterval(61))?.name == "ci")
        #expect(try lastUsed() == start.addingTimeInterval(61).timeIntervalSince1970)

        #expect(try database.user(apiTokenSHA256: "unknown", now: start) == nil)
        try database.revokeAPIToken(sha256: "h1", of: "ci", at: start.addingTimeInterval(90))
        #expect(try database.user(apiTokenSHA256: "h1", now: start.addingTimeInterval(91)) == nil)
    }
}
