import Foundation
import Hummingbird
import NIOPosix
import Store

/// Signing in with a local password, and signing out. A session is a random cookie whose SHA-256 is stored; it lasts
/// `sessionLifetime`, is HttpOnly and SameSite=Lax (so a link in an approval e-mail arrives signed in), and Secure when
/// Gatehouse is served over HTTPS.
struct SignInRoutes: Sendable {
    let accounts: Accounts
    let views: Views
    let throttle: SignInThrottle
    let secureCookies: Bool
    let sessionLifetime: TimeInterval
    let sessions: SessionCache

    func add(to router: Router<GatehouseRequestContext>) {
        router.get("/sign-in") { request, context in
            let next = Self.safeNext(request.uri.queryParameters.get("next"))
            if context.user != nil { return Views.redirect(to: next) }
            return views.page("sign-in", title: "Sign in", context: context, data: ["next": next])
        }
        router.post("/sign-in") { request, context in try await signIn(request, context) }
        router.post("/sign-out") { request, context in
            if let cookie = request.cookies[AuthenticationMiddleware.sessionCookie]?.value {
                sessions.forget(tokenSHA256: Accounts.sha256(cookie))
                try accounts.database.deleteSession(tokenSHA256: Accounts.sha256(cookie), at: Date())
            }
            var response = Views.redirect(to: "/sign-in")
            response.setCookie(
                Cookie(name: AuthenticationMiddleware.sessionCookie, value: "", maxAge: 0, path: "/", secure: secureCookies, sameSite: .lax))
            return response
        }
    }

    private func signIn(_ request: Request, _ context: GatehouseRequestContext) async throws -> Response {
        let form = try await FormFields.read(request)
        let name = (form["name"] ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        let password = form["password"] ?? ""
        let next = Self.safeNext(form["next"])
        let now = Date()
        func refuse(_ message: String, status: HTTPResponse.Status) -> Response {
            views.page("sign-in", title: "Sign in", context: context, data: ["next": next, "name": name, "error": message], status: status)
        }
        if let until = throttle.blockedUntil(name: name, address: context.remoteAddress, now: now) {
            try accounts.database.recordFailedSignIn(name: name, address: context.remoteAddress, reason: "throttled", at: now)
            let minutes = max(1, Int((until.timeIntervalSince(now) / 60).rounded(.up)))
            return refuse("Too many failed sign-ins. Try again in \(minutes) minute\(minutes == 1 ? "" : "s").", status: .tooManyRequests)
        }
        let accounts = self.accounts
        let user = try await NIOThreadPool.singleton.runIfActive { try accounts.verify(name: name, password: password) }
        guard let user else {
            throttle.recordFailure(name: name, address: context.remoteAddress, at: now)
            try accounts.database.recordFailedSignIn(name: name, address: context.remoteAddress, reason: "wrong user name or password", at: now)
            return refuse("The user name or the password is wrong.", status: .unauthorized)
        }
        throttle.recordSuccess(name: name)
        let token = Accounts.randomToken()
        try accounts.database.createSession(
            SessionRecord(
                tokenSHA256: Accounts.sha256(token), userName: user.name, createdAt: now, expiresAt: now.addingTimeInterval(sessionLifetime)),
            from: context.remoteAddress)
        var response = Views.redirect(to: next)
        response.setCookie(
            Cookie(
                name: AuthenticationMiddleware.sessionCookie, value: token, maxAge: Int(sessionLifetime), path: "/", secure: secureCookies,
                sameSite: .lax))
        return response
    }

    /// Only a path on this site: `//evil.example` and `https://…` would turn sign-in into an open redirect.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.hasPrefix("/\\"), !next.contains("\n") else { return "/" }
        return next
    }
}
