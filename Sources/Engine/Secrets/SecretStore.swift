import Foundation
import Pebble

/// The secrets flows read with `secret('NAME')`: Kestra OSS's `SECRET_<NAME>` environment variables, whose values are
/// base64, and Gatehouse's secrets file, whose values are plain text (format in ``SecretsFile``).
///
/// The file is the one `GATEHOUSE_SECRETS_FILE` names, which must then exist, else `<data dir>/secrets.env` when it
/// exists, else none. A `SECRET_*` variable overrides the file's entry of the same name: the environment is what a
/// deployment sets last, and in Kestra it is the only source, so a flow moved from Kestra keeps reading the same values.
/// Names are case-insensitive, as Kestra upper-cases the key before looking it up.
package struct SecretStore: Sendable {
    package static let fileVariable = "GATEHOUSE_SECRETS_FILE"
    package static let defaultFileName = "secrets.env"
    package static let environmentPrefix = "SECRET_"

    /// Upper-cased name → value.
    private let values: [String: String]
    /// Upper-cased names whose `SECRET_*` variable is not base64 of UTF-8 text; reading one fails and names the variable.
    private let undecodable: [String: String]
    /// Problems to log that need not stop Gatehouse: an undecodable variable, a file other users can read.
    package let warnings: [String]
    /// The secrets file that was read, if any.
    package let file: String?

    /// Secrets given directly, for tests and embedding.
    package init(values: [String: String]) {
        self.values = Dictionary(values.map { ($0.key.uppercased(), $0.value) }, uniquingKeysWith: { _, last in last })
        self.undecodable = [:]
        self.warnings = []
        self.file = nil
    }

    /// Reads the `SECRET_*` variables of `environment` and the secrets file it points to, or the data directory's.
    package static func load(environment: [String: String], dataDirectory: String) throws(SecretError) -> SecretStore {
        if let path = environment[fileVariable], !path.isEmpty {
            return try SecretStore(environment: environment, file: path)
        }
        let fallback = URL(fileURLWithPath: dataDirectory).appendingPathComponent(defaultFileName).path
        return try SecretStore(environment: environment, file: FileManager.default.fileExists(atPath: fallback) ? fallback : nil)
    }

    /// Reads the `SECRET_*` variables of `environment` over the entries of `file`, which must exist when given.
    package init(environment: [String: String], file: String?) throws(SecretError) {
        var values: [String: String] = [:]
        var warnings: [String] = []
        if let file {
            for entry in try SecretsFile.read(path: file) { values[entry.name] = entry.value }
            if let mode = (try? FileManager.default.attributesOfItem(atPath: file))?[.posixPermissions] as? Int, mode & 0o077 != 0 {
                warnings.append("\(file): the secrets file is open to other users (mode \(String(mode & 0o777, radix: 8))); run `chmod 600` on it")
            }
        }
        var undecodable: [String: String] = [:]
        var sources: [String: String] = [:]
        // Sorted so `SECRET_TOKEN` is seen before `SECRET_token` and the choice between them does not depend on hashing.
        for (variable, encoded) in environment.sorted(by: { $0.key < $1.key }) where variable.hasPrefix(Self.environmentPrefix) {
            let name = variable.dropFirst(Self.environmentPrefix.count).uppercased()
            guard !name.isEmpty else { continue }
            if let earlier = sources[name] {
                warnings.append("\(variable) is ignored: \(earlier) already defines the secret \(name)")
                continue
            }
            sources[name] = variable
            let compact = encoded.filter { !$0.isWhitespace }
            if let data = Data(base64Encoded: compact), let value = String(data: data, encoding: .utf8) {
                values[name] = value
                undecodable[name] = nil
            } else {
                values[name] = nil
                undecodable[name] = variable
                warnings.append("\(variable) is not base64-encoded UTF-8 text, so secret('\(name)') fails; encode it with `base64`")
            }
        }
        self.values = values
        self.undecodable = undecodable
        self.warnings = warnings
        self.file = file
    }

    /// The value of a secret, looked up as Kestra does: the name upper-cased.
    package func value(named name: String) -> String? {
        values[name.uppercased()]
    }

    /// The names of every secret, sorted; never the values.
    package var names: [String] { values.keys.sorted() }

    /// Kestra's `secret('NAME')`, with Kestra's error text for a missing secret.
    package func pebbleFunction() -> PebbleFunction {
        PebbleFunction("secret", arguments: ["key"]) { [values, undecodable] arguments, _ in
            guard let key = try arguments.string("key", for: "secret") else {
                throw PebbleError(.evaluation, "`secret` needs the name of the secret, for example secret('HCLOUD_TOKEN')")
            }
            if let variable = undecodable[key.uppercased()] {
                throw PebbleError(.evaluation, "the secret '\(key)' is not valid base64 in \(variable)")
            }
            guard let value = values[key.uppercased()] else {
                throw PebbleError(.evaluation, "Cannot find secret for key '\(key)'.")
            }
            return .string(value)
        }
    }

    /// A masker for every value of this store.
    package var masker: SecretMasker { SecretMasker(values: Array(values.values)) }
}
