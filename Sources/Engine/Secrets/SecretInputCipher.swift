import Crypto
import Foundation
import Pebble
import Store

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Seals the values of SECRET inputs before they are stored, and opens them for the tasks of their execution only, so
/// a paused request still has its password when it is approved days later, and the database never holds it in clear.
///
/// AES-256-GCM with a key from `GATEHOUSE_SECRET_KEY` (base64 of 32 bytes), else from `secret-inputs.key` in the data
/// directory, created (mode 0600) the first time a SECRET input is stored. Losing the key loses only the values of
/// unfinished executions' SECRET inputs; such an execution fails saying so.
package final class SecretInputCipher: @unchecked Sendable {
    /// Shared with the store, which keeps sealed values out of the audit log.
    package static let prefix = SealedValue.prefix
    package static let keyFileName = "secret-inputs.key"
    package static let environmentVariable = "GATEHOUSE_SECRET_KEY"

    private let keyFile: URL
    private let configured: String?
    private let lock = NSLock()
    private var key: SymmetricKey?

    package init(settings: TaskSettings) {
        keyFile = settings.dataDirectory.root.appendingPathComponent(Self.keyFileName)
        configured = settings.environment[Self.environmentVariable]
    }

    package static func isSealed(_ text: String) -> Bool { text.hasPrefix(prefix) }

    package func seal(_ text: String) throws -> String {
        let box = try AES.GCM.seal(Data(text.utf8), using: try loadKey(creating: true))
        guard let combined = box.combined else { throw SecretInputError("AES-GCM produced no sealed box") }
        return Self.prefix + combined.base64EncodedString()
    }

    package func open(_ sealed: String) throws -> String {
        guard let data = Data(base64Encoded: String(sealed.dropFirst(Self.prefix.count))) else {
            throw SecretInputError("the stored value is damaged")
        }
        do {
            let box = try AES.GCM.SealedBox(combined: data)
            return String(decoding: try AES.GCM.open(box, using: try loadKey(creating: false)), as: UTF8.self)
        } catch let error as SecretInputError {
            throw error
        } catch {
            throw SecretInputError("it was sealed with another key than \(keySource)")
        }
    }

    /// `value` with every sealed string opened; the opened texts are returned too, for masking.
    package func openAll(_ value: PebbleValue) throws -> (value: PebbleValue, secrets: [String]) {
        switch value {
        case .string(let text) where Self.isSealed(text):
            let opened = try open(text)
            return (.string(opened), [opened])
        case .map(let map):
            var secrets: [String] = []
            var result = PebbleMap()
            for (key, item) in map.pairs {
                let opened = try openAll(item)
                result[key] = opened.value
                secrets += opened.secrets
            }
            return (.map(result), secrets)
        case .list(let items):
            let opened = try items.map(openAll)
            return (.list(opened.map(\.value)), opened.flatMap(\.secrets))
        default:
            return (value, [])
        }
    }

    /// `value` with every sealed string shown as `******`, for pages, the API and the CLI.
    package static func redacted(_ value: PebbleValue) -> PebbleValue {
        switch value {
        case .string(let text) where isSealed(text): .string(SecretMasker.replacement)
        case .map(let map): .map(PebbleMap(map.pairs.map { ($0.key, redacted($0.value)) }))
        case .list(let items): .list(items.map(redacted))
        default: value
        }
    }

    private var keySource: String { configured != nil ? "$\(Self.environmentVariable)" : keyFile.path }

    private func loadKey(creating: Bool) throws -> SymmetricKey {
        try lock.withLock {
            if let key { return key }
            let loaded: SymmetricKey
            if let configured {
                guard let bytes = Data(base64Encoded: configured.trimmingCharacters(in: .whitespacesAndNewlines)), bytes.count == 32 else {
                    throw SecretInputError("$\(Self.environmentVariable) must be the base64 of 32 random bytes (`openssl rand -base64 32`)")
                }
                loaded = SymmetricKey(data: bytes)
            } else if let text = try? String(contentsOf: keyFile, encoding: .utf8) {
                guard let bytes = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), bytes.count == 32 else {
                    throw SecretInputError("\(keyFile.path) does not hold the base64 of 32 bytes")
                }
                loaded = SymmetricKey(data: bytes)
            } else if creating {
                loaded = try createKeyFile()
            } else {
                throw SecretInputError("the key \(keyFile.path) is missing")
            }
            key = loaded
            return loaded
        }
    }

    /// Writes a new key beside the database; when two processes race, `link` lets exactly one file win and the other
    /// process reads it.
    private func createKeyFile() throws -> SymmetricKey {
        let fresh = SymmetricKey(size: .bits256)
        let text = fresh.withUnsafeBytes { Data($0).base64EncodedString() } + "\n"
        let temporary = keyFile.path + ".\(getpid()).\(UUID().uuidString)"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw SecretInputError("cannot write \(keyFile.path): SECRET inputs cannot be stored")
        }
        defer { unlink(temporary) }
        if link(temporary, keyFile.path) == 0 { return fresh }
        guard errno == EEXIST, let existing = try? String(contentsOf: keyFile, encoding: .utf8),
            let bytes = Data(base64Encoded: existing.trimmingCharacters(in: .whitespacesAndNewlines)), bytes.count == 32
        else { throw SecretInputError("cannot create \(keyFile.path): \(String(cString: strerror(errno)))") }
        return SymmetricKey(data: bytes)
    }
}

/// Why a SECRET input could not be sealed or opened.
package struct SecretInputError: Error, CustomStringConvertible {
    package let description: String
    init(_ description: String) { self.description = description }
}
