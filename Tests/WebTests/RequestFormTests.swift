import Engine
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Store
import Testing

@testable import Web

@Suite("Request forms and execution pages")
struct RequestFormTests {
    static let flow = """
        id: vm
        namespace: team.infra
        description: A test server
        inputs:
          - {id: name, type: STRING, displayName: VM name, validator: "^[a-z][a-z0-9-]{2,30}$"}
          - {id: cpus, type: INT, min: 1, max: 8, defaults: 2}
          - id: size
            type: SELECT
            values: [{value: cx22, label: "CX22 · 2 vCPU · 4 GB"}, {value: cx32, label: "CX32 · 4 vCPU · 8 GB"}]
          - {id: backups, type: BOOL, defaults: false}
          - {id: ports, type: MULTISELECT, values: ["22", "80", "443"], required: false}
          - {id: token, type: SECRET, required: false}
          - id: reason
            type: STRING
            dependsOn: {inputs: [backups], condition: "{{ inputs.backups == true }}"}
        tasks:
          - {id: say, type: io.kestra.plugin.core.log.Log, message: "creating {{ inputs.name }} ({{ inputs.size }}) with ports {{ inputs.ports }}"}

        """
    static let password = "correct-horse-battery"

    func fixture() async throws -> ServerFixture {
        let fixture = try await ServerFixture(flows: ["vm.yaml": Self.flow])
        let accounts = fixture.server.accounts
        try accounts.addUser(name: "ada", roles: [.requester], email: nil, password: Self.password, by: "test")
        try accounts.addUser(name: "eve", roles: [.requester], email: nil, password: Self.password, by: "test")
        try accounts.addUser(name: "olga", roles: [.auditor], email: nil, password: Self.password, by: "test")
        return fixture
    }

    func signIn(_ name: String, _ client: some TestClientProtocol) async throws -> (Browser, String) {
        let browser = Browser()
        let token = try #require(Browser.csrf(in: String(buffer: try await browser.get(client, "/sign-in").body)))
        let response = try await browser.post(client, "/sign-in", form: [("_csrf", token), ("name", name), ("password", Self.password)])
        #expect(response.status == .seeOther)
        return (browser, token)
    }

    @Test("the form shows a widget per input type, with labels tied to fields and the CSRF token")
    func form() async throws {
        let fixture = try await fixture()
        try await Application(router: fixture.server.router()).test(.router) { client in
            let (browser, _) = try await signIn("ada", client)
            let page = try await browser.get(client, "/flows/team.infra/vm/request")
            #expect(page.status == .ok)
            let html = String(buffer: page.body)
            #expect(html.contains(#"<label for="input-name">VM name"#))
            #expect(html.contains(#"<input id="input-name" name="name" type="text" value="" required"#))
            #expect(html.contains(#"name="cpus" type="number" value="2" required step="1" min="1" max="8""#))
            #expect(html.contains(#"<option value="cx22">CX22 · 2 vCPU · 4 GB</option>"#))
            #expect(html.contains(#"<input type="checkbox" name="ports" value="443">"#))
            #expect(html.contains(#"name="token" type="password""#))
            #expect(!html.contains(#"name="reason""#))  // dependsOn: hidden until backups is true
            #expect(html.contains(#"name="_csrf""#))
        }
    }

    @Test("invalid input shows every error next to its field and keeps what was typed, except secrets; nothing is stored")
    func invalid() async throws {
        let fixture = try await fixture()
        try await Application(router: fixture.server.router()).test(.router) { client in
            let (browser, csrf) = try await signIn("ada", client)
            let response = try await browser.post(
                client, "/flows/team.infra/vm/request",
                form: [
                    ("_csrf", csrf), ("name", "Bad Name<script>"), ("cpus", "9"), ("size", "cx22"), ("backups", "false"), ("token", "s3cret-value"),
                ])
            #expect(response.status == .unprocessableContent)
            let html = String(buffer: response.body)
            #expect(html.contains("it must match the pattern"))
            #expect(html.contains("Invalid input for `cpus`, it must be less than `8`, but received `9`"))
            #expect(html.contains(#"value="Bad Name&lt;script&gt;""#))
            #expect(!html.contains("<script>"))
            #expect(!html.contains("s3cret-value"))
            // Only the fields with errors are marked (`size` and `backups` were fine): one aria-invalid per error list.
            #expect(html.contains(#"<div class="field invalid">"#))
            #expect(html.components(separatedBy: "aria-invalid").count - 1 == html.components(separatedBy: #"class="errors" id="#).count - 1)
        }
        #expect(try fixture.server.runner.database.executions().isEmpty)
    }

