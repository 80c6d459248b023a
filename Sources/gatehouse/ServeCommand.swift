import ArgumentParser
import Engine
import Foundation
import Hummingbird
import Web

/// `gatehouse serve [--host H] [--port P] [--data DIR] [--flows DIR]`: the web portal and the engine in one process.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the portal and run the engine: flows from --flows, data in --data.",
        discussion: """
            Flags override the GATEHOUSE_* variables, which override the defaults (127.0.0.1:8080, ./data, ./flows). \
            Invalid flows are reported and kept, never dropped; the flows folder is reloaded when it changes. SIGTERM or \
            SIGINT stops taking work, lets running tasks finish for up to 10 seconds, and leaves the rest to recovery.
            """
    )

    @Option(name: .long, help: "Address to listen on (default: $GATEHOUSE_HOST, else 127.0.0.1).")
    var host: String?

    @Option(name: .long, help: "Port to listen on (default: $GATEHOUSE_PORT, else 8080; 0 picks a free one).")
    var port: Int?

    @Option(name: .long, help: "The data directory (default: $GATEHOUSE_DATA, else ./data).")
    var data: String?

    @Option(name: .long, help: "The folder of flow files (default: $GATEHOUSE_FLOWS, else ./flows).")
    var flows: String?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        var configuration: Web.Configuration
        do {
            configuration = try Web.Configuration(environment: environment)
        } catch {
            throw ValidationError("\(error)")
        }
        if let host { configuration.host = host }
        if let port {
            guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535, but is \(port)") }
            configuration.port = port
        }
        if let data { configuration.dataDirectory = data }
        if let flows { configuration.flowsDirectory = flows }
        let workers = try WorkersSetting.count(in: environment)

        let runner = try ExecutionOptions.runner(data: configuration.dataDirectory)
        let report: @Sendable (String) -> Void = { FileHandle.standardError.write(Data("gatehouse: \($0)\n".utf8)) }
        let root: WebRoot
        do {
            root = try WebRoot.locate(environment: environment)
        } catch {
            throw ValidationError("\(error)")
        }
        let server = try await GatehouseServer(configuration: configuration, runner: runner, root: root, environment: environment, report: report)
        try server.recordConfigurationLoaded(workers: workers, environment: environment)
        let valid = server.catalog.deployed.count
        let settled = configuration
        let application = server.application(workers: workers) { port in
            report("serving http://\(settled.host):\(port) with \(valid) flows from \(settled.flowsDirectory), data in \(settled.dataDirectory)")
        }
        try await application.runService()
    }
}
