import Hummingbird

/// `/healthz` (the process answers) and `/readyz` (flows loaded, engine running): open to all, for load balancers and
/// orchestrators, and saying nothing about the installation.
enum HealthRoutes {
    static func add(to router: Router<GatehouseRequestContext>, readiness: Readiness) {
        router.get("/healthz") { _, _ in "ok\n" }
        router.get("/readyz") { _, _ -> Response in
            guard readiness.isReady else {
                return Response(
                    status: .serviceUnavailable, headers: [.contentType: "text/plain; charset=utf-8"],
                    body: .init(byteBuffer: ByteBuffer(string: "starting\n")))
            }
            return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "ready\n")))
        }
    }
}
