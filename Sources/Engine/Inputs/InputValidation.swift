import FlowModel
import Pebble

/// Kestra's per-type `validate`, run on a value ``InputParsing`` produced, with Kestra's wording (KESTRA.md §2.2).
struct InputValidation {
    let declaration: InputDeclaration
    /// The choices actually offered: the static `values` or what `expression` rendered.
    let options: [SelectOption]
    /// The name the file was uploaded under, which decides its extension.
    let filename: String?
    /// Renders a bound written as a template (`min: "{{ vars.floor }}"`) with the condition's variables.
    let render: (String) throws(PebbleError) -> String

    func validate(_ value: PebbleValue) throws(InputProblem) {
        switch (declaration.type, value) {
        case (.string, .string(let text)), (.secret, .string(let text)):
            if let pattern = declaration.validator, JavaPattern.matches(pattern, text) != true {
                throw InputProblem("it must match the pattern `\(pattern)`")
            }
        case (.int, .int(let number)):
            if let minimum = try integer("min", declaration.min), number < minimum { throw InputProblem("it must be more than `\(minimum)`") }
            if let maximum = try integer("max", declaration.max), number > maximum { throw InputProblem("it must be less than `\(maximum)`") }
        case (.float, .double(let number)):
            let value = Float(number)
            if let minimum = try float("min", declaration.min), Self.compare(value, minimum) < 0 {
                throw InputProblem("it must be more than `\(InputParsing.javaFloatText(minimum))`")
            }
            if let maximum = try float("max", declaration.max), Self.compare(value, maximum) > 0 {
                throw InputProblem("it must be less than `\(InputParsing.javaFloatText(maximum))`")
            }
        case (.select, .string(let text)):
            // Kestra's quirk: an optional SELECT accepts any value.
            if declaration.required, !declaration.allowCustomValue, !options.contains(where: { $0.value == text }) {
                throw InputProblem("it must match the values `\(valuesText)`")
            }
        case (.multiselect, .list(let items)):
            if !declaration.allowCustomValue {
                for item in items where !options.contains(where: { $0.value == InputParsing.text(item) }) {
                    throw InputProblem("it must match the values `\(valuesText)`")
                }
            }
        case (.datetime, .string(let text)):
            guard let instant = try? JavaInstant.parse(text) else { return }
            try checkOrder(instant) { (bound: String) throws(JavaParseError) in
                try JavaInstant.parse(bound, secondsOptional: true)
            } text: {
                $0.text
            }
        case (.date, .string(let text)):
            guard let date = try? JavaLocalDate.parse(text) else { return }
            try checkOrder(date) { (bound: String) throws(JavaParseError) in
                try JavaLocalDate.parse(bound)
            } text: {
                $0.text
            }
        case (.time, .string(let text)):
            guard let time = try? JavaLocalTime.parse(text) else { return }
            try checkOrder(time) { (bound: String) throws(JavaParseError) in
                try JavaLocalTime.parse(bound)
            } text: {
                $0.text
            }
        case (.duration, .string(let text)):
            guard let parsed = try? JavaDuration.parse(text) else { return }
            if let minimum = try duration("min", declaration.min), parsed < minimum {
                throw InputProblem("It must be more than `\(JavaDuration.text(minimum))`")
            }
            if let maximum = try duration("max", declaration.max), parsed > maximum {
                throw InputProblem("It must be less than `\(JavaDuration.text(maximum))`")
            }
        case (.email, .string(let text)):
            if JavaPattern.matches(InputParsing.emailPattern, text) != true { throw InputProblem("The input must be a valid email") }
        case (.file, .string(let uri)):
            try checkExtension(uri)
        default:
            break
        }
    }

    /// The option values as Java prints a `List<String>`: `[A, B]`.
    var valuesText: String {
        "[" + options.map(\.value).joined(separator: ", ") + "]"
    }

    // MARK: - Bounds

    /// `after`/`before`: the value may equal a bound.
    private func checkOrder<T: Comparable>(
        _ value: T, parse: (String) throws(JavaParseError) -> T, text: (T) -> String
    ) throws(InputProblem) {
        if let after = try bound("after", declaration.after, parse: parse), value < after {
            throw InputProblem("it must be after `\(text(after))`")
        }
        if let before = try bound("before", declaration.before, parse: parse), value > before {
            throw InputProblem("it must be before `\(text(before))`")
        }
    }

    private func bound<T>(_ name: String, _ written: String?, parse: (String) throws(JavaParseError) -> T) throws(InputProblem) -> T? {
        guard let written else { return nil }
        let text = try rendered(name, written)
        do {
            return try parse(text)
        } catch {
            throw InputProblem("`\(name)` is not a valid \(declaration.type.rawValue): \(error.message)")
        }
    }

    private func rendered(_ name: String, _ text: String) throws(InputProblem) -> String {
        guard TemplateSyntax.containsTemplate(text) else { return text }
        do {
            return try render(text)
        } catch {
            throw InputProblem("cannot render `\(name)`: \(error.description)")
        }
    }

    private func integer(_ name: String, _ value: FlowValue?) throws(InputProblem) -> Int64? {
        switch value {
        case nil, .null?: return nil
        case .int(let number)?: return Int64(number)
        case let other?:
            let text = try rendered(name, InputParsing.text(PebbleValue(other)))
            guard let number = Int32(text.trimmingWhitespace()) else { throw InputProblem("`\(name)` is not a whole number: `\(text)`") }
            return Int64(number)
        }
    }

    private func float(_ name: String, _ value: FlowValue?) throws(InputProblem) -> Float? {
        switch value {
        case nil, .null?: return nil
        case .int(let number)?: return Float(number)
        case .double(let number)?: return Float(number)
        case let other?:
            let text = try rendered(name, InputParsing.text(PebbleValue(other)))
            do { return try InputParsing.javaFloat(text) } catch { throw InputProblem("`\(name)` is not a number: `\(text)`") }
        }
    }

    private func duration(_ name: String, _ value: FlowValue?) throws(InputProblem) -> ISODuration? {
        guard let value, value != .null else { return nil }
        let text = try rendered(name, InputParsing.text(PebbleValue(value)))
        do { return try JavaDuration.parse(text) } catch { throw InputProblem("`\(name)` is not a valid DURATION: \(error.message)") }
    }

    /// `Float.compareTo`: NaN above everything, -0.0 below 0.0.
    static func compare(_ lhs: Float, _ rhs: Float) -> Int {
        if lhs < rhs { return -1 }
        if lhs > rhs { return 1 }
        let left = lhs.isNaN ? Float.nan.bitPattern : lhs.bitPattern
        let right = rhs.isNaN ? Float.nan.bitPattern : rhs.bitPattern
        if left == right { return 0 }
        if lhs.isNaN { return 1 }
        if rhs.isNaN { return -1 }
        return lhs.sign == .minus ? -1 : 1
    }

    // MARK: - Files

    /// `allowedFileExtensions` (1.x): the extension of the uploaded name (else of the URI's last segment), lower-cased.
    private func checkExtension(_ uri: String) throws(InputProblem) {
        let allowed = declaration.allowedFileExtensions
        guard !allowed.isEmpty else { return }
        var name = filename ?? uri
        if filename == nil {
            let path = name.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? name
            name = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
        }
        let fileExtension = name.lastIndex(of: ".").map { String(name[$0...]).lowercased() } ?? ""
        if !allowed.contains(where: { $0.lowercased() == fileExtension }) {
            throw InputProblem("File type not allowed. Accepted extensions: \(allowed.joined(separator: ", "))")
        }
    }
}
