import Foundation

/// Validates flow files and directories of them, as `gatehouse validate` and the server's flow loader do.
public struct FlowValidator: Sendable {
    /// Why the paths given cannot be validated at all (a usage error, not a problem in a flow).
    public enum PathError: Error, Equatable, CustomStringConvertible {
        case notFound(String)
        case notAFlowFile(String)
        case noFlowFiles(String)

        public var description: String {
            switch self {
            case .notFound(let path): "no such file or directory: \(path)"
            case .notAFlowFile(let path): "\(path) is not a flow file: flows end in .yaml or .yml"
            case .noFlowFiles(let path): "no flow files (.yaml or .yml) found under \(path)"
            }
        }
    }

    public var parser = FlowParser()

    public init() {}

    /// The flow files named by `paths`: files as given, directories searched recursively, sorted for stable output.
    public func flowFiles(in paths: [String]) throws(PathError) -> [String] {
        var files: [String] = []
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else { throw .notFound(path) }
            if !isDirectory.boolValue {
                guard Self.isFlowFile(path) else { throw .notAFlowFile(path) }
                files.append(path)
                continue
            }
            let found = (manager.subpaths(atPath: path) ?? [])
                .filter { Self.isFlowFile($0) && !$0.split(separator: "/").contains { $0.hasPrefix(".") } }
                .map { (path as NSString).appendingPathComponent($0) }
                .sorted()
            guard !found.isEmpty else { throw .noFlowFiles(path) }
            files += found
        }
        return files
    }

    static func isFlowFile(_ path: String) -> Bool {
        path.hasSuffix(".yaml") || path.hasSuffix(".yml")
    }

    /// Parses every file, in parallel, keeping the order of `files`.
    public func validate(files: [String]) -> [FlowParseResult] {
        let results = ResultSlots(count: files.count)
        DispatchQueue.concurrentPerform(iterations: files.count) { index in
            results.set(index, parser.parse(fileAt: URL(fileURLWithPath: files[index]), displayPath: files[index]))
        }
        return results.values
    }
}

/// Results written by parallel workers, each into its own slot.
private final class ResultSlots: @unchecked Sendable {
    private var slots: [FlowParseResult?]
    private let lock = NSLock()

    init(count: Int) {
        slots = Array(repeating: nil, count: count)
    }

    func set(_ index: Int, _ result: FlowParseResult) {
        lock.withLock { slots[index] = result }
    }

    var values: [FlowParseResult] { lock.withLock { slots.compactMap { $0 } } }
}
