import Foundation
import Hummingbird
import Logging

/// Turns errors into pages for browsers: a person who hits a missing flow, an expired form or a forbidden page sees a
/// readable page with a way back, while API clients (and anything not asking for HTML) keep Hummingbird's JSON error.
/// An error that is not an HTTP error is a fault of ours: the person gets a reference instead of a blank 500, and the
/// server's log gets the same reference with the error, so a report can be matched to its cause without showing
/// internals (paths, SQL) to the visitor.
struct ErrorPageMiddleware: RouterMiddleware {
    typealias Context = GatehouseRequestContext
    let views: Views

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            guard Self.wantsHTML(request) else { throw error }
            return page(error.status, message: error.body, reference: nil, context: context)
        } catch let error as any HTTPResponseError {
            // Hummingbird's own errors (a malformed body, say) already carry their status and say what is wrong.
            throw error
        } catch {
            let reference = Self.reference()
            context.logger.error(
                "unexpected error answering \(request.method) \(request.uri.path) (reference \(reference)): \(String(describing: error))")
            let message = "Gatehouse could not answer this request. If it happens again, tell your platform team the reference \(reference)."
            guard Self.wantsHTML(request) else { throw HTTPError(.internalServerError, message: message) }
            return page(.internalServerError, message: message, reference: reference, context: context)
        }
    }

    private func page(_ status: HTTPResponse.Status, message: String?, reference: String?, context: Context) -> Response {
        let heading: String
        switch status {
        case .notFound: heading = "Not found"
        case .forbidden: heading = "Not allowed"
        case .unauthorized: heading = "Sign in first"
        case .conflict: heading = "That cannot be done now"
        default: heading = "Something went wrong"
        }
        var data: [String: Any] = ["heading": heading, "message": message ?? heading, "status": status.code]
        if let reference { data["reference"] = reference }
        return views.page("error", title: heading, context: context, data: data, status: status)
    }

    private static func wantsHTML(_ request: Request) -> Bool {
        request.headers[.accept]?.contains("text/html") == true && !request.uri.path.hasPrefix("/api/")
    }

    /// Eight hex digits: short enough to read over the phone, random enough not to collide among a day's errors.
    static func reference() -> String {
        let value = UInt32.random(in: .min ... .max)
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }
}
