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
    package let accounts: Accounts
    let readiness = Readiness()
    let report: @Sendable (String) -> Void
    let root: WebRoot
    let views: Views
    let throttle = SignInThrottle()
    let submissions = SubmissionGuard()
    let formPages = FormPageCache()
    let badge: ApprovalBadge
    let metrics: GatehouseMetrics
    let proxy: TrustedProxy
    /// Cookies carry Secure when the portal's public address is HTTPS (`GATEHOUSE_BASE_URL`).
    let secureCookies: Bool
    static let sessionLifetime: TimeInterval = 12 * 3600

    /// Opens the data directory and loads the flows (invalid flows are reported and kept, never dropped), the templates
    /// and, on a first start, the first admin from `GATEHOUSE_ADMIN_PASSWORD`.
    package init(
        configuration: Configuration, runner: FlowRunner, root: WebRoot, environment: [String: String] = [:],
        report: @escaping @Sendable (String) -> Void
    ) async throws {
        self.configuration = configuration
        self.runner = runner
        self.report = report
        self.root = root
        var views = try await Views(root: root)
        let catalog = FlowCatalog(directory: configuration.flowsDirectory, database: runner.database)
        let badge = ApprovalBadge(runner: runner, catalog: catalog)
        views.pendingApprovals = { badge.count(for: $0) }
        views.showsApprovals = { badge.showsInbox(for: $0) }
        self.views = views
        self.badge = badge
        accounts = Accounts(database: runner.database)
        secureCookies = environment["GATEHOUSE_BASE_URL"]?.lowercased().hasPrefix("https://") ?? false
        self.catalog = catalog
        metrics = GatehouseMetrics(database: runner.database, catalog: catalog)
        proxy = try TrustedProxy(environment: environment)
        for entry in try catalog.reload(deployedBy: "gatehouse serve") where !entry.isValid {
            report("\(entry.file) is invalid:\n  " + entry.errors.joined(separator: "\n  "))
        }
        if try runner.database.userCount() == 0 {
            if let password = environment["GATEHOUSE_ADMIN_PASSWORD"] {
                try accounts.addUser(name: "admin", roles: [.admin], email: nil, password: password, by: "gatehouse serve")
                report("created the first user, admin, from GATEHOUSE_ADMIN_PASSWORD")
            } else {
                report(
                    "there are no users yet; create the first admin with: gatehouse user add admin --role admin --password-stdin "
                        + "(or start with GATEHOUSE_ADMIN_PASSWORD set)")
            }
        }
    }

    /// The router with every route; tests drive it without a socket.
    package func router() -> Router<GatehouseRequestContext> {
        let router = Router(context: GatehouseRequestContext.self)
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: MetricsMiddleware(metrics: metrics))
        var quiet = Logger(label: "gatehouse.static")
        quiet.logLevel = .warning
        router.add(middleware: FileMiddleware(root.publicFiles, urlBasePath: "/static", searchForIndexHtml: false, logger: quiet))
        HealthRoutes.add(to: router, readiness: readiness)
        router.add(middleware: ErrorPageMiddleware(views: views))
        let sessions = SessionCache()
        router.add(middleware: AuthenticationMiddleware(database: runner.database, secureCookies: secureCookies, proxy: proxy, sessions: sessions))
        SignInRoutes(
            accounts: accounts, views: views, throttle: throttle, secureCookies: secureCookies, sessionLifetime: Self.sessionLifetime,
            sessions: sessions
        ).add(to: router)
        // The API's description, public like the API's shape (not its data); served from Public/api/.
        router.get("/api/v1/openapi.yaml") { _, _ in
            guard let data = FileManager.default.contents(atPath: (root.publicFiles as NSString).appendingPathComponent("api/openapi.yaml")) else {
                throw HTTPError(.notFound)
            }
            return Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        WebhookAPIRoutes(catalog: catalog, runner: runner).add(to: router)
        let api = router.group().add(middleware: RequireSignIn())
        ExecutionAPIRoutes(catalog: catalog, runner: runner).add(to: api)
        FlowAPIRoutes(catalog: catalog).add(to: api)
        let pages = router.group().add(middleware: RequireSignIn())
        CatalogRoutes(catalog: catalog, views: views).add(to: pages)
        let executions = ExecutionRoutes(database: runner.database, views: views, runner: runner)
        executions.add(to: pages)
        MyRequestsRoutes(database: runner.database, views: views).add(to: pages)
        VMRoutes(catalog: catalog, runner: runner, views: views).add(to: pages)
        TokenRoutes(accounts: accounts, views: views).add(to: pages)
        AuditRoutes(database: runner.database, views: views).add(to: router.group().add(middleware: RequireSignIn([.auditor])))
        // Prometheus scrapes with an auditor's API token; the numbers say how busy the installation is.
        router.group().add(middleware: RequireSignIn([.auditor])).get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: try metrics.scrape())))
        }
        // Not behind the approver role: a flow's approval policy may name users and SSO groups (ApprovalAccess).
        ApprovalRoutes(runner: runner, catalog: catalog, views: views, executions: executions, badge: badge).add(to: pages)
        HistoryRoutes(database: runner.database, views: views).add(to: router.group().add(middleware: RequireSignIn([.auditor])))
        let requesters = router.group().add(middleware: RequireSignIn([.requester]))
        RequestFormRoutes(catalog: catalog, runner: runner, views: views, submissions: submissions, formPages: formPages).add(to: requesters)
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
