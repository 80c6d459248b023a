import Engine
import Foundation
import Pebble
import Testing

@Suite("Secrets")
struct SecretsTests {
    /// A fresh directory holding a secrets file with `text`, removed when the test ends.
    final class SecretsDirectory {
        let url: URL
        var file: String { url.appendingPathComponent("secrets.env").path }

        init(_ text: String? = nil, permissions: Int = 0o600) throws {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-secrets-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            if let text {
                try Data(text.utf8).write(to: URL(fileURLWithPath: file))
                try FileManager.default.setAttributes([.posixPermissions: permissions], ofItemAtPath: file)
            }
        }

        deinit { try? FileManager.default.removeItem(at: url) }
    }

    static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    // MARK: - File format

    @Test("the file takes comments, blank lines, spaces around `=`, quotes, escapes and CRLF line ends")
    func fileFormat() throws {
        let directory = try SecretsDirectory(
            """
            # deployment secrets

            DB_PASSWORD=pa#ss word\t
              api_token = abc123
            WINDOWS=crlf\r
            QUOTED="  spaced  "
            SINGLE='no \\n escape'
            ESCAPED="line1\\nline2\\t\\"q\\" \\\\"
            EMPTY=
            """)
        let store = try SecretStore(environment: [:], file: directory.file)
        #expect(store.value(named: "DB_PASSWORD") == "pa#ss word")
        #expect(store.value(named: "api_token") == "abc123")
        #expect(store.value(named: "API_TOKEN") == "abc123")
        #expect(store.value(named: "quoted") == "  spaced  ")
        #expect(store.value(named: "SINGLE") == "no \\n escape")
        #expect(store.value(named: "ESCAPED") == "line1\nline2\t\"q\" \\")
        #expect(store.value(named: "EMPTY") == "")
        #expect(store.value(named: "WINDOWS") == "crlf")
        #expect(store.names == ["API_TOKEN", "DB_PASSWORD", "EMPTY", "ESCAPED", "QUOTED", "SINGLE", "WINDOWS"])
        #expect(store.warnings == [])
    }

