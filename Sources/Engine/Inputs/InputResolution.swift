import FlowModel
import Pebble

/// One value as it arrives from the web form, the JSON API or the CLI, before it is typed (KESTRA.md §2.2, §2.5).
///
/// Every wire value is text; a FILE input arrives already stored, as the `kestra://` URI of the stored file plus the
/// name the user uploaded it under (the name decides the extension check).
package enum SubmittedInput: Sendable, Hashable {
    case text(String)
    case file(uri: String, filename: String)

    /// An empty text or URI counts as "not submitted": Kestra's UI omits empty fields, so they fall back to `defaults`.
    var isEmpty: Bool {
        switch self {
        case .text(let text): text.isEmpty
        case .file(let uri, _): uri.isEmpty
        }
    }
}

/// The outcome of resolving one declared input: whether it is enabled, its typed value, and every problem found.
package struct ResolvedInput: Sendable {
    /// Where the value that was checked came from.
    package enum Source: Sendable, Hashable {
        /// Nothing was submitted and there are no `defaults`.
        case none
        case submitted
        case defaults
    }

    package let declaration: InputDeclaration
    /// False when a dependency is disabled or the `dependsOn.condition` did not render `true`; a disabled input is
    /// hidden in the form and absent from the execution's `inputs`.
    package let enabled: Bool
    /// The typed value (``PebbleValue/null`` for an optional input left empty); nil when disabled or invalid.
    package let value: PebbleValue?
    /// The value as submitted or defaulted, as text, so a form can show back what the user typed; nil when there was none.
    package let rawText: String?
    package let source: Source
    /// Kestra's messages (KESTRA.md §2.4), in the order found.
    package var errors: [String]
    /// The choices a SELECT or MULTISELECT offers: the static `values`, or what `expression` rendered.
    package let options: [SelectOption]
    /// The resolved children of a FORM input, in declaration order.
    package let children: [ResolvedInput]

    package var id: String { declaration.id }
    /// SECRET values are plain text here; callers mask them wherever they are shown or logged.
    package var isSecret: Bool { declaration.type == .secret }
    package var isValid: Bool { errors.isEmpty }
}

/// Every declared input resolved in one pass, as Kestra's `/validate` endpoint returns them (KESTRA.md §2.4).
package struct InputResolution: Sendable {
    /// One entry per declaration, in declaration order.
    package var inputs: [ResolvedInput]
    /// The enabled, valid values nested by `.` in their ids (`nested.string` → `nested: {string: …}`), ready to be the
    /// execution's `inputs`; disabled inputs are absent and optional empty ones are null.
    package let values: PebbleMap

    /// Every error of every input, in declaration order, so a form can show them all at once.
    package var errors: [String] { inputs.flatMap(\.errors) }
    /// The error Kestra would refuse the execution with.
    package var firstError: String? { inputs.lazy.flatMap(\.errors).first }
    package var isValid: Bool { inputs.allSatisfy(\.isValid) }

    /// The resolved input with this id (the first one if the flow declares it twice).
    package subscript(id: String) -> ResolvedInput? {
        inputs.first { $0.id == id }
    }
}
