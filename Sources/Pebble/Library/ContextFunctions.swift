import Foundation

/// Functions that read the execution context (`currentEachOutput`) or make ids, and the factories for the functions
/// that need the outside world: the engine injects `secret` and `now` built from these, so Pebble itself does no I/O.
extension StandardLibrary {
    static let contextFunctions: [PebbleFunction] = [
        // Kestra's CurrentEachOutputFunction: descend through each parent ForEach's value, outermost first, then the
        // current task run's value.
        PebbleFunction("currentEachOutput", arguments: ["outputs"]) { arguments, scope in
            guard case .map(var outputs) = arguments["outputs"] ?? .null else {
                throw PebbleError(.evaluation, "The 'currentEachOutput' function expects an argument 'outputs' with type map.")
            }
            let variables = scope.variables
            for parent in (variables["parents"]?.listValue ?? []).reversed() {
                guard let value = parent.mapValue?["taskrun"]?.mapValue?["value"] else { continue }
                guard case .map(let inner) = outputs[value.rendered] ?? .null else {
                    throw PebbleError(.evaluation, "No execution outputs for the current task runs path")
                }
                outputs = inner
            }
            guard let value = variables["taskrun"]?.mapValue?["value"] else { return .null }
            return outputs[value.rendered] ?? .null
        },
        // Kestra's IdUtils.create(): a random UUID written in base62, 22 characters.
        PebbleFunction("id") { _, _ in .string(Base62.encode(UUID())) },
    ]
}

extension PebbleFunction {
    /// `secret('NAME')` as Kestra OSS reads it: the environment variable `SECRET_NAME` (name upper-cased) holds the value
    /// in base64. The caller passes the environment, so tests and the engine decide where it comes from.
    public static func secret(environment: [String: String]) -> PebbleFunction {
        PebbleFunction("secret", arguments: ["key"]) { arguments, _ in
            guard let key = try arguments.string("key", for: "secret") else {
                throw PebbleError(.evaluation, "`secret` needs the name of the secret, for example secret('HCLOUD_TOKEN')")
            }
            guard let encoded = environment["SECRET_" + key.uppercased()] else {
                throw PebbleError(.evaluation, "Cannot find secret for key '\(key)'.")
            }
            guard let data = Data(base64Encoded: encoded.trimmingWhitespace()), let value = String(data: data, encoding: .utf8) else {
                throw PebbleError(.evaluation, "the secret '\(key)' is not valid base64 in SECRET_\(key.uppercased())")
            }
            return .string(value)
        }
    }

    /// `now()`: the clock's current time, as an ISO-8601 instant in UTC with microseconds (`2026-11-23T20:39:30.123456Z`),
    /// or formatted like the `date` filter when `format`, `timeZone` or `locale` is given (Kestra's NowFunction).
    public static func now(clock: @escaping @Sendable () -> Date) -> PebbleFunction {
        PebbleFunction("now", arguments: ["format", "timeZone", "locale"]) { arguments, scope in
            let instant = PebbleValue.string(ISOInstant.format(clock()))
            guard !arguments.isEmpty, let date = DateFilters.all.first(where: { $0.name == "date" }) else { return instant }
            let named = arguments.named.merging(
                zip(["format", "timeZone", "locale"], arguments.positional).map { ($0, $1) }, uniquingKeysWith: { first, _ in first }
            )
            return try date.apply(instant, Arguments(named: named, names: date.argumentNames), scope)
        }
    }
}

/// ISO-8601 instants with microseconds, in UTC.
enum ISOInstant {
    static func format(_ date: Date) -> String {
        let interval = date.timeIntervalSince1970
        var seconds = Int64(interval.rounded(.down))
        var micros = Int64(((interval - Double(seconds)) * 1_000_000).rounded())
        if micros == 1_000_000 {
            seconds += 1
            micros = 0
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: Double(seconds)))
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0,
            parts.minute ?? 0, parts.second ?? 0, Int(micros)
        )
    }
}

/// Base62 text of 128 bits, padded to 22 characters, as Kestra writes its ids.
enum Base62 {
    static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

    static func encode(_ uuid: UUID) -> String {
        var bytes = withUnsafeBytes(of: uuid.uuid) { Array($0) }
        var digits: [Character] = []
        while bytes.contains(where: { $0 != 0 }) {
            var remainder = 0
            for index in bytes.indices {
                let value = remainder * 256 + Int(bytes[index])
                bytes[index] = UInt8(value / 62)
                remainder = value % 62
            }
            digits.append(alphabet[remainder])
        }
        while digits.count < 22 { digits.append("0") }
        return String(digits.reversed())
    }
}
