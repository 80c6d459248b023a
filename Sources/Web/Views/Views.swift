import Foundation
import Hummingbird
import Mustache

/// Renders pages from the Mustache templates. Mustache escapes every `{{value}}`; the unescaped `{{{ }}}` form is used
/// only for values whose key ends in `HTML`, which ``SafeMarkdown`` produced from escaped text.
package struct Views: Sendable {
    let library: MustacheLibrary
    /// How many executions wait for the user's decision, for the navigation's badge.
    var pendingApprovals: @Sendable (SignedInUser) -> Int = { _ in 0 }
    /// Whether the navigation links the approvals inbox: approvers, and users a flow's approval policy names.
    var showsApprovals: @Sendable (SignedInUser) -> Bool = { $0.has(.approver) }

    package init(root: WebRoot) async throws {
        library = try await MustacheLibrary(directory: root.templates)
    }

    /// An HTML page: `template` extends `layout`, with the signed-in user and the CSRF token for its forms.
    func page(_ template: String, title: String, context: GatehouseRequestContext, data: [String: Any] = [:], status: HTTPResponse.Status = .ok)
        -> Response
    {
        Self.response(html(template, title: title, context: context, data: data), status: status)
    }

    static func response(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// The page's HTML; `csrf` replaces the request's own token (a cached page renders a placeholder there).
    func html(_ template: String, title: String, context: GatehouseRequestContext, data: [String: Any] = [:], csrf: String? = nil) -> String {
        var values = data
        values["title"] = title
        values["csrf"] = csrf ?? context.csrfToken
        if let user = context.user {
            values["user"] = [
                "name": user.name, "isApprover": showsApprovals(user), "isAuditor": user.has(.auditor), "isAdmin": user.has(.admin),
                "pendingApprovals": Self.badge(pendingApprovals(user)),
            ]
        }
        return library.render(values, withTemplate: template) ?? "template \(template) is missing"
    }

    /// A value for a `{{#name}}` section that is skipped when empty: swift-mustache renders a section for any string,
    /// even "", so empty text becomes null.
    static func optional(_ text: String?) -> Any {
        guard let text, !text.isEmpty else { return NSNull() }
        return text
    }

    /// A count for a `{{#name}}` badge: swift-mustache renders a section for any number, 0 included.
    static func badge(_ count: Int) -> Any { count > 0 ? count : false }

    static func redirect(to location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }
}