    @Test("every bad line is reported as file:line: what is wrong, without echoing values")
    func badLines() throws {
        let directory = try SecretsDirectory(
            """
            GOOD=1
            just-a-password-pasted-here
            9LIVES=cat
            my token=x
            good=2
            =orphan
            OPEN="never closed
            AFTER="x" trailing
            BAD_ESCAPE="a\\qb"
            """)
        let path = directory.file
        do {
            _ = try SecretStore(environment: [:], file: path)
            Issue.record("a malformed file loaded")
        } catch {
            guard case .invalidFile(let problems) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(problems.map(\.line) == [2, 3, 4, 5, 6, 7, 8, 9])
            #expect(
                problems.map(\.kind) == [
                    .missingEquals, .invalidName("9LIVES"), .invalidName("my token"), .duplicateName("good", firstLine: 1),
                    .invalidName(""), .unterminatedQuote, .textAfterQuote, .unknownEscape("\\q"),
                ])
            let lines = error.description.split(separator: "\n").map(String.init)
            #expect(lines.count == 8)
            #expect(lines[0] == "\(path):2: expected `NAME=value`, but the line has no `=`")
            #expect(lines[3] == "\(path):5: `good` is already defined on line 1 (names are case-insensitive)")
            #expect(!error.description.contains("just-a-password"))
            #expect(!error.description.contains("never closed"))
        }
    }

    @Test("GATEHOUSE_SECRETS_FILE must exist; the data directory's secrets.env is read only when present")
    func fileLocation() throws {
        let withFile = try SecretsDirectory("FROM_DATA=yes")
        let store = try SecretStore.load(environment: [:], dataDirectory: withFile.url.path)
        #expect(store.value(named: "FROM_DATA") == "yes")
        #expect(store.file == withFile.file)

        let empty = try SecretsDirectory()
        let none = try SecretStore.load(environment: [:], dataDirectory: empty.url.path)
        #expect(none.file == nil)
        #expect(none.names == [])

        let elsewhere = try SecretsDirectory("ELSEWHERE=1")
        let chosen = try SecretStore.load(environment: [SecretStore.fileVariable: elsewhere.file], dataDirectory: withFile.url.path)
        #expect(chosen.names == ["ELSEWHERE"])

        let missing = empty.url.appendingPathComponent("nope.env").path
        #expect(throws: SecretError.fileNotFound(path: missing)) {
            try SecretStore.load(environment: [SecretStore.fileVariable: missing], dataDirectory: withFile.url.path)
        }
    }

    @Test("a secrets file other users can read is loaded with a warning")
    func openPermissions() throws {
        let directory = try SecretsDirectory("TOKEN=x", permissions: 0o644)
        let store = try SecretStore(environment: [:], file: directory.file)
        #expect(store.value(named: "TOKEN") == "x")
        #expect(store.warnings == ["\(directory.file): the secrets file is open to other users (mode 644); run `chmod 600` on it"])
    }

    // MARK: - Environment

    @Test("SECRET_* variables are base64 and override the file's entry of the same name")
    func environmentOverridesFile() throws {
        let directory = try SecretsDirectory("TOKEN=from-file\nONLY_FILE=kept")
        let environment = [
            "SECRET_TOKEN": Self.base64("from-env"),
            "SECRET_only_env": Self.base64("env\nmultiline") + "\n",
            "NOT_A_SECRET": Self.base64("ignored"),
        ]
        let store = try SecretStore(environment: environment, file: directory.file)
        #expect(store.value(named: "token") == "from-env")
        #expect(store.value(named: "ONLY_FILE") == "kept")
        #expect(store.value(named: "only_env") == "env\nmultiline")
        #expect(store.names == ["ONLY_ENV", "ONLY_FILE", "TOKEN"])
    }

    @Test("a variable that is not base64 makes its secret fail with the variable named, and warns at load")
    func undecodableVariable() throws {
        let directory = try SecretsDirectory("TOKEN=from-file")
        let store = try SecretStore(environment: ["SECRET_TOKEN": "not base64!"], file: directory.file)
        #expect(store.value(named: "TOKEN") == nil)
        #expect(store.warnings == ["SECRET_TOKEN is not base64-encoded UTF-8 text, so secret('TOKEN') fails; encode it with `base64`"])
        let engine = PebbleEngine(functions: [store.pebbleFunction()])
        #expect(throws: PebbleError.self) { try engine.render("{{ secret('token') }}", variables: PebbleMap()) }
        do {
            _ = try engine.render("{{ secret('token') }}", variables: PebbleMap())
        } catch {
            #expect(error.message == "the secret 'token' is not valid base64 in SECRET_TOKEN")
        }
    }

    // MARK: - secret()

    @Test("secret() reads any case of the name and fails with Kestra's text for a missing one")
    func pebbleFunction() throws {
        let store = SecretStore(values: ["hcloud_token": "s3cr3t"])
        let engine = PebbleEngine(functions: [store.pebbleFunction()])
        #expect(try engine.render("{{ secret('HCLOUD_TOKEN') }}/{{ secret('hcloud_token') }}", variables: PebbleMap()) == "s3cr3t/s3cr3t")
        do {
            _ = try engine.render("{{ secret('missing') }}", variables: PebbleMap())
            Issue.record("a missing secret rendered")
        } catch {
            #expect(error.message == "Cannot find secret for key 'missing'.")
        }
    }

    // MARK: - Masking

    @Test("every occurrence is masked, and a value inside a longer one does not leave the longer one's rest showing")
    func maskOccurrences() {
        let masker = SecretMasker(values: ["hunter2", "hunter22-extended"])
        #expect(masker.mask("a hunter2 b hunter2hunter2 c") == "a ****** b ****** c")
        #expect(masker.mask("key=hunter22-extended;") == "key=******;")
        #expect(masker.mask("nothing here") == "nothing here")
    }

    @Test("overlapping secrets are hidden together, leaving no tail of either")
    func maskOverlapping() {
        let masker = SecretMasker(values: ["abcdef", "defghi"])
        #expect(masker.mask("[abcdefghi]") == "[******]")
        #expect(SecretMasker(values: ["aaaa"]).mask("xaaaaaay") == "x******y")
    }

    @Test("base64 forms, padded and unpadded, and each line of a multi-line value are masked")
    func maskDerivedForms() {
        let key = "-----BEGIN KEY-----\nMIIEpAIBAAKCAQEA\n-----END KEY-----"
        let masker = SecretMasker(values: ["pass1", key])
        let encoded = Self.base64("pass1")
        #expect(encoded.hasSuffix("="))
        #expect(masker.mask("auth \(encoded) end") == "auth ****** end")
        #expect(masker.mask("auth \(encoded.prefix { $0 != "=" }) end") == "auth ****** end")
        let withNewline = Self.base64("pass1\n")  // echo "$SECRET" | base64
        #expect(masker.mask("echo: \(withNewline)") == "echo: ******")
        #expect(masker.mask("line: MIIEpAIBAAKCAQEA") == "line: ******")
        #expect(masker.mask("whole:\(key)") == "whole:******")
    }

    @Test("values shorter than four characters are not masked")
    func shortValues() {
        let masker = SecretMasker(values: ["on", "abc", "abcd"])
        #expect(masker.mask("on abc abcd") == "on abc ******")
        #expect(SecretMasker(values: ["x"]).isEmpty)
    }

    @Test("non-ASCII secrets are masked without breaking the text around them")
    func unicode() {
        let masker = SecretMasker(values: ["пароль-ü"])
        #expect(masker.mask("é пароль-ü ✓") == "é ****** ✓")
    }

    @Test("strings are masked at every depth of lists and maps, keys included")
    func maskNested() {
        let masker = SecretMasker(values: ["tok3n"])
        let value: PebbleValue = [
            "plain": "tok3n",
            "count": 3,
            "list": ["a tok3n", ["deeper tok3n"], nil],
            "tok3n": "as a key",
        ]
        let expected: PebbleValue = [
            "plain": "******",
            "count": 3,
            "list": ["a ******", ["deeper ******"], nil],
            "******": "as a key",
        ]
        #expect(masker.mask(value) == expected)
    }

    @Test("adding() hides typed-in values as well as the store's, and the store's masker hides its values")
    func addingValues() throws {
        let store = SecretStore(values: ["A": "store-secret"])
        let masker = store.masker.adding(["typed-in", "no"])
        #expect(masker.mask("store-secret typed-in no") == "****** ****** no")
        #expect(store.masker.mask("typed-in") == "typed-in")
    }
}
