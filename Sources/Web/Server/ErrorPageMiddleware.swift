import Hummingbird

/// Turns errors into pages for browsers: a person who hits a missing flow, an expired form or a forbidden page sees a
/// readable page with a way back, while API clients (and anything not asking for HTML) keep Hummingbird's JSON error.
struct ErrorPageMiddleware: RouterMiddleware {
    typealias Context = GatehouseRequestContext
    let views: Views

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            let wantsHTML = request.headers[.accept]?.contains("text/html") == true && !request.uri.path.hasPrefix("/api/")
            guard wantsHTML else { throw error }
            let heading: String
            switch error.status {
            case .notFound: heading = "Not found"
            case .forbidden: heading = "Not allowed"
            case .unauthorized: heading = "Sign in first"
            case .conflict: heading = "That cannot be done now"
            default: heading = "Something went wrong"
            }
            return views.page(
                "error", title: heading, context: context, data: ["heading": heading, "message": error.body ?? heading, "status": error.status.code],
                status: error.status)
        }
    }
}
