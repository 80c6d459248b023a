import Foundation
import Pebble

extension PebbleFunction {
    /// Kestra's `read(path)`: the text of a stored file of the current execution (`kestra:///…`, as `outputFiles` give
    /// them), or of a namespace file of the flow's namespace (`read('queries/report.sql')`, from
    /// `$GATEHOUSE_NAMESPACE_FILES/<namespace>/`). Reads are bounded (``FileStorage/maximumReadBytes``) and never leave
    /// their folder.
    static func read(settings: TaskSettings) -> PebbleFunction {
        let storage = FileStorage(dataDirectory: settings.dataDirectory)
        let namespaceFiles = try? ScriptSettings(environment: settings.environment).namespaceFilesRoot
        return PebbleFunction("read", arguments: ["path", "namespace"]) { arguments, scope in
            guard let path = try arguments.string("path", for: "read") else {
                throw PebbleError(.evaluation, "The 'read' function expects an argument 'path'.")
            }
            let variables = scope.variables
            let namespace = variables["flow"]?.mapValue?["namespace"]?.stringValue ?? ""
            do {
                if path.hasPrefix(FileStorage.scheme) {
                    let flowId = variables["flow"]?.mapValue?["id"]?.stringValue ?? ""
                    let executionId = variables["execution"]?.mapValue?["id"]?.stringValue ?? ""
                    let allowed = [FileStorage.Location.execution(namespace: namespace, flowId: flowId, executionId: executionId)]
                    return .string(try storage.read(path, allowedUnder: allowed))
                }
                guard let namespaceFiles else {
                    throw PebbleError(.evaluation, "`read('\(path)')` needs a valid \(ScriptSettings.namespaceFilesVariable) setting")
                }
                let folder = namespaceFiles.appendingPathComponent(namespace, isDirectory: true)
                return .string(try FileStorage.readText(path, in: folder))
            } catch let error as StorageError {
                throw PebbleError(.evaluation, error.description)
            }
        }
    }
}

extension FileStorage {
    /// The text of the file `path` names below `folder` (a relative path that must stay inside it).
    static func readText(_ path: String, in folder: URL) throws(StorageError) -> String {
        let segments = path.split(separator: "/").map(String.init).filter { $0 != "." }
        guard !path.hasPrefix("/"), !segments.isEmpty, segments.allSatisfy(isSafeSegment) else {
            throw .invalidURI(path, reason: "a namespace file is named by a relative path without `..`")
        }
        let file = segments.reduce(folder) { $0.appendingPathComponent($1, isDirectory: false) }
        guard file.resolvingSymlinksInPath().path.hasPrefix(folder.resolvingSymlinksInPath().path + "/") else {
            throw .invalidURI(path, reason: "it leads outside the namespace's files")
        }
        return try text(of: file, named: path)
    }
}
