import Engine
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Store
import Testing

@testable import Web

@Suite("Executions API")
struct ExecutionAPITests {
    static let flow = """
        id: api
        namespace: team.api
        inputs:
          - {id: size, type: INT, min: 1}
          - {id: note, type: STRING, required: false}
        tasks:
          - {id: say, type: io.kestra.plugin.core.log.Log, message: "size {{ inputs.size }}"}
          - id: approve
            type: io.kestra.plugin.core.flow.Pause
            onResume:
              - {id: ok, type: BOOLEAN}
        triggers:
          - {id: hook, type: io.kestra.plugin.core.trigger.Webhook, key: k3y-for-tests, inputs: {size: "{{ trigger.body.size }}"}}

        """

    static func multipart(_ fields: [(String, String)]) -> (String, ByteBuffer) {
        let boundary = "gatehouse-test-boundary"
        var body = ""
        for (name, value) in fields {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        body += "--\(boundary)--\r\n"
        return ("multipart/form-data; boundary=\(boundary)", ByteBuffer(string: body))
    }

    static func object(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    @Test("create with multipart inputs, 422 with Kestra's error shape, get, logs, search, resume (204, then 409) and kill")
    func lifecycle() async throws {
        let fixture = try await ServerFixture(flows: ["api.yaml": Self.flow])
        let accounts = fixture.server.accounts
        try accounts.addUser(name: "ada", roles: [.requester], email: nil, password: nil, by: "test")
        try accounts.addUser(name: "bob", roles: [.approver], email: nil, password: nil, by: "test")
        try accounts.addUser(name: "eve", roles: [.requester], email: nil, password: nil, by: "test")
        let ada = try accounts.createToken(for: "ada", name: "t", by: "test")
        let bob = try accounts.createToken(for: "bob", name: "t", by: "test")
        let eve = try accounts.createToken(for: "eve", name: "t", by: "test")
        let worker = Worker(runner: fixture.server.runner)
        try await Application(router: fixture.server.router()).test(.router) { client in
            func call(_ method: HTTPRequest.Method, _ uri: String, _ token: String, form: [(String, String)]? = nil) async throws -> TestResponse {
                var headers: HTTPFields = [.authorization: "Bearer \(token)"]
                var body: ByteBuffer?
                if let form {
                    let (type, buffer) = Self.multipart(form)
                    headers[.contentType] = type
                    body = buffer
                }
                return try await client.execute(uri: uri, method: method, headers: headers, body: body)
            }
            let invalid = try await call(.post, "/api/v1/executions/team.api/api", ada, form: [("size", "0")])
            #expect(invalid.status == .unprocessableContent)
            let problem = try Self.object(invalid)
            #expect(
                problem["message"] as? String == "Invalid entity: inputs.size: Invalid input for `size`, it must be more than `1`, but received `0`")
            #expect(
                (problem["_embedded"] as? [String: Any])?["errors"] as? [[String: String]] == [
                    ["message": "Invalid input for `size`, it must be more than `1`, but received `0`", "path": "inputs.size"]
                ])

            let created = try await call(.post, "/api/v1/executions/team.api/api", ada, form: [("size", "3"), ("note", "hi")])
            #expect(created.status == .ok)
            let id = try #require(try Self.object(created)["id"] as? String)
            #expect((try Self.object(created)["state"] as? [String: Any])?["current"] as? String == "CREATED")
            #expect(try await call(.post, "/api/v1/executions/team.api/api", bob, form: [("size", "3")]).status == .forbidden)
            try worker.fireDueWork()

            let fetched = try Self.object(try await call(.get, "/api/v1/executions/\(id)", ada))
            #expect((fetched["state"] as? [String: Any])?["current"] as? String == "PAUSED")
            #expect((fetched["inputs"] as? [String: Any])?["size"] as? Int == 3)
            #expect((fetched["taskRunList"] as? [[String: Any]])?.map { $0["taskId"] as? String } == ["say", "approve"])
            #expect(try await call(.get, "/api/v1/executions/\(id)", eve).status == .notFound)

            let logs = try #require(
                try JSONSerialization.jsonObject(with: Data(buffer: try await call(.get, "/api/v1/logs/\(id)", ada).body)) as? [[String: Any]])
            #expect(logs.first?["message"] as? String == "size 3")
            #expect(logs.first?["taskId"] as? String == "say")

            let search = try Self.object(try await call(.get, "/api/v1/executions/search?state=PAUSED", ada))
            #expect(search["total"] as? Int == 1)
            #expect((try Self.object(try await call(.get, "/api/v1/executions/search?namespace=team.api&flowId=api", ada)))["total"] as? Int == 1)
            #expect((try Self.object(try await call(.get, "/api/v1/executions/search?namespace=team.other", ada)))["total"] as? Int == 0)
            #expect((try Self.object(try await call(.get, "/api/v1/executions/search", eve)))["total"] as? Int == 0)

            #expect(try await call(.post, "/api/v1/executions/\(id)/resume", ada, form: [("ok", "true")]).status == .forbidden)
            #expect(try await call(.post, "/api/v1/executions/\(id)/resume", bob, form: [("note", "no answer")]).status == .unprocessableContent)
            #expect(try await call(.post, "/api/v1/executions/\(id)/resume", bob, form: [("ok", "true")]).status == .noContent)
            #expect(try await call(.post, "/api/v1/executions/\(id)/resume", bob, form: [("ok", "true")]).status == .conflict)
            try worker.fireDueWork()
            #expect(try fixture.server.runner.database.execution(id)?.state == "SUCCESS")
            #expect(try await call(.delete, "/api/v1/executions/\(id)/kill", ada).status == .conflict)
        }
    }

    @Test("the webhook starts the flow with the right key only, without a session or CSRF token")
    func webhook() async throws {
        let fixture = try await ServerFixture(flows: ["api.yaml": Self.flow])
        try await Application(router: fixture.server.router()).test(.router) { client in
            let wrong = try await client.execute(
                uri: "/api/v1/executions/webhook/team.api/api/wrong", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"size": 2}"#))
            #expect(wrong.status == .notFound)
            let right = try await client.execute(
                uri: "/api/v1/executions/webhook/team.api/api/k3y-for-tests", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"size": 2}"#))
            #expect(right.status == .ok)
            let id = try #require(try Self.object(right)["id"] as? String)
            let stored = try #require(try fixture.server.runner.database.execution(id))
            #expect(stored.requester == "webhook:team.api.api.hook")
            #expect(stored.inputs.contains(#""size":2"#))
        }
    }
}