    @Test("a valid request creates one execution even when sent twice, runs, and its page shows state, inputs and log")
    func submit() async throws {
        let fixture = try await fixture()
        try await Application(router: fixture.server.router()).test(.router) { client in
            let (browser, csrf) = try await signIn("ada", client)
            let form = try #require(
                String(buffer: try await browser.get(client, "/flows/team.infra/vm/request").body).firstMatch(
                    of: /name="_submission" value="([^"]+)"/))
            let fields = [
                ("_csrf", csrf), ("_submission", String(form.1)), ("name", "web-01"), ("cpus", "4"), ("size", "cx32"), ("backups", "true"),
                ("reason", "nightly <b>jobs</b>"), ("ports", "22"), ("ports", "443"), ("token", "s3cret-value"),
            ]
            let first = try await browser.post(client, "/flows/team.infra/vm/request", form: fields)
            #expect(first.status == .seeOther)
            let location = try #require(first.headers[.location])
            #expect(location.hasPrefix("/executions/"))
            let again = try await browser.post(client, "/flows/team.infra/vm/request", form: fields)
            #expect(again.headers[.location] == location)
            #expect(try fixture.server.runner.database.executions().count == 1)

            try Worker(runner: fixture.server.runner).fireDueWork()
            let page = try await browser.get(client, location)
            let html = String(buffer: page.body)
            #expect(page.status == .ok)
            #expect(html.contains(#"<span class="state state-success">SUCCESS</span>"#))
            let logged = html.firstMatch(of: /creating web-01 \(cx32\) with ports [^<]*/).map { String($0.0) }
            #expect(logged == "creating web-01 (cx32) with ports [&quot;22&quot;,&quot;443&quot;]")
            #expect(html.contains("nightly &lt;b&gt;jobs&lt;/b&gt;"))
            #expect(!html.contains("s3cret-value"))
            #expect(html.contains("<dt>token</dt><dd><code>******</code></dd>"))

            // Another requester cannot see it (404, not 403, so ids cannot be probed); an auditor can.
            let (eve, _) = try await signIn("eve", client)
            #expect(try await eve.get(client, location).status == .notFound)
            let (olga, _) = try await signIn("olga", client)
            #expect(try await olga.get(client, location).status == .ok)
            // An auditor is not a requester: the form is forbidden.
            #expect(try await olga.get(client, "/flows/team.infra/vm/request").status == .forbidden)
        }
    }

    @Test("without JavaScript, Update the form re-evaluates dependsOn and shows the dependent field")
    func refresh() async throws {
        let fixture = try await fixture()
        try await Application(router: fixture.server.router()).test(.router) { client in
            let (browser, csrf) = try await signIn("ada", client)
            let response = try await browser.post(
                client, "/flows/team.infra/vm/request", form: [("_csrf", csrf), ("backups", "true"), ("name", "web-01"), ("_refresh", "1")])
            #expect(response.status == .ok)
            let html = String(buffer: response.body)
            #expect(html.contains(#"name="reason""#))
            #expect(html.contains(#"value="web-01""#))
            #expect(!html.contains("class=\"errors\""))
        }
        #expect(try fixture.server.runner.database.executions().isEmpty)
    }
}

@Suite("My requests and cancelling")
struct MyRequestsTests {
    static let flow = """
        id: gate
        namespace: team.infra
        tasks:
          - {id: wait, type: io.kestra.plugin.core.flow.Pause}

        """

    @Test("My requests lists only the user's own executions; the requester can cancel a paused one, others cannot")
    func listAndCancel() async throws {
        let fixture = try await ServerFixture(flows: ["gate.yaml": Self.flow])
        for name in ["ada", "eve"] {
            try fixture.server.accounts.addUser(name: name, roles: [.requester], email: nil, password: RequestFormTests.password, by: "test")
        }
        let deployed = try #require(fixture.server.catalog.deployed.first)
        let runner = fixture.server.runner
        let mine = try runner.submit(deployed, resolution: runner.resolveInputs(of: deployed, submitted: [:]), requester: "ada")
        let theirs = try runner.submit(deployed, resolution: runner.resolveInputs(of: deployed, submitted: [:]), requester: "eve")
        try Worker(runner: runner).fireDueWork()
        #expect(try runner.database.execution(mine.id)?.state == "PAUSED")

        try await Application(router: fixture.server.router()).test(.router) { client in
            let (ada, csrf) = try await RequestFormTests().signIn("ada", client)
            let list = String(buffer: try await ada.get(client, "/requests").body)
            #expect(list.contains(mine.id))
            #expect(!list.contains(theirs.id))

            let page = String(buffer: try await ada.get(client, "/executions/\(mine.id)").body)
            #expect(page.contains(#"action="/executions/\#(mine.id)/kill""#))
            #expect(try await ada.post(client, "/executions/\(theirs.id)/kill", form: [("_csrf", csrf)]).status == .notFound)
            let cancelled = try await ada.post(client, "/executions/\(mine.id)/kill", form: [("_csrf", csrf)])
            #expect(cancelled.status == .seeOther)
        }
        // The page answers at once; the worker ends the execution and runs its afterExecution tasks.
        #expect(try runner.database.execution(mine.id)?.state == "KILLING")
        try Worker(runner: runner).fireDueWork()
        #expect(try runner.database.execution(mine.id)?.state == "KILLED")
        #expect(try runner.database.execution(theirs.id)?.state == "PAUSED")
    }
}

