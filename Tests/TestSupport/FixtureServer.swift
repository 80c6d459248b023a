import Foundation

/// A real server for tests: one of the Python scripts in `Fixtures/`, started as a child process on 127.0.0.1 with a
/// temporary directory of its own. It prints `READY <port>` when it accepts connections and stops when the test lets go
/// of it (its stdin closes, and it is terminated).
package final class FixtureServer: @unchecked Sendable {
    package let port: Int
    /// Where the server writes what it received.
    package let directory: URL
    private let process: Process
    private let input: Pipe

    package enum Script: String {
        case http = "http_sink.py"
        case smtp = "smtp_sink.py"
        /// Hetzner Cloud's server type list in two pages, behind a bearer token (the first argument).
        case hetznerAPI = "hetzner_api.py"
    }

    /// Starts `script` with `arguments` after the directory argument (the HTTP servers get their record file).
    package init(_ script: Script, arguments: [String] = []) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-fixture-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let first = script == .smtp ? directory.path : directory.appendingPathComponent("requests.jsonl").path
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.fixtures.appendingPathComponent(script.rawValue).path, first] + arguments
        input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let line = Self.readLine(output.fileHandleForReading)
        guard line.hasPrefix("READY "), let port = Int(line.dropFirst(6)) else {
            process.terminate()
            throw FixtureError.didNotStart(script: script.rawValue, said: line)
        }
        self.port = port
    }

    deinit {
        try? input.fileHandleForWriting.close()
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }

    package var baseURL: String { "http://127.0.0.1:\(port)" }

    /// The requests the HTTP sink recorded, oldest first.
    package func recordedRequests() throws -> [[String: Any]] {
        let text = try String(contentsOf: directory.appendingPathComponent("requests.jsonl"), encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
        }
    }

    /// The messages the SMTP sink accepted, oldest first, as its JSON summaries.
    package func receivedMessages() throws -> [[String: Any]] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }
        return try names.sorted { Int($0.dropLast(5)) ?? 0 < Int($1.dropLast(5)) ?? 0 }.map { name in
            let data = try Data(contentsOf: directory.appendingPathComponent(name))
            return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        }
    }

    private static func readLine(_ handle: FileHandle) -> String {
        var bytes: [UInt8] = []
        while let byte = try? handle.read(upToCount: 1), let first = byte.first, first != 0x0A { bytes.append(first) }
        return String(decoding: bytes, as: UTF8.self)
    }

    package static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
}

package enum FixtureError: Error, CustomStringConvertible {
    case didNotStart(script: String, said: String)

    package var description: String {
        switch self {
        case .didNotStart(let script, let said):
            "the fixture server \(script) did not start (it said: `\(said)`); it needs python3 with aiosmtpd "
                + "(python3 -m pip install aiosmtpd) and openssl, which scripts/test installs"
        }
    }
}

/// Tools the tests need from outside Swift. Under `CI=true` a missing tool fails the tests that need it (they run and
/// fail on start); elsewhere those tests are skipped with a message that says what to install.
package enum TestTools {
    package static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"

    /// PyPI's aiosmtpd, in the python3 the tests run (`python3 -m pip install aiosmtpd`; `scripts/test` installs it).
    package static let hasAiosmtpd = succeeds(["python3", "-c", "import aiosmtpd"])
    /// `openssl`, which makes the SMTP sink's self-signed certificate (Debian package `openssl`).
    package static let hasOpenSSL = succeeds(["openssl", "version"])

    package static var smtpTestsCanRun: Bool { (hasAiosmtpd || isCI) }
    package static var tlsTestsCanRun: Bool { (hasAiosmtpd && hasOpenSSL) || isCI }

    private static func succeeds(_ command: [String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}
