import Foundation
import HTTPTypes
import Hummingbird
import Store

/// Finds who is asking: an `Authorization: Bearer` API token, else the session cookie. Also hands out this browser's
/// CSRF token (a random cookie the forms echo back) and checks it on every state-changing browser request.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = GatehouseRequestContext
    let database: GatehouseDatabase
    let secureCookies: Bool
    var proxy: TrustedProxy?
    let sessions: SessionCache

    static let sessionCookie = "gatehouse_session"
    static let csrfCookie = "gatehouse_csrf"
    static let csrfField = "_csrf"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        var request = request
        let now = Date()
        if let proxy {
            let forwarded = request.headers[values: HTTPField.Name("X-Forwarded-For")!]
            context.remoteAddress = proxy.clientAddress(peer: context.peerAddress, forwardedFor: forwarded)
        }
        if let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") {
            let token = String(header.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
            guard let user = try database.user(apiTokenSHA256: Accounts.sha256(token), now: now) else {
                throw HTTPError(.unauthorized, message: "the API token is unknown or revoked")
            }
            context.user = Accounts.signedIn(user)
            context.viaToken = true
            return try await next(request, context)
        }
        if let cookie = request.cookies[Self.sessionCookie]?.value, let user = try sessionUser(tokenSHA256: Accounts.sha256(cookie), now: now) {
            context.user = user
        } else if let proxy, proxy.isEnabled,
            let user = proxy.user(
                address: context.peerAddress, user: request.headers[HTTPField.Name("X-Forwarded-User")!],
                email: request.headers[HTTPField.Name("X-Forwarded-Email")!], groups: request.headers[HTTPField.Name("X-Forwarded-Groups")!])
        {
            // Kept in the user table, so notifications find their e-mail and tokens can be made for them.
            let stored = try database.user(named: user.name)
            if stored?.disabled == true { throw HTTPError(.forbidden, message: "The account \(user.name) is disabled.") }
            let roles = user.roles.map(\.rawValue).sorted()
            let groups = user.groups.sorted()
            if stored == nil || stored?.email != (user.email ?? stored?.email) || Set(stored?.roleNames ?? []) != Set(roles)
                || Set(stored?.groupNames ?? []) != Set(groups)
            {
                try database.recordProxyUser(name: user.name, email: user.email, roles: roles, groups: groups, at: now)
            }
            context.user = user
        }

        let existing = request.cookies[Self.csrfCookie]?.value
        context.csrfToken = existing ?? Accounts.randomToken()
        // Webhooks are authenticated by their key and come from other systems, never from a Gatehouse form.
        let isWebhook = request.uri.path.hasPrefix("/api/v1/executions/webhook/")
        // An anonymous API call carries no ambient credentials to abuse, so it meets the 401 of the route instead.
        let anonymousAPI = request.uri.path.hasPrefix("/api/") && context.user == nil
        if ![.get, .head, .options].contains(request.method), !isWebhook, !anonymousAPI {
            guard let existing, try await Self.submittedToken(&request).map({ Self.constantTimeEqual($0, existing) }) == true else {
                throw HTTPError(.forbidden, message: "This form has expired or did not come from Gatehouse. Go back, reload the page and try again.")
            }
        }
        var response = try await next(request, context)
        if existing == nil {
            response.setCookie(
                Cookie(name: Self.csrfCookie, value: context.csrfToken, path: "/", secure: secureCookies, httpOnly: true, sameSite: .strict))
        }
        return response
    }

    private func sessionUser(tokenSHA256 hash: String, now: Date) throws -> SignedInUser? {
        if let user = sessions.user(tokenSHA256: hash, now: now) { return user }
        guard let (session, record) = try database.session(tokenSHA256: hash, now: now) else { return nil }
        let user = Accounts.signedIn(record)
        sessions.remember(tokenSHA256: hash, user: user, sessionExpiresAt: session.expiresAt, now: now)
        return user
    }

    /// The token a form sent: the `_csrf` field of a URL-encoded body, the `X-CSRF-Token` header, or the `_csrf` query
    /// parameter (for multipart forms, whose body is read by the route).
    static func submittedToken(_ request: inout Request) async throws -> String? {
        if let header = request.headers[HTTPField.Name("X-CSRF-Token")!] { return header }
        if let query = request.uri.queryParameters.get(csrfField) { return query }
        guard request.headers[.contentType]?.hasPrefix("application/x-www-form-urlencoded") == true else { return nil }
        let body = try await request.collectBody(upTo: 1 << 20)
        let text = String(buffer: body)
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.first == csrfField, parts.count == 2 { return parts[1].removingPercentEncoding }
        }
        return nil
    }

    static func constantTimeEqual(_ left: String, _ right: String) -> Bool {
        let a = Array(left.utf8)
        let b = Array(right.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
