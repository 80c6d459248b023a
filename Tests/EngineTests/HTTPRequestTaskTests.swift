import Foundation
import Notify
import Pebble
import TestSupport
import Testing

@testable import Engine
@testable import Store

/// `http.Request` in real flows against a real HTTP server on 127.0.0.1 (Tests/TestSupport/Fixtures/http_sink.py).
@Suite("http.Request against a live server")
struct HTTPRequestTaskTests {
    static let request = "type: io.kestra.plugin.core.http.Request"

    /// What the server answered on /echo: the request it saw.
    static func echoed(_ outputs: PebbleMap) throws -> [String: Any] {
        let body = try #require(outputs["body"]?.stringValue)
        return try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
    }

    @Test("GET: headers go out, and code, headers (every value of a name) and body come back as outputs")
    func get() throws {
        let server = try FixtureServer(.http)
        let fixture = try WorldTaskFixture()
        let execution = try fixture.run(
            """
            tasks:
              - id: get
                \(Self.request)
                uri: "\(server.baseURL)/echo?q=1"
                headers: {X-Trace: "trace-{{ flow.id }}", Accept: application/json}
              - {id: show, type: io.kestra.plugin.core.log.Log, message: "{{ outputs.get.code }} {{ outputs.get.headers['set-cookie'] }}"}
            """)
        #expect(execution.state == "SUCCESS")
        let outputs = try fixture.outputs(execution, "get")
        #expect(outputs["code"] == .int(200))
        #expect(outputs["uri"] == .string("\(server.baseURL)/echo?q=1"))
        #expect(outputs["headers"]?.mapValue?["content-type"] == .list(["application/json"]))
        let seen = try Self.echoed(outputs)
        #expect(seen["method"] as? String == "GET")
        #expect((seen["headers"] as? [String: String])?["x-trace"] == "trace-world")
        #expect(try fixture.lines(execution).contains("200 [\"a=1\",\"b=2\"]"))
    }

    @Test("POST with a JSON body and contentType; PUT with a body given as a YAML map, sent as JSON")
    func postJSON() throws {
        let server = try FixtureServer(.http)
        let fixture = try WorldTaskFixture()
        let execution = try fixture.run(
            """
            tasks:
              - id: post
                \(Self.request)
                uri: \(server.baseURL)/echo
                method: POST
                contentType: application/json
                body: '{"name": "{{ flow.id }}", "size": 2}'
              - id: put
                \(Self.request)
                uri: \(server.baseURL)/echo
                method: PUT
                body: {owner: alice, managed: true}
            """)
        #expect(execution.state == "SUCCESS")
        let post = try Self.echoed(try fixture.outputs(execution, "post"))
        #expect(post["method"] as? String == "POST")
        #expect(post["body"] as? String == #"{"name": "world", "size": 2}"#)
        #expect((post["headers"] as? [String: String])?["content-type"] == "application/json")
        let put = try Self.echoed(try fixture.outputs(execution, "put"))
        #expect(put["body"] as? String == #"{"owner":"alice","managed":true}"#)
        #expect((put["headers"] as? [String: String])?["content-type"] == "application/json")
    }

    @Test("basic and bearer auth reach the server, and the secret is masked in the outputs")
    func auth() throws {
        let server = try FixtureServer(.http)
        let fixture = try WorldTaskFixture()
        let execution = try fixture.run(
            """
            tasks:
              - id: basic
                \(Self.request)
                uri: \(server.baseURL)/echo
                options: {auth: {type: BASIC, username: alice, password: "{{ secret('TOKEN') }}"}}
              - id: bearer
                \(Self.request)
                uri: \(server.baseURL)/echo
                options: {auth: {type: BEARER, token: "{{ secret('TOKEN') }}"}}
              - id: legacy
                \(Self.request)
                uri: \(server.baseURL)/echo
                options: {basicAuthUser: bob, basicAuthPassword: pw}
            """)
        #expect(execution.state == "SUCCESS")
        let seen = try server.recordedRequests().map { ($0["headers"] as? [String: String])?["authorization"] }
        let basic = "Basic " + Data("alice:\(WorldTaskFixture.secret)".utf8).base64EncodedString()
        #expect(seen == [basic, "Bearer \(WorldTaskFixture.secret)", "Basic " + Data("bob:pw".utf8).base64EncodedString()])
        #expect(try fixture.outputs(execution, "bearer")["body"]?.stringValue?.contains("Bearer ******") == true)
        #expect(try fixture.taskRun(execution, "bearer")?.outputs?.contains(WorldTaskFixture.secret) == false)
    }

    @Test("formData: URL-encoded by default, multipart when contentType says so")
    func formData() throws {
        let server = try FixtureServer(.http)
        let fixture = try WorldTaskFixture()
        let execution = try fixture.run(
            """
            tasks:
              - {id: form, \(Self.request), uri: "\(server.baseURL)/echo", method: POST, formData: {user: alice, reason: smoke test}}
              - id: multi
                \(Self.request)
                uri: \(server.baseURL)/echo
                method: POST
                contentType: multipart/form-data
                formData: {user: alice}
            """)
        #expect(execution.state == "SUCCESS")
        let form = try Self.echoed(try fixture.outputs(execution, "form"))
        #expect(form["body"] as? String == "user=alice&reason=smoke%20test")
        #expect((form["headers"] as? [String: String])?["content-type"] == "application/x-www-form-urlencoded")
        let multi = try Self.echoed(try fixture.outputs(execution, "multi"))
        #expect((multi["headers"] as? [String: String])?["content-type"]?.hasPrefix("multipart/form-data; boundary=") == true)
        #expect((multi["body"] as? String)?.contains("Content-Disposition: form-data; name=\"user\"\r\n\r\nalice\r\n") == true)
    }

