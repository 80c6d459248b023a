import Engine
import Foundation
import Hummingbird
import Prometheus
import Store

/// `/metrics` in Prometheus's text format: HTTP requests by route and status with their durations (counted by a
/// middleware), and, read at scrape time, executions by state, due work items and loaded flows. Its own registry rather
/// than swift-metrics' global bootstrap, which a process may do only once.
final class GatehouseMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    let database: GatehouseDatabase
    let catalog: FlowCatalog
    static let stateNames = ["CREATED", "QUEUED", "RUNNING", "PAUSED", "RETRYING", "KILLING", "SUCCESS", "WARNING", "FAILED", "KILLED", "CANCELLED"]

    init(database: GatehouseDatabase, catalog: FlowCatalog) {
        self.database = database
        self.catalog = catalog
    }

    func recordRequest(method: String, route: String, status: Int, duration: Duration) {
        let labels = [("method", method), ("route", route), ("status", String(status))]
        registry.makeCounter(descriptor: Self.name("http_requests_total", "HTTP requests answered"), labels: labels).increment()
        registry.makeDurationHistogram(
            descriptor: Self.name("http_request_duration_seconds", "Time to answer an HTTP request"), labels: [("route", route)],
            buckets: [.milliseconds(1), .milliseconds(5), .milliseconds(20), .milliseconds(100), .milliseconds(500), .seconds(2), .seconds(10)]
        ).record(duration)
    }

    /// `gatehouse_<metric>`; an empty unit adds nothing to the name.
    private static func name(_ metric: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "gatehouse", metricName: metric, unitName: "", helpText: help)
    }

    func scrape() throws -> String {
        let counts = try database.executionCountsByState()
        for state in Set(Self.stateNames).union(counts.keys) {
            registry.makeGauge(descriptor: Self.name("executions", "Executions by state"), labels: [("state", state)]).set(Double(counts[state] ?? 0))
        }
        registry.makeGauge(descriptor: Self.name("work_items_due", "Timers and starts due but not yet taken by a worker"))
            .set(Double(try database.dueWorkItemCount(now: Date())))
        let entries = catalog.entries
        let flows = Self.name("flows", "Flow files loaded")
        registry.makeGauge(descriptor: flows, labels: [("valid", "true")]).set(Double(entries.filter(\.isValid).count))
        registry.makeGauge(descriptor: flows, labels: [("valid", "false")]).set(Double(entries.filter { !$0.isValid }.count))
        return registry.emitToString()
    }
}

/// Counts every request by the route it matched (not the raw path, which would make one series per execution id).
struct MetricsMiddleware: RouterMiddleware {
    typealias Context = GatehouseRequestContext
    let metrics: GatehouseMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            metrics.recordRequest(
                method: request.method.rawValue, route: context.endpointPath ?? "unmatched", status: response.status.code,
                duration: .now - start)
            return response
        } catch let error as HTTPError {
            metrics.recordRequest(
                method: request.method.rawValue, route: context.endpointPath ?? "unmatched", status: error.status.code, duration: .now - start)
            throw error
        }
    }
}
