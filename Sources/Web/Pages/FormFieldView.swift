import Engine
import FlowModel
import Foundation

/// How one resolved input appears in a form: the widget of KESTRA.md §2.6 for its type, what was typed (never a secret),
/// its options and its errors. Mustache escapes every value.
enum FormFieldView {
    static func fields(_ inputs: [ResolvedInput], showErrors: Bool) -> [[String: Any]] {
        inputs.filter(\.enabled).map { field($0, showErrors: showErrors) }
    }

    static func field(_ input: ResolvedInput, showErrors: Bool) -> [String: Any] {
        let declaration = input.declaration
        var field: [String: Any] = [
            "id": input.id, "htmlId": "input-" + input.id.replacingOccurrences(of: ".", with: "-"), "label": declaration.label,
            "required": declaration.required, "descriptionHTML": Views.optional(SafeMarkdown.html(declaration.description ?? "", headingLevel: 2)),
        ]
        // Every key the partial reads is set, so a missing one never falls through to the page's own values (Mustache
        // looks a missing name up in the enclosing contexts: a page-wide `hasErrors` would mark every field invalid).
        // Sections need false, not "": swift-mustache renders a section for any string, even an empty one.
        for flag in [
            "isGroup", "isChoice", "isMulti", "isText", "isSelect", "isTextarea", "isFile", "hasErrors", "hasDatalist", "placeholder", "hint",
            "accept", "step", "min", "max",
        ] {
            field[flag] = false
        }
        field["inputType"] = "text"
        for list in ["errors", "options", "datalist", "children"] { field[list] = [Any]() }
        let typed = input.declaration.type == .secret ? "" : (input.rawText ?? "")
        field["value"] = typed
        if showErrors, !input.errors.isEmpty {
            field["errors"] = input.errors
            field["hasErrors"] = true
        }
        switch declaration.type {
        case .string:
            field["isText"] = true
            field["inputType"] = "text"
        case .email:
            field["isText"] = true
            field["inputType"] = "email"
        case .uri:
            field["isText"] = true
            field["inputType"] = "url"
        case .secret:
            field["isText"] = true
            field["inputType"] = "password"
        case .duration:
            field["isText"] = true
            field["inputType"] = "text"
            field["hint"] = "An ISO-8601 duration, for example PT30M (30 minutes), PT8H or P7D."
        case .int, .float:
            field["isText"] = true
            field["inputType"] = "number"
            field["step"] = declaration.type == .int ? "1" : "any"
            if let min = declaration.min.flatMap(number) { field["min"] = min }
            if let max = declaration.max.flatMap(number) { field["max"] = max }
        case .date:
            field["isText"] = true
            field["inputType"] = "date"
        case .time:
            field["isText"] = true
            field["inputType"] = "time"
            field["step"] = "1"
        case .datetime:
            field["isText"] = true
            field["inputType"] = "datetime-local"
            field["step"] = "1"
            field["hint"] = "In UTC."
            field["value"] = typed.hasSuffix("Z") ? String(typed.dropLast()) : typed
        case .bool:
            field["isChoice"] = true
            var options = [("true", "Yes"), ("false", "No")]
            if !declaration.required { options.append(("", "Not set")) }
            field["options"] = options.map { ["value": $0.0, "label": $0.1, "selected": $0.0 == typed] as [String: Any] }
        case .select:
            let options = input.options.map { ["value": $0.value, "label": $0.label, "selected": $0.value == typed] as [String: Any] }
            if declaration.allowCustomValue {
                field["isText"] = true
                field["inputType"] = "text"
                field["datalist"] = options
                field["hasDatalist"] = !options.isEmpty
            } else if declaration.isRadio {
                field["isChoice"] = true
                field["options"] = options
            } else {
                field["isSelect"] = true
                field["options"] = options
                field["placeholder"] = !declaration.required || typed.isEmpty
            }
        case .multiselect:
            let chosen = Set(multiValues(typed))
            field["isMulti"] = true
            field["options"] = input.options.map { ["value": $0.value, "label": $0.label, "selected": chosen.contains($0.value)] as [String: Any] }
        case .json, .yaml, .array:
            field["isTextarea"] = true
            field["hint"] = declaration.type == .yaml ? "YAML." : "JSON."
        case .file:
            field["isFile"] = true
            if !declaration.allowedFileExtensions.isEmpty { field["accept"] = declaration.allowedFileExtensions.joined(separator: ",") }
            if !typed.isEmpty { field["hint"] = "Choose the file again: files are not kept when the form has errors." }
        case .form:
            field["isGroup"] = true
            field["children"] = fields(input.children, showErrors: showErrors)
        }
        return field
    }

    /// The values of a MULTISELECT as submitted (a JSON array, as Kestra's UI sends it).
    static func multiValues(_ text: String) -> [String] {
        guard let data = text.data(using: .utf8), let list = try? JSONSerialization.jsonObject(with: data) as? [Any] else { return [] }
        return list.map { "\($0)" }
    }

    private static func number(_ value: FlowValue) -> String? {
        switch value {
        case .int(let number): String(number)
        case .double(let number): String(number)
        default: nil
        }
    }

    /// Turns posted form fields into the resolver's submissions: repeated MULTISELECT boxes become a JSON array,
    /// `datetime-local` values become UTC instants, empty fields count as not submitted.
    static func submissions(_ form: FormFields, declarations: [InputDeclaration]) -> [String: SubmittedInput] {
        var submitted: [String: SubmittedInput] = [:]
        func collect(_ declarations: [InputDeclaration]) {
            for declaration in declarations {
                if declaration.type == .form {
                    collect(declaration.children)
                    continue
                }
                switch declaration.type {
                case .multiselect:
                    let values = form.all(declaration.id)
                    if !values.isEmpty, let data = try? JSONSerialization.data(withJSONObject: values) {
                        submitted[declaration.id] = .text(String(decoding: data, as: UTF8.self))
                    }
                case .datetime:
                    if var text = form[declaration.id], !text.isEmpty {
                        if text.count == 16 { text += ":00" }
                        if !text.hasSuffix("Z"), !text.contains("+") { text += "Z" }
                        submitted[declaration.id] = .text(text)
                    }
                default:
                    if let text = form[declaration.id], !text.isEmpty { submitted[declaration.id] = .text(text) }
                }
            }
        }
        collect(declarations)
        return submitted
    }
}
