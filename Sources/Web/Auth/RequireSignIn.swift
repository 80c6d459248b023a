import Hummingbird

/// The authorization check of a group of pages: anonymous visitors are sent to sign in (and back afterwards); signed-in
/// users without one of `roles` get 403. An empty `roles` admits every signed-in user.
struct RequireSignIn: RouterMiddleware {
    typealias Context = GatehouseRequestContext
    let roles: Set<Role>

    init(_ roles: Set<Role> = []) { self.roles = roles }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let user = context.user else {
            if context.viaToken || request.uri.path.hasPrefix("/api/") { throw HTTPError(.unauthorized, message: "sign in or send an API token") }
            let target = request.method == .get ? request.uri.description : "/"
            return Views.redirect(to: "/sign-in?next=" + (target.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"))
        }
        guard roles.isEmpty || roles.contains(where: user.has) else {
            throw HTTPError(.forbidden, message: "This page needs the role \(roles.map(\.rawValue).sorted().joined(separator: " or ")).")
        }
        return try await next(request, context)
    }
}
