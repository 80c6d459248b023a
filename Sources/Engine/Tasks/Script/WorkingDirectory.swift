import Foundation

/// The folder one attempt of a shell or Terraform task runs in, under the data directory's `workdirs/`:
/// `<execution>-<task run>-<attempt>/` holding `work/` (the commands' current directory and `HOME`), `tmp/` (`TMPDIR`)
/// and room for Gatehouse's own files (a Script's script, a `terraform` alias), which stay out of `outputFiles` globs.
struct WorkingDirectory {
    let root: URL

    var work: URL { root.appendingPathComponent("work", isDirectory: true) }
    var temporary: URL { root.appendingPathComponent("tmp", isDirectory: true) }

    /// Creates the folders, readable by the server's user only; a leftover of the same name is replaced.
    init(in workdirs: URL, executionId: String, taskRunId: String, attempt: Int) throws(ScriptError) {
        root = workdirs.appendingPathComponent("\(executionId)-\(taskRunId)-\(attempt)", isDirectory: true)
        let manager = FileManager.default
        do {
            if manager.fileExists(atPath: root.path) { try manager.removeItem(at: root) }
            try manager.createDirectory(at: workdirs, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .workingDirectory(path: root.path, reason: error.localizedDescription)
        }
        // mkdir(2) directly: this runs for every attempt, and Foundation's version costs a fraction of a millisecond.
        for folder in [root, work, temporary] where mkdir(folder.path, 0o700) != 0 {
            throw .workingDirectory(path: folder.path, reason: String(cString: strerror(errno)))
        }
    }

    /// Removes the folders: at once when the commands left them empty, else with everything in them.
    func remove() {
        if rmdir(work.path) == 0, rmdir(temporary.path) == 0, rmdir(root.path) == 0 { return }
        try? FileManager.default.removeItem(at: root)
    }

    /// Where a file a flow names (`inputFiles` key, namespace file) goes inside `work/`: the name must be a relative path
    /// that stays inside, so `../x` or `/etc/x` cannot write elsewhere.
    func file(named name: String) throws(ScriptError) -> URL {
        let segments = name.split(separator: "/").map(String.init)
        guard !name.hasPrefix("/"), !segments.isEmpty, !segments.contains(".."), !name.contains("\0") else {
            throw .inputFile(name: name, problem: "the name must be a relative path inside the working directory, without `..`")
        }
        return segments.filter { $0 != "." }.reduce(work) { $0.appendingPathComponent($1, isDirectory: false) }
    }

    /// Writes `data` as `name`, making its folders.
    func write(_ data: Data, to name: String) throws(ScriptError) {
        let target = try file(named: name)
        do {
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: target)
        } catch {
            throw .inputFile(name: name, problem: error.localizedDescription)
        }
    }

    /// Copies the file at `source` in as `name`, replacing what is there.
    func copy(_ source: URL, to name: String) throws(ScriptError) {
        let target = try file(named: name)
        let manager = FileManager.default
        do {
            try manager.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            if manager.fileExists(atPath: target.path) { try manager.removeItem(at: target) }
            try manager.copyItem(at: source, to: target)
        } catch {
            throw .inputFile(name: name, problem: error.localizedDescription)
        }
    }
}
