import Engine
import Foundation
import Hummingbird
import Store

/// A person's own API tokens: create one (shown once, on the page that answers the form) and revoke any of them.
/// Tokens are listed by name and dates; only their hashes are stored, so a lost token is revoked, never shown again.
struct TokenRoutes: Sendable {
    let accounts: Accounts
    let views: Views

    func add(to group: RouterGroup<GatehouseRequestContext>) {
        group.get("/tokens") { _, context in try page(context, created: nil) }
        group.post("/tokens") { request, context in
            let user = context.user?.name ?? ""
            let name = (try await FormFields.read(request)["name"] ?? "").trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, name.count <= 100 else {
                return try page(context, created: nil, error: "Give the token a name of 1 to 100 characters, for example “laptop” or “CI”.")
            }
            let token = try accounts.createToken(for: user, name: name, by: user)
            return try page(context, created: token)
        }
        group.post("/tokens/{id}/revoke") { _, context in
            do {
                try accounts.database.revokeAPIToken(sha256: context.parameters.get("id") ?? "", of: context.user?.name ?? "", at: Date())
            } catch AccountError.tokenNotFound {
                throw HTTPError(.notFound, message: "There is no such token of yours.")
            }
            return Views.redirect(to: "/tokens")
        }
    }

    private func page(_ context: GatehouseRequestContext, created: String?, error: String? = nil) throws -> Response {
        let tokens = try accounts.database.apiTokens(of: context.user?.name ?? "").map { token -> [String: Any] in
            [
                "id": token.tokenSHA256, "name": token.name, "created": ISO8601.format(token.createdAt),
                "lastUsed": token.lastUsedAt.map(ISO8601.format) ?? "never", "revoked": token.revokedAt.map(ISO8601.format) ?? "",
                "active": token.revokedAt == nil,
            ]
        }
        var data: [String: Any] = ["tokens": tokens, "empty": tokens.isEmpty]
        if let created { data["created"] = created }
        if let error { data["error"] = error }
        return views.page("tokens", title: "API tokens", context: context, data: data, status: error == nil ? .ok : .unprocessableContent)
    }
}
