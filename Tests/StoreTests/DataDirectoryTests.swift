import Foundation
import Store
import Testing

/// Runs `body` with a fresh, empty directory under the system's temporary folder and removes it afterwards.
private func withTemporaryDirectory(_ body: (URL) throws -> Void) throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-store-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
    defer { try? FileManager.default.removeItem(at: url) }
    try body(url)
}

@Suite("Data directory")
struct DataDirectoryTests {
    @Test("The layout puts the database, storage and work directories under the root")
    func layout() {
        let data = DataDirectory(path: "/srv/gatehouse/data")
        #expect(data.root.path == "/srv/gatehouse/data")
        #expect(data.databaseFile.path == "/srv/gatehouse/data/gatehouse.sqlite")
        #expect(data.storage.path == "/srv/gatehouse/data/storage")
        #expect(data.workdirs.path == "/srv/gatehouse/data/workdirs")
    }

    @Test("A relative path is resolved against the current directory once, at creation")
    func relativePath() {
        let data = DataDirectory(path: "./data")
        let expected = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("data").standardizedFileURL
        #expect(data.root.path == expected.path)
        #expect(!data.root.path.contains("/./"))
    }

    @Test("prepare() creates the missing folders, parents included, with mode 0700")
    func createsFolders() throws {
        try withTemporaryDirectory { temporary in
            let data = DataDirectory(path: temporary.appendingPathComponent("nested/data").path)
            try data.prepare()
            for folder in data.directories {
                let attributes = try FileManager.default.attributesOfItem(atPath: folder.path)
                #expect(attributes[.type] as? FileAttributeType == .typeDirectory, "\(folder.path)")
                #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o700, "\(folder.path)")
            }
            #expect(!FileManager.default.fileExists(atPath: data.databaseFile.path), "prepare() must not create the database")
        }
    }

    @Test("prepare() is idempotent and keeps what is already there")
    func idempotent() throws {
        try withTemporaryDirectory { temporary in
            let data = DataDirectory(path: temporary.appendingPathComponent("data").path)
            try data.prepare()
            let kept = data.storage.appendingPathComponent("output.txt")
            try Data("kept".utf8).write(to: kept)
            try data.prepare()
            #expect(try String(contentsOf: kept, encoding: .utf8) == "kept")
        }
    }

    @Test("A file where the root should be is a clear error naming the path")
    func rootIsAFile() throws {
        try withTemporaryDirectory { temporary in
            let file = temporary.appendingPathComponent("data")
            try Data("not a directory".utf8).write(to: file)
            let data = DataDirectory(path: file.path)
            #expect(throws: DataDirectoryError.notADirectory(path: file.path)) {
                try data.prepare()
            }
            let message = DataDirectoryError.notADirectory(path: file.path).description
            #expect(message.contains(file.path))
            #expect(message.contains("a file is there"))
        }
    }

    @Test("A file where a subfolder should be is reported with the subfolder's path")
    func subfolderIsAFile() throws {
        try withTemporaryDirectory { temporary in
            let data = DataDirectory(path: temporary.appendingPathComponent("data").path)
            try FileManager.default.createDirectory(at: data.root, withIntermediateDirectories: false)
            try Data().write(to: data.workdirs)
            #expect(throws: DataDirectoryError.notADirectory(path: data.workdirs.path)) {
                try data.prepare()
            }
        }
    }

    @Test("A file in the middle of the path is reported, not a vague creation failure")
    func ancestorIsAFile() throws {
        try withTemporaryDirectory { temporary in
            let file = temporary.appendingPathComponent("plain-file")
            try Data().write(to: file)
            let data = DataDirectory(path: file.appendingPathComponent("deeper/data").path)
            #expect(throws: DataDirectoryError.notADirectory(path: file.path)) {
                try data.prepare()
            }
        }
    }
}
