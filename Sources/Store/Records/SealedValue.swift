import Foundation

/// How the value of a SECRET input is stored: sealed by the engine (AES-GCM) behind a recognisable prefix. The store
/// knows the prefix so that no sealed value, even encrypted, is ever copied into the audit log.
package enum SealedValue {
    package static let prefix = "gatehouse-sealed:v1:"

    package static func isSealed(_ text: String) -> Bool { text.hasPrefix(prefix) }

    /// The JSON document `json` as Foundation objects, every sealed string (at any depth) replaced by `******`; nil when
    /// it is not JSON.
    package static func redacted(json: String) -> Any? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed]) else { return nil }
        return redacted(object)
    }

    static func redacted(_ value: Any) -> Any {
        switch value {
        case let text as String: isSealed(text) ? "******" : text
        case let list as [Any]: list.map(redacted)
        case let object as [String: Any]: object.mapValues(redacted)
        default: value
        }
    }
}
