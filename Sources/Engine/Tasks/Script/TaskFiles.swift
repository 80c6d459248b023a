import Foundation

/// Fills an attempt's working directory before its commands run, and collects its `outputFiles` after: namespace files
/// first, then `inputFiles` (which win over a namespace file of the same name).
enum TaskFiles {
    // MARK: - Namespace files

    /// Copies the namespace files the options select from `<namespace files root>/<namespace>/`. A namespace without a
    /// folder contributes nothing, with a warning, so a misconfigured root does not go unnoticed.
    static func copyNamespaceFiles(
        _ options: NamespaceFileOptions, namespace: String, root: URL, into directory: WorkingDirectory, note: (String, String) -> Void
    ) throws(ScriptError) {
        guard options.enabled else { return }
        let include = try options.include.map { pattern throws(ScriptError) in try Glob(pattern) }
        let exclude = try options.exclude.map { pattern throws(ScriptError) in try Glob(pattern) }
        for name in options.namespaces.isEmpty ? [namespace] : options.namespaces {
            guard FileStorage.isSafeSegment(name) else {
                throw .invalidProperty(name: "namespaceFiles.namespaces", problem: "holds `\(name)`, which is not a namespace")
            }
            // The namespace's folder itself may be a link (to a checkout's module folder, say); links inside it are skipped.
            let folder = root.appendingPathComponent(name, isDirectory: true).resolvingSymlinksInPath()
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                note("WARN", "namespace files: \(folder.path) does not exist, so no files of namespace \(name) were copied")
                continue
            }
            for relative in Glob.files(in: folder, include: include, exclude: exclude) {
                let target = options.folderPerNamespace ? "\(name)/\(relative)" : relative
                if FileManager.default.fileExists(atPath: try directory.file(named: target).path) {
                    switch options.ifExists {
                    case "FAIL": throw .inputFile(name: target, problem: "it already exists and namespaceFiles.ifExists is FAIL")
                    case "WARN":
                        note("WARN", "namespace files: \(target) already exists and is kept")
                        continue
                    case "IGNORE": continue
                    default: break
                    }
                }
                try directory.copy(folder.appendingPathComponent(relative), to: target)
            }
        }
    }

    // MARK: - Input files

    /// Writes each `inputFiles` entry: a `kestra:///` URI is copied from storage (only files of this execution), any other
    /// value is the file's content. A URI that is a plan someone approved must still have the approved SHA-256.
    static func writeInputFiles(
        _ files: [(name: String, value: String)], storage: FileStorage, allowed: [[String]], approvedPlans: [String: ApprovedPlan] = [:],
        into directory: WorkingDirectory
    ) throws(ScriptError) {
        for (name, value) in files {
            if value.hasPrefix(FileStorage.scheme) {
                let source: URL
                do {
                    source = try storage.file(for: value, allowedUnder: allowed)
                } catch {
                    throw .inputFile(name: name, problem: error.description)
                }
                try directory.copy(source, to: name)
                // The copy is checked, not the source, so a change between the check and the copy cannot slip through.
                if let approved = approvedPlans[value] {
                    let actual = (try? ApprovedPlan.sha256(of: try directory.file(named: name))) ?? "unreadable"
                    guard actual == approved.sha256 else {
                        throw .planChanged(name: name, approvedBy: approved.approvedBy, approved: approved.sha256, actual: actual)
                    }
                }
            } else {
                try directory.write(Data(value.utf8), to: name)
            }
        }
    }

    // MARK: - Output files

    /// Stores the regular files of the working directory that match `patterns` and returns name → `kestra:///` URI.
    static func storeOutputFiles(
        _ patterns: [String], from directory: WorkingDirectory, storage: FileStorage, at location: FileStorage.Location
    ) throws -> [(name: String, uri: String, file: URL)] {
        guard !patterns.isEmpty else { return [] }
        let globs = try patterns.map { pattern throws(ScriptError) in try Glob(pattern) }
        return try Glob.files(in: directory.work, include: globs).map { name in
            let file = directory.work.appendingPathComponent(name)
            return (name, try storage.put(file, as: name, at: location), file)
        }
    }
}
