import Foundation
import Pebble

@testable import Engine
@testable import Store

/// A runner on a real SQLite file whose tasks see `environment` as the server's (GATEHOUSE_* settings) and whose
/// `secret('TOKEN')` is "s3cr3t-token", for tasks that talk to servers on 127.0.0.1.
final class WorldTaskFixture {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-world-\(UUID().uuidString)")
    let database: GatehouseDatabase
    let runner: FlowRunner

    static let secret = "s3cr3t-token"

    init(environment: [String: String] = [:]) throws {
        database = try GatehouseDatabase(directory: DataDirectory(path: root.path))
        runner = FlowRunner(
            database: database, environment: ["SECRET_TOKEN": Data(Self.secret.utf8).base64EncodedString()],
            settings: TaskSettings(dataDirectory: DataDirectory(path: root.path), environment: environment))
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    func run(_ tasks: String, id: String = "world") throws -> ExecutionRecord {
        try runner.start(flowSource: "id: \(id)\nnamespace: engine.world\n" + tasks, file: "\(id).yaml", inputs: [:], requester: "alice")
    }

    func taskRun(_ execution: ExecutionRecord, _ taskId: String) throws -> TaskRunRecord? {
        try database.taskRuns(of: execution.id).first { $0.taskId == taskId }
    }

    /// The task's outputs as stored (masked).
    func outputs(_ execution: ExecutionRecord, _ taskId: String) throws -> PebbleMap {
        PebbleValue.storedJSON(try taskRun(execution, taskId)?.outputs).mapValue ?? PebbleMap()
    }

    func lines(_ execution: ExecutionRecord) throws -> [String] {
        try database.logs(of: execution.id).map(\.line)
    }
}
