import Foundation
import Store

/// Files tasks produce (`outputFiles`), kept under the data directory's `storage/` and addressed as Kestra addresses
/// them: `kestra:///<namespace as folders>/<flow>/executions/<execution>/tasks/<task>/<task run>/<name>`.
///
/// Resolving a URI never leaves the storage folder: `..`, `.`, empty segments, encoded slashes and symbolic links are
/// refused, so a URI someone typed into a flow cannot read the database or the secrets file.
package struct FileStorage: Sendable {
    package static let scheme = "kestra://"
    /// What `read()` returns at most; larger files are an error rather than a render that exhausts memory.
    package static let maximumReadBytes = 16 * 1024 * 1024

    /// The storage folder, `<data dir>/storage`.
    package let root: URL

    package init(dataDirectory: DataDirectory) {
        root = dataDirectory.storage
    }

    /// Where one task run's files go: its folder below the root and the URI prefix that names it.
    package struct Location: Sendable {
        let segments: [String]

        /// The folder of one task run's output files.
        package init(namespace: String, flowId: String, executionId: String, taskId: String, taskRunId: String) {
            segments = namespace.split(separator: ".").map(String.init) + [flowId, "executions", executionId, "tasks", taskId, taskRunId]
        }

        /// The folder of all files of one execution, which `read()` and `inputFiles` may use.
        package static func execution(namespace: String, flowId: String, executionId: String) -> [String] {
            namespace.split(separator: ".").map(String.init) + [flowId, "executions", executionId]
        }
    }

    /// Stores an uploaded FILE input of an execution (before the execution itself is stored) and returns its URI:
    /// `kestra:///<namespace>/<flow>/executions/<execution>/inputs/<input>/<file name>`, which the execution's tasks may
    /// read like their own output files.
    package func putInput(_ data: [UInt8], fileName: String, inputId: String, namespace: String, flowId: String, executionId: String)
        throws(StorageError) -> String
    {
        let safeName = fileName.split(separator: "/").last.map(String.init).flatMap { Self.isSafeSegment($0) ? $0 : nil } ?? "upload"
        let segments = Location.execution(namespace: namespace, flowId: flowId, executionId: executionId) + ["inputs", inputId, safeName]
        guard segments.allSatisfy(Self.isSafeSegment) else { throw .invalidURI(fileName, reason: "the input id cannot be a folder name") }
        let target = segments.reduce(root) { $0.appendingPathComponent($1, isDirectory: false) }
        do {
            try FileManager.default.createDirectory(
                at: target.deletingLastPathComponent(), withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try Data(data).write(to: target)
        } catch {
            throw .cannotWrite(fileName, reason: "\(error.localizedDescription)")
        }
        return Self.scheme + "/" + segments.map(Self.encode).joined(separator: "/")
    }

    /// Removes what `putInput` stored for an execution that was not created after all (its inputs were invalid).
    package func removeInputs(namespace: String, flowId: String, executionId: String) {
        let segments = Location.execution(namespace: namespace, flowId: flowId, executionId: executionId)
        try? FileManager.default.removeItem(at: segments.reduce(root) { $0.appendingPathComponent($1, isDirectory: true) })
    }

    /// Copies `file` (a regular file) into storage as `name` (a relative path such as `plan/tfplan`) and returns its URI.
    package func put(_ file: URL, as name: String, at location: Location) throws(StorageError) -> String {
        let nameSegments = name.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let segments = location.segments + nameSegments
        guard segments.allSatisfy(Self.isSafeSegment) else { throw .invalidURI(name, reason: "the file name must be a relative path") }
        let target = segments.reduce(root) { $0.appendingPathComponent($1, isDirectory: false) }
        let manager = FileManager.default
        do {
            try manager.createDirectory(
                at: target.deletingLastPathComponent(), withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            if manager.fileExists(atPath: target.path) { try manager.removeItem(at: target) }
            try manager.copyItem(at: file, to: target)
        } catch {
            throw .cannotWrite(name, reason: "\(error.localizedDescription)")
        }
        return Self.scheme + "/" + segments.map(Self.encode).joined(separator: "/")
    }

    /// The stored file a URI names, after checking it stays inside storage and below one of `allowed` folders (each a
    /// list of path segments, as ``Location/execution(namespace:flowId:executionId:)`` makes them).
    package func file(for uri: String, allowedUnder allowed: [[String]]) throws(StorageError) -> URL {
        let segments = try Self.segments(of: uri)
        guard allowed.contains(where: { segments.count > $0.count && Array(segments.prefix($0.count)) == $0 }) else {
            throw .notAllowed(uri)
        }
        let file = segments.reduce(root) { $0.appendingPathComponent($1, isDirectory: false) }
        // Nothing in storage is a link; one that is there anyway must not lead outside.
        let resolved = file.resolvingSymlinksInPath().path
        let base = root.resolvingSymlinksInPath().path
        guard resolved.hasPrefix(base + "/") else { throw .invalidURI(uri, reason: "it leads outside the storage folder") }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw .notFound(uri)
        }
        return file
    }

    /// The text of a stored file (invalid UTF-8 is replaced), at most ``maximumReadBytes``.
    package func read(_ uri: String, allowedUnder allowed: [[String]]) throws(StorageError) -> String {
        try Self.text(of: try file(for: uri, allowedUnder: allowed), named: uri)
    }

    /// A file's text, invalid UTF-8 replaced, refusing files larger than ``maximumReadBytes``.
    static func text(of file: URL, named name: String) throws(StorageError) -> String {
        guard let handle = try? FileHandle(forReadingFrom: file) else { throw .notFound(name) }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: maximumReadBytes + 1)) ?? Data()
        guard data.count <= maximumReadBytes else { throw .tooLarge(name, limit: maximumReadBytes) }
        return String(decoding: data, as: UTF8.self)
    }

    /// The decoded path segments of a `kestra:///…` URI, each one checked.
    static func segments(of uri: String) throws(StorageError) -> [String] {
        guard uri.hasPrefix(scheme + "/") else {
            throw .invalidURI(uri, reason: "a stored file's URI starts with kestra:///")
        }
        var segments: [String] = []
        for raw in uri.dropFirst(scheme.count + 1).split(separator: "/", omittingEmptySubsequences: false) {
            guard let segment = String(raw).removingPercentEncoding, isSafeSegment(segment) else {
                throw .invalidURI(uri, reason: "`\(raw)` is not a valid path segment")
            }
            segments.append(segment)
        }
        return segments
    }

    static func isSafeSegment(_ segment: String) -> Bool {
        !segment.isEmpty && segment != "." && segment != ".." && !segment.contains("/") && !segment.contains("\0")
    }

    private static func encode(_ segment: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/;?#%")
        return segment.addingPercentEncoding(withAllowedCharacters: allowed) ?? segment
    }
}

/// Why a stored file cannot be written or read.
package enum StorageError: Error, Equatable, CustomStringConvertible {
    case invalidURI(String, reason: String)
    case notAllowed(String)
    case notFound(String)
    case tooLarge(String, limit: Int)
    case cannotWrite(String, reason: String)

    package var description: String {
        switch self {
        case .invalidURI(let uri, let reason): "`\(uri)` is not a valid file URI: \(reason)"
        case .notAllowed(let uri): "Unable to read the file '\(uri)' as it didn't belong to the current execution"
        case .notFound(let uri): "the file '\(uri)' does not exist in storage"
        case .tooLarge(let uri, let limit): "the file '\(uri)' is larger than \(limit / 1024 / 1024) MiB, the most `read()` returns"
        case .cannotWrite(let name, let reason): "cannot store the output file `\(name)`: \(reason)"
        }
    }
}
