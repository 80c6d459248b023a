import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import Web

@Suite("Error pages for faults of ours")
struct UnexpectedErrorPageTests {
    struct StoreFault: Error, CustomStringConvertible {
        var description: String { "disk I/O error at /srv/gatehouse/data/gatehouse.sqlite" }
    }

    @Test("a fault of ours shows a page with a reference, never the error's internals; API clients get the reference too")
    func unexpectedError() async throws {
        let fixture = try await ServerFixture()
        let router = fixture.server.router()
        router.get("/fault") { _, _ -> String in throw StoreFault() }
        router.get("/api/v1/fault") { _, _ -> String in throw StoreFault() }
        try await Application(router: router).test(.router) { client in
            let page = try await client.execute(uri: "/fault", method: .get, headers: [.accept: "text/html"])
            #expect(page.status == .internalServerError)
            let html = String(buffer: page.body)
            #expect(html.contains("<h1>Something went wrong</h1>"))
            let reference = try #require(html.firstMatch(of: /Reference: <code>([0-9a-f]{8})<\/code>/)?.1)
            #expect(html.contains("tell your platform team the reference \(reference)"))
            #expect(!html.contains("/srv/gatehouse") && !html.contains("disk I/O"))

            let api = try await client.execute(uri: "/api/v1/fault", method: .get, headers: [.accept: "application/json"])
            #expect(api.status == .internalServerError)
            let body = String(buffer: api.body)
            #expect(body.contains("the reference ") && !body.contains("/srv/gatehouse") && !body.contains("disk I/O"))
        }
    }

    @Test("references are eight hex digits and differ between errors")
    func references() {
        let references = (0..<100).map { _ in ErrorPageMiddleware.reference() }
        #expect(references.allSatisfy { $0.count == 8 && $0.allSatisfy(\.isHexDigit) })
        #expect(Set(references).count > 95)
    }
}
