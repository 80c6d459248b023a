import Engine
import Foundation
import Hummingbird
import Logging
import Store

/// `gatehouse serve`: the flows of the flows folder, the engine, and the web, over one data directory.
package struct GatehouseServer: Sendable {
    package let configuration: Configuration
    package let runner: FlowRunner
    package let catalog: FlowCatalog
    let readiness = Readiness()
    let report: @Sendable (String) -> Void

    /// Opens the data directory and loads the flows; invalid flows are reported and kept, never dropped.
    package init(configuration: Configuration, runner: FlowRunner, report: @escaping @Sendable (String) -> Void) throws {
        self.configuration = configuration
        self.runner = runner
        self.report = report
        catalog = FlowCatalog(directory: configuration.flowsDirectory, database: runner.database)
        for entry in try catalog.reload(deployedBy: "gatehouse serve") where !entry.isValid {
            report("\(entry.file) is invalid:\n  " + entry.errors.joined(separator: "\n  "))
        }
    }

    /// The router with every route; tests drive it without a socket.
    package func router() -> Router<GatehouseRequestContext> {
        let router = Router(context: GatehouseRequestContext.self)
        router.add(middleware: SecurityHeadersMiddleware())
        HealthRoutes.add(to: router, readiness: readiness)
        return router
    }

    /// The application: the web server and the engine beside it, stopped together on SIGTERM or SIGINT.
    package func application(workers: Int, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let catalog = self.catalog
        let report = self.report
        let worker = Worker(
            runner: runner, poolSize: workers,
            flows: {
                do { try catalog.reloadIfChanged() } catch { report("reloading \(catalog.directory) failed: \(error)") }
                return catalog.deployed
            }, report: report)
        var logger = Logger(label: "gatehouse")
        logger.logLevel = .warning
        return Application(
            router: router(),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Gatehouse"),
            services: [EngineService(worker: worker, readiness: readiness)],
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
    }
}