@Suite("Execution log filters and download")
struct LogFilterTests {
    @Test("the log filters by task and by level without JavaScript, and downloads whole as text")
    func filters() async throws {
        let fixture = try await ServerFixture(flows: [
            "logs.yaml": """
            id: logs
            namespace: team.logs
            tasks:
              - {id: first, type: io.kestra.plugin.core.log.Log, message: "first says hi"}
              - {id: second, type: io.kestra.plugin.core.log.Log, message: "second warns", level: WARN}

            """
        ])
        try fixture.server.accounts.addUser(name: "ada", roles: [.requester], email: nil, password: nil, by: "test")
        let token = try fixture.server.accounts.createToken(for: "ada", name: "t", by: "test")
        let deployed = try #require(fixture.server.catalog.deployed.first)
        let runner = fixture.server.runner
        let execution = try runner.submit(deployed, resolution: runner.resolveInputs(of: deployed, submitted: [:]), requester: "ada")
        try Worker(runner: runner).fireDueWork()
        try await Application(router: fixture.server.router()).test(.router) { client in
            func page(_ query: String) async throws -> String {
                String(
                    buffer: try await client.execute(
                        uri: "/executions/\(execution.id)\(query)", method: .get, headers: [.authorization: "Bearer \(token)"]
                    ).body)
            }
            let all = try await page("")
            #expect(all.contains("first says hi") && all.contains("second warns"))
            let byTask = try await page("?task=first")
            #expect(byTask.contains("first says hi") && !byTask.contains("second warns"))
            let byLevel = try await page("?level=WARN")
            #expect(!byLevel.contains("first says hi") && byLevel.contains("second warns"))
            let download = try await client.execute(
                uri: "/executions/\(execution.id)/log.txt", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(download.headers[.contentDisposition] == "attachment; filename=\"logs-\(execution.id).log\"")
            let lines = String(buffer: download.body).split(separator: "\n")
            #expect(lines.count == 2)
            #expect(lines.last?.hasSuffix("WARN [second] second warns") == true)
        }
    }
}

@Suite("File inputs")
struct FileInputTests {
    static let flow = """
        id: upload
        namespace: team.files
        inputs:
          - {id: doc, type: FILE}
          - {id: title, type: STRING}
        tasks:
          - {id: show, type: io.kestra.plugin.core.log.Log, message: "{{ inputs.title }}: {{ read(inputs.doc) }}"}

        """

    static func multipart(_ parts: [(name: String, filename: String?, value: String)]) -> (String, ByteBuffer) {
        let boundary = "file-test-boundary"
        var body = ""
        for part in parts {
            let file = part.filename.map { "; filename=\"\($0)\"" } ?? ""
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(part.name)\"\(file)\r\n\r\n\(part.value)\r\n"
        }
        return ("multipart/form-data; boundary=\(boundary)", ByteBuffer(string: body + "--\(boundary)--\r\n"))
    }

    @Test("the form uploads a file that the execution's tasks read; an invalid form keeps no file")
    func formUpload() async throws {
        let fixture = try await ServerFixture(flows: ["upload.yaml": Self.flow])
        try fixture.server.accounts.addUser(name: "ada", roles: [.requester], email: nil, password: RequestFormTests.password, by: "test")
        try await Application(router: fixture.server.router()).test(.router) { client in
            let (browser, csrf) = try await RequestFormTests().signIn("ada", client)
            let html = String(buffer: try await browser.get(client, "/flows/team.files/upload/request").body)
            #expect(html.contains(#"enctype="multipart/form-data" action="?_csrf="#))
            #expect(html.contains(#"name="doc" type="file" required"#))

            func post(_ parts: [(name: String, filename: String?, value: String)]) async throws -> TestResponse {
                let (type, body) = Self.multipart(parts)
                return try await client.execute(
                    uri: "/flows/team.files/upload/request?_csrf=\(csrf)", method: .post,
                    headers: [.cookie: browser.cookieHeader, .contentType: type],
                    body: body)
            }
            let invalid = try await post([("doc", "notes.txt", "kept secret?")])
            #expect(invalid.status == .unprocessableContent)
            let storage = fixture.root.appendingPathComponent("data/storage/team/files/upload").path
            #expect((try? FileManager.default.contentsOfDirectory(atPath: storage + "/executions"))?.isEmpty ?? true)

            let created = try await post([("doc", "notes.txt", "hello from a file"), ("title", nil, "Notes")])
            #expect(created.status == .seeOther)
            try Worker(runner: fixture.server.runner).fireDueWork()
            let id = String(try #require(created.headers[.location]).dropFirst("/executions/".count))
            #expect(try fixture.server.runner.database.execution(id)?.state == "SUCCESS")
            #expect(try fixture.server.runner.database.logs(of: id).map(\.line) == ["Notes: hello from a file"])
            #expect(
                try fixture.server.runner.database.execution(id)?.inputs.contains("kestra:///team/files/upload/executions/\(id)/inputs/doc/notes.txt")
                    == true)
        }
    }
}
