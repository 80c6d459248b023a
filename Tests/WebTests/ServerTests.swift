import Engine
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Store
import Testing

@testable import Web

/// A server over a fresh data directory and a flows folder, as a new user starts it.
final class ServerFixture: Sendable {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-web-\(UUID().uuidString)")
    let server: GatehouseServer
    /// The repository, whose Templates/ and Public/ the server uses.
    static let webRoot = WebRoot(
        path: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path)

    /// `runnerEnvironment` is the engine's server environment (tasks' settings, secrets); nil keeps the process's own.
    init(
        flows: [String: String] = [:], environment: [String: String] = [:], runnerEnvironment: [String: String]? = nil,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) async throws {
        let flowsDirectory = root.appendingPathComponent("flows")
        try FileManager.default.createDirectory(at: flowsDirectory, withIntermediateDirectories: true)
        for (name, source) in flows { try source.write(to: flowsDirectory.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        let data = root.appendingPathComponent("data").path
        let database = try GatehouseDatabase(directory: DataDirectory(path: data))
        let configuration = Configuration(port: 0, dataDirectory: data, flowsDirectory: flowsDirectory.path)
        let runner =
            runnerEnvironment.map {
                FlowRunner(
                    database: database, environment: $0, settings: TaskSettings(dataDirectory: DataDirectory(path: data), environment: $0),
                    clock: clock)
            } ?? FlowRunner(database: database, clock: clock)
        server = try await GatehouseServer(
            configuration: configuration, runner: runner, root: Self.webRoot, environment: environment, report: { _ in })
    }

    deinit { try? FileManager.default.removeItem(at: root) }
}

@Suite("Server basics")
struct ServerTests {
    @Test("/healthz answers at once; /readyz says 503 until the engine has recovered and started")
    func health() async throws {
        let fixture = try await ServerFixture()
        let app = Application(router: fixture.server.router())
        try await app.test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "ok\n")
            }
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
            }
            fixture.server.readiness.markEngineStarted()
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("every response, also a 404, carries the security headers")
    func securityHeaders() async throws {
        let fixture = try await ServerFixture()
        let app = Application(router: fixture.server.router())
        try await app.test(.router) { client in
            for uri in ["/healthz", "/no-such-page"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
                    #expect(response.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
                    #expect(response.headers[.xContentTypeOptions] == "nosniff")
                    #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "same-origin")
                }
            }
        }
    }

    @Test("the live application loads the flows folder, serves on a real socket, and its engine runs triggers")
    func live() async throws {
        let fixture = try await ServerFixture(flows: [
            "tick.yaml": """
            id: tick
            namespace: web.live
            tasks:
              - {id: say, type: io.kestra.plugin.core.log.Log, message: tick}
            triggers:
              - {id: often, type: io.kestra.plugin.core.trigger.Schedule, cron: "* * * * * *", withSeconds: true}

            """,
            "broken.yaml": "id: broken\nnamespace: web.live\n",
        ])
        #expect(fixture.server.catalog.deployed.map(\.flow.id) == ["tick"])
        #expect(fixture.server.catalog.entries.contains { $0.file.hasSuffix("broken.yaml") && !$0.isValid })
        let app = fixture.server.application(workers: 2)
        try await app.test(.live) { client in
            // The engine recovers, then becomes ready; the once-a-second schedule then fires within a few seconds.
            var ready = false
            for _ in 0..<100 where !ready {
                try await client.execute(uri: "/readyz", method: .get) { response in ready = response.status == .ok }
                if !ready { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(ready)
            var succeeded = false
            for _ in 0..<100 where !succeeded {
                succeeded = try fixture.server.runner.database.executions(state: "SUCCESS").contains { $0.flowId == "tick" }
                if !succeeded { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(succeeded)
        }
    }
}

@Suite("Error pages")
struct ErrorPageTests {
    @Test("browsers get an HTML page that says what went wrong; API clients keep JSON")
    func errorPages() async throws {
        let fixture = try await ServerFixture()
        try fixture.server.accounts.addUser(name: "ada", roles: [.auditor], email: nil, password: "correct-horse-battery", by: "test")
        let token = try fixture.server.accounts.createToken(for: "ada", name: "t", by: "test")
        try await Application(router: fixture.server.router()).test(.router) { client in
            let html = try await client.execute(
                uri: "/executions/%3Cscript%3E", method: .get, headers: [.authorization: "Bearer \(token)", .accept: "text/html"])
            #expect(html.status == .notFound)
            #expect(html.headers[.contentType] == "text/html; charset=utf-8")
            let body = String(buffer: html.body)
            #expect(body.contains("<h1>Not found</h1>"))
            #expect(body.contains("There is no execution %3Cscript%3E you may see."))
            #expect(!body.contains("<script"))
            let json = try await client.execute(uri: "/executions/nope", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(json.status == .notFound)
            #expect(String(buffer: json.body).contains(#""message":"There is no execution nope you may see.""#))
        }
    }
}

@Suite("Metrics")
struct MetricsTests {
    @Test("/metrics needs an auditor or admin (a Prometheus token), and reports requests, executions by state and flows")
    func metrics() async throws {
        let fixture = try await ServerFixture(flows: [
            "a.yaml": "id: a\nnamespace: m\ntasks:\n  - {id: t, type: io.kestra.plugin.core.log.Log, message: hi}\n"
        ])
        let accounts = fixture.server.accounts
        try accounts.addUser(name: "prometheus", roles: [.auditor], email: nil, password: nil, by: "test")
        try accounts.addUser(name: "ada", roles: [.requester], email: nil, password: nil, by: "test")
        let scraper = try accounts.createToken(for: "prometheus", name: "scrape", by: "test")
        let requester = try accounts.createToken(for: "ada", name: "cli", by: "test")
        let deployed = try #require(fixture.server.catalog.deployed.first)
        _ = try fixture.server.runner.submit(
            deployed, resolution: fixture.server.runner.resolveInputs(of: deployed, submitted: [:]), requester: "ada")
        try await Application(router: fixture.server.router()).test(.router) { client in
            _ = try await client.execute(uri: "/healthz", method: .get)
            #expect(try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer \(requester)"]).status == .forbidden)
            let response = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer \(scraper)"])
            #expect(response.status == .ok)
            let text = String(buffer: response.body)
            #expect(text.contains(#"gatehouse_executions{state="CREATED"} 1"#))
            #expect(text.contains(#"gatehouse_executions{state="RUNNING"} 0"#))
            #expect(text.contains(#"gatehouse_flows{valid="true"} 1"#))
            #expect(text.contains(#"gatehouse_http_requests_total{method="GET",route="/healthz",status="200"} 1"#))
            #expect(text.contains(#"gatehouse_work_items_due 1"#))
        }
    }
}