@Suite("Flows API")
struct FlowAPITests {
    @Test("admins deploy YAML (validated, written to the flows folder, a new revision); others cannot; errors name file:line:col")
    func deploy() async throws {
        let fixture = try await ServerFixture(flows: [
            "a.yaml": "id: a\nnamespace: team.x\ntasks:\n  - {id: t, type: io.kestra.plugin.core.log.Log, message: one}\n"
        ])
        let accounts = fixture.server.accounts
        try accounts.addUser(name: "root", roles: [.admin], email: nil, password: nil, by: "test")
        try accounts.addUser(name: "ada", roles: [.requester], email: nil, password: nil, by: "test")
        let admin = try accounts.createToken(for: "root", name: "ci", by: "test")
        let requester = try accounts.createToken(for: "ada", name: "cli", by: "test")
        try await Application(router: fixture.server.router()).test(.router) { client in
            func put(_ uri: String, _ token: String, _ yaml: String) async throws -> TestResponse {
                try await client.execute(
                    uri: uri, method: .put, headers: [.authorization: "Bearer \(token)", .contentType: "application/x-yaml"],
                    body: ByteBuffer(string: yaml))
            }
            let changed = "id: a\nnamespace: team.x\ntasks:\n  - {id: t, type: io.kestra.plugin.core.log.Log, message: two}\n"
            #expect(try await put("/api/v1/flows/team.x/a", requester, changed).status == .forbidden)
            let ok = try await put("/api/v1/flows/team.x/a", admin, changed)
            #expect(ok.status == .ok)
            #expect(try ExecutionAPITests.object(ok)["revision"] as? Int == 2)
            let source = try ExecutionAPITests.object(
                try await client.execute(uri: "/api/v1/flows/team.x/a", method: .get, headers: [.authorization: "Bearer \(requester)"]))
            #expect(source["source"] as? String == changed)

            let broken = try await put(
                "/api/v1/flows/team.x/b", admin, "id: b\nnamespace: team.x\ntasks:\n  - {id: t, type: io.kestra.plugin.core.log.Lgo}\n")
            #expect(broken.status == .unprocessableContent)
            #expect((try ExecutionAPITests.object(broken)["message"] as? String)?.contains("team.x/b.yaml:4:") == true)
            #expect(try await put("/api/v1/flows/team.x/other", admin, changed).status == .unprocessableContent)

            let created = try await put(
                "/api/v1/flows/team.y/new", admin,
                "id: new\nnamespace: team.y\ntasks:\n  - {id: t, type: io.kestra.plugin.core.log.Log, message: hi}\n")
            #expect(created.status == .ok)
            #expect((try ExecutionAPITests.object(created)["file"] as? String)?.hasSuffix("flows/team.y/new.yaml") == true)
        }
        #expect(fixture.server.catalog.deployed.map(\.flow.id).sorted() == ["a", "new"])
        #expect(try fixture.server.runner.database.auditEvents().contains { $0.action == "flow.deployed" && $0.actor == "root" })
    }
}
