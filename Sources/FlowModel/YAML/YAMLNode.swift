import Foundation

/// A composed YAML node that keeps where it was written and how, so the schema decides its type.
///
/// Scalars stay strings here: YAML 1.1 guessing (`NO` → false, `1.10` → 1.1) would change what
/// the author wrote, so the reader types each scalar by the property it belongs to.
public indirect enum YAMLNode: Sendable {
    case scalar(YAMLScalar)
    case sequence([YAMLNode], SourceLocation)
    case mapping([YAMLEntry], SourceLocation)

    public var location: SourceLocation {
        switch self {
        case .scalar(let scalar): scalar.location
        case .sequence(_, let location), .mapping(_, let location): location
        }
    }

    /// What kind of node this is, in words for error messages.
    public var kindDescription: String {
        switch self {
        case .scalar(let scalar): scalar.isNull ? "nothing (null)" : "the scalar `\(scalar.value.abbreviated)`"
        case .sequence: "a list"
        case .mapping: "a mapping"
        }
    }

    public var scalar: YAMLScalar? {
        if case .scalar(let scalar) = self { return scalar }
        return nil
    }
}

/// One key and value of a YAML mapping.
public struct YAMLEntry: Sendable {
    public let key: YAMLScalar
    public let value: YAMLNode
}

/// A scalar exactly as written, with its quoting style and explicit tag if any.
public struct YAMLScalar: Sendable {
    public enum Style: Sendable { case plain, singleQuoted, doubleQuoted, literal, folded }

    public let value: String
    public let style: Style
    public let tag: String?
    public let location: SourceLocation

    public init(value: String, style: Style, tag: String?, location: SourceLocation) {
        self.value = value
        self.style = style
        self.tag = tag
        self.location = location
    }

    /// A plain `null`, `~` or empty value, which YAML means as "no value".
    public var isNull: Bool {
        guard style == .plain, tag == nil || tag == "tag:yaml.org,2002:null" else { return false }
        return value.isEmpty || value == "~" || value == "null" || value == "Null" || value == "NULL"
    }
}

extension String {
    /// The string cut to a length that fits in one line of an error message.
    var abbreviated: String {
        let oneLine = replacingOccurrences(of: "\n", with: "⏎")
        return oneLine.count > 60 ? String(oneLine.prefix(57)) + "…" : oneLine
    }
}
