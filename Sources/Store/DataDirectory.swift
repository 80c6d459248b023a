import Foundation

/// The folder that holds everything Gatehouse writes: the SQLite database, stored output files and task working
/// directories.
package struct DataDirectory: Sendable, Equatable {
    /// The data directory itself, as an absolute, standardised file URL.
    package let root: URL

    /// Creates the layout for `path`, resolving a relative path against the current directory now, so a later
    /// change of directory cannot move the data.
    package init(path: String) {
        root = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
    }

    /// The SQLite database file, `gatehouse.sqlite` (WAL mode adds `-wal` and `-shm` files beside it).
    package var databaseFile: URL { root.appendingPathComponent("gatehouse.sqlite", isDirectory: false) }

    /// Output files of task runs, addressed by `kestra://`-style URIs.
    package var storage: URL { root.appendingPathComponent("storage", isDirectory: true) }

    /// One working directory per task run (Terraform and shell tasks).
    package var workdirs: URL { root.appendingPathComponent("workdirs", isDirectory: true) }

    /// The folders `prepare()` makes sure exist, parents first.
    package var directories: [URL] { [root, storage, workdirs] }

    /// Creates the root, `storage/` and `workdirs/` where missing, readable only by the owner (0700), and leaves existing
    /// folders and their permissions as they are.
    package func prepare() throws {
        let fileManager = FileManager.default
        for directory in directories {
            let path = directory.path
            var isDirectory: ObjCBool = false
            if fileManager.fileExists(atPath: path, isDirectory: &isDirectory) {
                guard isDirectory.boolValue else { throw DataDirectoryError.notADirectory(path: path) }
                continue
            }
            if let blocker = Self.firstNonDirectoryAncestor(of: directory) {
                throw DataDirectoryError.notADirectory(path: blocker.path)
            }
            do {
                try fileManager.createDirectory(
                    at: directory,
                    withIntermediateDirectories: true,
                    attributes: [.posixPermissions: 0o700]
                )
            } catch {
                throw DataDirectoryError.cannotCreate(path: path, reason: Self.reason(for: error))
            }
        }
    }

    /// The nearest existing ancestor of `url` when it is a file, which makes creating `url` impossible.
    private static func firstNonDirectoryAncestor(of url: URL) -> URL? {
        var ancestors: [URL] = []
        var ancestor = url.deletingLastPathComponent()
        for _ in 1..<url.pathComponents.count {
            ancestors.append(ancestor)
            ancestor = ancestor.deletingLastPathComponent()
        }
        for candidate in ancestors {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory) {
                return isDirectory.boolValue ? nil : candidate
            }
        }
        return nil
    }

    /// The operating system's words for a failure (for example "Permission denied"), without Foundation's wrapping.
    private static func reason(for error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return nsError.localizedDescription
    }
}

/// Why the data directory cannot be used.
package enum DataDirectoryError: Error, Equatable, CustomStringConvertible {
    /// Something that is not a directory (usually a file) sits where a directory must be.
    case notADirectory(path: String)
    /// The operating system refused to create the directory, for example for lack of permission.
    case cannotCreate(path: String, reason: String)

    package var description: String {
        switch self {
        case .notADirectory(let path):
            "The data directory needs a folder at \(path), but a file is there. "
                + "Move the file away or set GATEHOUSE_DATA to another directory."
        case .cannotCreate(let path, let reason):
            "Cannot create the data directory folder \(path): \(reason). "
                + "Check the permissions of its parent or set GATEHOUSE_DATA to a writable directory."
        }
    }
}
