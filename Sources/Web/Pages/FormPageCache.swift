import Engine
import FlowModel
import Foundation

/// The blank request form of a flow, rendered once per flow revision and viewer: the fields, labels and Markdown are
/// the same every time, only the CSRF and submission tokens differ, and those are put into placeholders. Flows whose
/// form depends on expressions (`dependsOn`, `expression`, templated defaults or bounds) are never cached, since they
/// may render differently each time.
final class FormPageCache: @unchecked Sendable {
    static let csrfPlaceholder = "gatehouse-csrf-placeholder-5e1d2c"
    static let submissionPlaceholder = "gatehouse-submission-placeholder-5e1d2c"
    static let capacity = 2_000

    private let lock = NSLock()
    private var pages: [String: Template] = [:]

    /// A rendered page cut at its placeholders, so filling in the tokens is one pass of appends.
    struct Template {
        enum Slot { case csrf, submission }
        let parts: [Substring]
        let slots: [Slot]

        init(_ html: String) {
            var marks = html.ranges(of: FormPageCache.csrfPlaceholder).map { ($0, Slot.csrf) }
            marks += html.ranges(of: FormPageCache.submissionPlaceholder).map { ($0, Slot.submission) }
            marks.sort { $0.0.lowerBound < $1.0.lowerBound }
            var parts: [Substring] = []
            var start = html.startIndex
            for (range, _) in marks {
                parts.append(html[start..<range.lowerBound])
                start = range.upperBound
            }
            parts.append(html[start...])
            self.parts = parts
            slots = marks.map(\.1)
        }

        func filled(csrf: String, submission: String) -> String {
            var html = String(parts[0])
            html.reserveCapacity(parts.reduce(0) { $0 + $1.utf8.count } + slots.count * 64)
            for (index, slot) in slots.enumerated() {
                html += slot == .csrf ? csrf : submission
                html += parts[index + 1]
            }
            return html
        }
    }

    /// The page for `key`, rendered by `render` on a miss; tokens are filled in per request.
    func page(key: String, csrf: String, submission: String, render: () -> String) -> String {
        if let cached = lock.withLock({ pages[key] }) { return cached.filled(csrf: csrf, submission: submission) }
        let template = Template(render())
        lock.withLock {
            if pages.count >= Self.capacity { pages.removeAll() }
            pages[key] = template
        }
        return template.filled(csrf: csrf, submission: submission)
    }

    /// Whether a flow's blank form is the same on every view.
    static func isStatic(_ flow: Flow) -> Bool {
        func isStatic(_ input: InputDeclaration) -> Bool {
            let values = [input.defaults, input.prefill, input.min, input.max].compactMap { $0 }
            return input.dependsOn == nil && input.expression == nil && !values.contains(where: templated)
                && [input.after, input.before].allSatisfy { !($0 ?? "").contains("{") } && input.children.allSatisfy(isStatic)
        }
        return flow.inputs.allSatisfy(isStatic)
    }

    private static func templated(_ value: FlowValue) -> Bool {
        switch value {
        case .string(let text): text.contains("{{") || text.contains("{%")
        case .list(let items): items.contains(where: templated)
        case .map(let entries): entries.contains { templated($0.value) }
        default: false
        }
    }
}
