import Engine
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Store
import Testing
import Yams

@testable import Web

/// The OpenAPI document against the served API: every documented operation is called on a real router, as an admin
/// with valid data and anonymously, and must answer with a status the document lists for it.
@Suite("OpenAPI contract")
struct OpenAPIContractTests {
    @Test("every documented operation answers with a documented status, signed in and anonymous")
    func contract() async throws {
        let fixture = try await ServerFixture(flows: ["api.yaml": ExecutionAPITests.flow])
        let accounts = fixture.server.accounts
        try accounts.addUser(name: "root", roles: [.admin], email: nil, password: nil, by: "test")
        let token = try accounts.createToken(for: "root", name: "contract", by: "test")
        let deployed = try #require(fixture.server.catalog.deployed.first)
        let runner = fixture.server.runner
        let paused = try runner.submit(
            deployed, resolution: runner.resolveInputs(of: deployed, submitted: ["size": .text("2")]), requester: "someone-else")
        try Worker(runner: runner).fireDueWork()

        let document = try #require(
            try Yams.load(yaml: String(contentsOfFile: ServerFixture.webRoot.publicFiles + "/api/openapi.yaml", encoding: .utf8)) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        #expect(paths.count == 11)
        // Flattened to plain values before the test client's closure; reject and kill last, so resume still finds the
        // pause (they answer 409 for the execution resume has already decided).
        let last = { (path: String) in path.hasSuffix("/kill") || path.hasSuffix("/reject") ? 1 : 0 }
        let operations: [(template: String, method: String, documented: Set<Int>, isPublic: Bool)] = paths.sorted {
            (last($0.key), $0.key) < (last($1.key), $1.key)
        }
        .flatMap { template, entries in
            entries.compactMap { method, value -> (String, String, Set<Int>, Bool)? in
                guard method != "parameters", let operation = value as? [String: Any] else { return nil }
                let documented = Set((operation["responses"] as? [String: Any] ?? [:]).keys.compactMap { Int($0) })
                return (template, method, documented, (operation["security"] as? [Any])?.isEmpty == true)
            }
        }
        let values = [
            "{namespace}": "team.api", "{flowId}": "api", "{executionId}": paused.id, "{key}": "k3y-for-tests",
        ]
        try await Application(router: fixture.server.router()).test(.router) { client in
            let served = try await client.execute(uri: "/api/v1/openapi.yaml", method: .get)
            #expect(served.status == .ok)
            for (template, method, documented, isPublic) in operations {
                let uri = values.reduce(template) { $0.replacingOccurrences(of: $1.key, with: $1.value) }
                for signedIn in [true, false] {
                    var headers: HTTPFields = [:]
                    if signedIn { headers[.authorization] = "Bearer \(token)" }
                    var body: ByteBuffer?
                    if template == "/api/v1/flows/{namespace}/{flowId}" && method == "put" {
                        headers[.contentType] = "application/x-yaml"
                        body = ByteBuffer(string: ExecutionAPITests.flow)
                    } else if method == "post" || method == "put" {
                        let (type, buffer) = ExecutionAPITests.multipart(template.hasSuffix("resume") ? [("ok", "true")] : [("size", "3")])
                        headers[.contentType] = type
                        body = buffer
                    }
                    let response = try await client.execute(
                        uri: uri, method: HTTPRequest.Method(rawValue: method.uppercased())!, headers: headers, body: body)
                    let expected = signedIn || isPublic ? documented : documented.intersection([401])
                    #expect(
                        expected.contains(Int(response.status.code)),
                        "\(method.uppercased()) \(template) \(signedIn ? "as admin" : "anonymous") answered \(response.status.code), documented \(documented.sorted())"
                    )
                    if signedIn || isPublic {
                        #expect(
                            response.status.code < 400 || template.contains("kill") || template.contains("reject"),
                            "\(method) \(template) should succeed with valid data")
                    }
                }
            }
        }
    }
}