    @Test("redirects are followed by default, and not with followRedirects: false")
    func redirects() throws {
        let server = try FixtureServer(.http)
        let fixture = try WorldTaskFixture()
        let execution = try fixture.run(
            """
            tasks:
              - {id: follow, \(Self.request), uri: "\(server.baseURL)/redirect"}
              - {id: stay, \(Self.request), uri: "\(server.baseURL)/redirect", options: {followRedirects: false}}
            """)
        #expect(execution.state == "SUCCESS")
        #expect(try fixture.outputs(execution, "follow")["code"] == .int(200))
        #expect(try Self.echoed(try fixture.outputs(execution, "follow"))["path"] as? String == "/echo")
        let stay = try fixture.outputs(execution, "stay")
        #expect(stay["code"] == .int(302))
        #expect(stay["headers"]?.mapValue?["location"] == .list(["/echo"]))
        #expect(try server.recordedRequests().map { $0["path"] as? String } == ["/redirect", "/echo", "/redirect"])
    }

    @Test("a status of 400 or more fails the task with the code and body, unless allowFailed")
    func allowFailed() throws {
        let server = try FixtureServer(.http)
        let fixture = try WorldTaskFixture()
        let failed = try fixture.run("tasks:\n  - {id: missing, \(Self.request), uri: \"\(server.baseURL)/status/404\"}")
        #expect(failed.state == "FAILED")
        #expect(try fixture.lines(failed).contains { $0.hasPrefix("Failed http request with response code '404' and body:\nstatus 404") })
        let allowed = try fixture.run(
            """
            tasks:
              - {id: missing, \(Self.request), uri: "\(server.baseURL)/status/503", allowFailed: true}
              - {id: after, type: io.kestra.plugin.core.log.Log, message: "answered {{ outputs.missing.code }}"}
            """, id: "allowed")
        #expect(allowed.state == "SUCCESS")
        #expect(try fixture.lines(allowed).contains("answered 503"))
    }

    @Test("a response larger than the bound fails clearly, with or without Content-Length")
    func tooLarge() throws {
        let server = try FixtureServer(.http)
        let fixture = try WorldTaskFixture()
        let execution = try fixture.run(
            """
            tasks:
              - {id: declared, \(Self.request), uri: "\(server.baseURL)/big/5000", options: {maxContentLength: 1000}, allowFailure: true}
              - {id: streamed, \(Self.request), uri: "\(server.baseURL)/stream/\(OutboundLimits.overDefault)"}
            """)
        #expect(execution.state == "FAILED")
        let lines = try fixture.lines(execution)
        #expect(lines.contains { $0.contains("/big/5000 is larger than the limit of 1000 bytes") })
        #expect(lines.contains { $0.contains("/stream/\(OutboundLimits.overDefault) is larger than the limit of 10485760 bytes") })
    }

    @Test("a server that never answers: readIdleTimeout and the task timeout both end the request")
    func timeouts() throws {
        let server = try FixtureServer(.http)
        let fixture = try WorldTaskFixture()
        let started = ContinuousClock.now
        let execution = try fixture.run(
            """
            tasks:
              - {id: idle, \(Self.request), uri: "\(server.baseURL)/hang", options: {timeout: {readIdleTimeout: PT0.5S}}, allowFailure: true}
              - {id: capped, \(Self.request), uri: "\(server.baseURL)/hang", timeout: PT1S}
            """)
        #expect(execution.state == "FAILED")
        let lines = try fixture.lines(execution)
        #expect(lines.contains { $0.contains("/hang sent nothing for 0.5 s (readIdleTimeout)") })
        #expect(lines.contains("Timeout after PT1S"))
        #expect(ContinuousClock.now - started < .seconds(10))
    }

    @Test("killing the execution stops a hanging request at once")
    func kill() async throws {
        // Off the cooperative pool, which the blocking tests running beside this one may keep busy.
        try await withTaskExecutorPreference(OutboundIOExecutor.shared) { try await killHanging() }
    }

    private func killHanging() async throws {
        let server = try FixtureServer(.http)
        let fixture = try WorldTaskFixture()
        let runner = fixture.runner
        let source = "id: hang\nnamespace: engine.world\ntasks:\n  - {id: wait, \(Self.request), uri: \"\(server.baseURL)/hang\"}\n"
        let started = Task(executorPreference: OutboundIOExecutor.shared) {
            try runner.start(flowSource: source, file: "hang.yaml", inputs: [:], requester: "alice")
        }
        var running: TaskRunRecord?
        for _ in 0..<200 where running == nil {
            try await Task.sleep(for: .milliseconds(50))
            running = try fixture.database.executions().first.flatMap { try fixture.database.taskRuns(of: $0.id).first { $0.state == "RUNNING" } }
        }
        let taskRun = try #require(running)
        let killedAt = ContinuousClock.now
        _ = try runner.kill(executionId: taskRun.executionId, by: "carol")
        let ended = try await started.value
        #expect(ended.state == "KILLED")
        #expect(ContinuousClock.now - killedAt < .seconds(5))
    }
}

enum OutboundLimits {
    /// Just over the default 10 MiB bound.
    static let overDefault = 10 * 1024 * 1024 + 1
}
