import FlowModel
import Foundation
import Store
import Synchronization

/// The flows of a directory (`flows/` by default), as the server and the worker offer and trigger them.
///
/// Every `.yaml`/`.yml` file is parsed; a valid flow is stored as a revision (a new one only when its text changed), an
/// invalid one is kept with its `file:line:col` errors so the UI can show it as invalid instead of dropping it. Two
/// files declaring the same `namespace` and `id` are both reported; the first one in path order wins.
package final class FlowCatalog: @unchecked Sendable {
    /// One file of the directory.
    package struct Entry: Sendable {
        package let file: String
        package let flow: Flow?
        package let revision: Int?
        package let errors: [String]

        package var isValid: Bool { flow != nil && errors.isEmpty }
    }

    package let directory: String
    private let database: GatehouseDatabase
    private let lock = NSLock()
    private var current: [Entry] = []
    private var fingerprint: [String: String] = [:]
    private var lastScan: ContinuousClock.Instant?

    /// Rescans the directory at most this often when asked through `reloadIfChanged`.
    package static let scanInterval: Duration = .seconds(2)

    package init(directory: String, database: GatehouseDatabase) {
        self.directory = directory
        self.database = database
    }

    package var entries: [Entry] { lock.withLock { current } }

    /// The valid flows, with their stored revisions.
    package var deployed: [DeployedFlow] {
        entries.compactMap { entry in
            guard entry.isValid, let flow = entry.flow, let revision = entry.revision else { return nil }
            return DeployedFlow(flow: flow, revision: revision, origin: entry.file)
        }
    }

    /// The valid flow with this namespace and id, if the catalog has it.
    package func deployed(namespace: String, id: String) -> DeployedFlow? {
        deployed.first { $0.flow.namespace == namespace && $0.flow.id == id }
    }

    /// Reads every flow file again and deploys the changed ones. A missing directory is an empty catalog.
    @discardableResult
    package func reload(deployedBy: String = "gatehouse") throws -> [Entry] {
        let files = Self.files(in: directory)
        var entries: [Entry] = []
        var seen: [String: String] = [:]
        for (file, read) in zip(files, Self.parse(files)) {
            guard let (source, parsed) = read else {
                entries.append(Entry(file: file, flow: nil, revision: nil, errors: ["\(file): cannot be read"]))
                continue
            }
            guard let flow = parsed.flow, parsed.errors.isEmpty else {
                entries.append(Entry(file: file, flow: parsed.flow, revision: nil, errors: parsed.errors.map(\.description)))
                continue
            }
            let name = "\(flow.namespace).\(flow.id)"
            if let first = seen[name] {
                entries.append(Entry(file: file, flow: flow, revision: nil, errors: ["\(file): the flow \(name) is already defined in \(first)"]))
                continue
            }
            seen[name] = file
            let revision = try database.deployFlow(namespace: flow.namespace, flowId: flow.id, source: source, deployedBy: deployedBy)
            entries.append(Entry(file: file, flow: flow, revision: revision.revision, errors: []))
        }
        let print = Self.fingerprint(of: files)
        lock.withLock {
            current = entries
            fingerprint = print
            lastScan = .now
        }
        return entries
    }

    /// Reloads when a flow file was added, removed or changed since the last scan, looking at most every
    /// ``scanInterval``. Returns whether it reloaded.
    @discardableResult
    package func reloadIfChanged() throws -> Bool {
        let due = lock.withLock { lastScan.map { ContinuousClock.now - $0 >= Self.scanInterval } ?? true }
        guard due else { return false }
        let print = Self.fingerprint(of: Self.files(in: directory))
        let changed = lock.withLock {
            lastScan = .now
            return print != fingerprint
        }
        if changed { try reload() }
        return changed
    }

    /// Each file's text and parse, in the order of `files` (nil: unreadable). Parsing is most of a server's start, so the
    /// files are parsed on every core, as `gatehouse validate` does; deploying stays sequential, in path order.
    private static func parse(_ files: [String]) -> [(String, FlowParseResult)?] {
        let results = Mutex<[(String, FlowParseResult)?]>(Array(repeating: nil, count: files.count))
        DispatchQueue.concurrentPerform(iterations: files.count) { index in
            guard let data = FileManager.default.contents(atPath: files[index]) else { return }
            let source = String(decoding: data, as: UTF8.self)
            let parsed = FlowParser().parse(source: source, file: files[index])
            results.withLock { $0[index] = (source, parsed) }
        }
        return results.withLock { $0 }
    }

    private static func files(in directory: String) -> [String] {
        (try? FlowValidator().flowFiles(in: [directory])) ?? []
    }

    /// Size and modification time of each file: enough to notice an edit without reading every file.
    private static func fingerprint(of files: [String]) -> [String: String] {
        var print: [String: String] = [:]
        for file in files {
            let attributes = try? FileManager.default.attributesOfItem(atPath: file)
            let size = (attributes?[.size] as? NSNumber)?.int64Value ?? -1
            let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            print[file] = "\(size)/\(modified)"
        }
        return print
    }
}
