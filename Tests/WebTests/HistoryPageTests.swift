import Engine
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Store
import Testing

@testable import Web

@Suite("History page and exports")
struct HistoryPageTests {
    static let flow = """
        id: vm
        namespace: team.infra
        labels:
          env: prod
        inputs:
          - {id: note, type: STRING}
          - {id: token, type: SECRET, required: false}
        tasks:
          - {id: say, type: io.kestra.plugin.core.log.Log, message: hi}

        """
    static let password = "correct-horse-battery"

    func fixture() async throws -> ServerFixture {
        let fixture = try await ServerFixture(flows: ["vm.yaml": Self.flow])
        let accounts = fixture.server.accounts
        try accounts.addUser(name: "ada", roles: [.requester], email: nil, password: Self.password, by: "test")
        try accounts.addUser(name: "olga", roles: [.auditor], email: nil, password: Self.password, by: "test")
        try accounts.addUser(name: "root", roles: [.admin], email: nil, password: Self.password, by: "test")
        return fixture
    }

    func signIn(_ name: String, _ client: some TestClientProtocol) async throws -> Browser {
        let browser = Browser()
        let token = try #require(Browser.csrf(in: String(buffer: try await browser.get(client, "/sign-in").body)))
        let response = try await browser.post(client, "/sign-in", form: [("_csrf", token), ("name", name), ("password", Self.password)])
        #expect(response.status == .seeOther)
        return browser
    }

    /// Requests through the API, as a requester would: inputs are resolved and SECRET ones sealed by the engine.
    func request(_ client: some TestClientProtocol, token: String, _ fields: [(String, String)]) async throws -> String {
        let (type, body) = ExecutionAPITests.multipart(fields)
        let response = try await client.execute(
            uri: "/api/v1/executions/team.infra/vm", method: .post, headers: [.authorization: "Bearer \(token)", .contentType: type], body: body)
        #expect(response.status == .ok)
        return try #require(try ExecutionAPITests.object(response)["id"] as? String)
    }

    @Test("auditors and admins see the history and its link; a requester is refused and has no link; anonymous visitors sign in")
    func authorization() async throws {
        let fixture = try await fixture()
        try await Application(router: fixture.server.router()).test(.router) { client in
            let anonymous = try await client.execute(uri: "/history", method: .get)
            #expect(anonymous.status == .seeOther)
            #expect(anonymous.headers[.location]?.hasPrefix("/sign-in") == true)
            let ada = try await signIn("ada", client)
            for uri in ["/history", "/history.csv", "/history.json"] { #expect(try await ada.get(client, uri).status == .forbidden) }
            #expect(!String(buffer: try await ada.get(client, "/").body).contains(#"href="/history""#))
            for name in ["olga", "root"] {
                let browser = try await signIn(name, client)
                let page = try await browser.get(client, "/history")
                #expect(page.status == .ok)
                #expect(String(buffer: page.body).contains(#"<a href="/history">History</a>"#))
            }
        }
    }

    @Test("inputs are shown escaped, SECRET ones as ****** and never found by text; filters narrow the rows")
    func pageContent() async throws {
        let fixture = try await fixture()
        let ada = try fixture.server.accounts.createToken(for: "ada", name: "t", by: "test")
        try await Application(router: fixture.server.router()).test(.router) { client in
            let hostile = try await request(client, token: ada, [("note", "<script>alert(1)</script>"), ("token", "hunter2-secret")])
            let plain = try await request(client, token: ada, [("note", "quiet")])
            let olga = try await signIn("olga", client)
            let html = String(buffer: try await olga.get(client, "/history").body)
            #expect(html.contains(hostile) && html.contains(plain))
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!html.contains("<script>alert"))
            #expect(html.contains("token=******") && !html.contains("hunter2"))
            let stored = try #require(try fixture.server.runner.database.execution(hostile))
            #expect(stored.inputs.contains(SecretInputCipher.prefix) && !stored.inputs.contains("hunter2"))

            func ids(_ query: String) async throws -> [String] {
                let page = String(buffer: try await olga.get(client, "/history?" + query).body)
                return [hostile, plain].filter { page.contains("/executions/\($0)") }
            }
            #expect(try await ids("q=hunter2") == [])
            #expect(try await ids("q=SCRIPT") == [hostile])
            #expect(try await ids("q=quiet&requester=ada&flow=team.infra.vm&state=CREATED&label=env%3Dprod") == [plain])
            #expect(try await ids("requester=eve") == [])
            #expect(try await ids("state=SUCCESS&state=FAILED") == [])
            #expect(try await ids("from=2000-01-01&to=2999-12-31&sort=oldest") == [hostile, plain])
            #expect(try await ids("to=2000-01-01") == [])
            let damaged = String(buffer: try await olga.get(client, "/history?from=yesterday&after=zzz").body)
            #expect(damaged.contains("The start date `yesterday` is not YYYY-MM-DD."))
            #expect(damaged.contains("The page link is damaged"))
            #expect(try await olga.get(client, "/history.csv?from=yesterday").status == .badRequest)
        }
    }

    @Test("next and previous links walk 120 executions 50 at a time without gaps or repeats, keeping the filters")
    func paging() async throws {
        let fixture = try await fixture()
        let database = fixture.server.runner.database
        let start = Date(timeIntervalSince1970: 1_760_000_000)
        var inserted: [String] = []
        for index in 0..<120 {
            let id = String(format: "hist%03d", index)
            try database.createExecution(
                ExecutionRecord(
                    id: id, namespace: "team.infra", flowId: "vm", flowRevision: 1, state: "SUCCESS", inputs: "{}", labels: "{}",
                    requester: index % 2 == 0 ? "ada" : "bob", histories: "[]", createdAt: start.addingTimeInterval(Double(index / 3))),
                actor: "test")
            inserted.append(id)
        }
        let expected = Array(inserted.enumerated().filter { $0.offset % 2 == 0 }.map(\.element).reversed())
        try await Application(router: fixture.server.router()).test(.router) { client in
            let olga = try await signIn("olga", client)
            func page(_ uri: String) async throws -> (ids: [String], next: String?, previous: String?) {
                let html = String(buffer: try await olga.get(client, uri).body)
                let ids = html.matches(of: /href="\/executions\/(hist\d+)"/).map { String($0.1) }
                let next = html.firstMatch(of: /href="([^"]+)" rel="next"/).map { String($0.1) }
                let previous = html.firstMatch(of: /href="([^"]+)" rel="prev"/).map { String($0.1) }
                return (ids, next?.replacingOccurrences(of: "&amp;", with: "&"), previous?.replacingOccurrences(of: "&amp;", with: "&"))
            }
            var seen: [String] = []
            var uri: String? = "/history?requester=ada"
            var pages: [String] = []
            while let current = uri, pages.count < 5 {
                let result = try await page(current)
                seen += result.ids
                pages.append(current)
                uri = result.next
                if let next = result.next { #expect(next.contains("requester=ada")) }
            }
            #expect(pages.count == 2)
            #expect(seen == expected)
            let second = try await page(pages[1])
            let back = try #require(second.previous)
            #expect(try await page(back).ids == Array(expected.prefix(50)))
        }
    }

    @Test("CSV export is RFC 4180 and formula-safe; JSON export parses; both carry the filters and redact secrets")
    func exports() async throws {
        let fixture = try await fixture()
        let ada = try fixture.server.accounts.createToken(for: "ada", name: "t", by: "test")
        try await Application(router: fixture.server.router()).test(.router) { client in
            let id = try await request(client, token: ada, [("note", "a \"quoted\", line\nnext"), ("token", "hunter2-secret")])
            // A name from the trusted proxy is not checked like local names are; the export must stay safe regardless.
            try fixture.server.runner.database.createExecution(
                ExecutionRecord(
                    id: "formula1", namespace: "team.infra", flowId: "vm", flowRevision: 1, state: "FAILED", inputs: #"{"note":"x"}"#,
                    labels: "{}", requester: "=cmd|' /C calc'!A0", histories: "[]", createdAt: Date()),
                actor: "test")
            let olga = try await signIn("olga", client)
            let csvResponse = try await olga.get(client, "/history.csv?sort=oldest")
            #expect(csvResponse.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csvResponse.headers[.contentDisposition] == "attachment; filename=\"history.csv\"")
            let csv = String(buffer: csvResponse.body)
            let lines = csv.components(separatedBy: "\r\n")
            #expect(lines[0] == HistoryExport.csvColumns.map { "\"\($0)\"" }.joined(separator: ","))
            #expect(lines[1].hasPrefix("\"\(id)\",\"team.infra\",\"vm\",\"1\",\"CREATED\",\"ada\",\"\","))
            #expect(csv.contains(#"{""note"":""a \""quoted\"", line\nnext"",""token"":""******""}"#))
            #expect(csv.contains(#""formula1","team.infra","vm","1","FAILED","'=cmd|' /C calc'!A0","#))
            #expect(!csv.contains("hunter2") && !csv.contains(SecretInputCipher.prefix))
            #expect(csv.hasSuffix("\r\n") && lines.count == 4)
            #expect(String(buffer: try await olga.get(client, "/history.csv?state=FAILED").body).components(separatedBy: "\r\n").count == 3)

            let json = try await olga.get(client, "/history.json?requester=ada")
            #expect(json.headers[.contentType] == "application/json; charset=utf-8")
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(buffer: json.body)) as? [[String: Any]])
            #expect(rows.map { $0["id"] as? String } == [id])
            #expect((rows.first?["inputs"] as? [String: String]) == ["note": "a \"quoted\", line\nnext", "token": "******"])
            #expect((rows.first?["labels"] as? [String: String])?["env"] == "prod")
            let empty = try await olga.get(client, "/history.json?requester=nobody")
            #expect(try JSONSerialization.jsonObject(with: Data(buffer: empty.body)) as? [Any] != nil)
        }
    }

    @Test("CSV cells a spreadsheet would run as formulas get a leading quote", arguments: ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
    func formulaSafe(value: String) {
        #expect(HistoryExport.csvField(value) == "\"'" + value + "\"")
        #expect(HistoryExport.csvField("ok " + value) == "\"ok " + value + "\"")
    }

    @Test("timestamps read as ISO8601.format writes them", arguments: [0, 1_760_000_000.123, 1_700_000_000.999, 951_782_400.5, -86_400.25])
    func timestamps(seconds: Double) {
        let date = Date(timeIntervalSince1970: seconds)
        #expect(HistoryExport.timestamp(date) == ISO8601.format(date))
    }

    @Test("JSON strings are escaped like JSONSerialization's")
    func jsonStrings() throws {
        for text in ["plain", "quote \" back \\ slash", "line\nbreak\ttab\u{01}", "<script>é</script>"] {
            let parsed = try JSONSerialization.jsonObject(with: Data(("[" + HistoryExport.jsonString(text) + "]").utf8)) as? [String]
            #expect(parsed == [text])
        }
    }

    @Test("sealed values are redacted in stored JSON text, and nothing else is touched")
    func redaction() throws {
        let sealed = SecretInputCipher.prefix + "QUJD+/="
        let cases: [(String, String)] = [
            (#"{"a":"\#(sealed)","b":"x"}"#, #"{"a":"******","b":"x"}"#),
            (#"{"list":["\#(sealed)", "\#(sealed)"]}"#, #"{"list":["******", "******"]}"#),
            (#"{"note":"says \"\#(sealed)\" inside"}"#, #"{"note":"says \"\#(sealed)\" inside"}"#),
            (#"{"plain":"no secrets"}"#, #"{"plain":"no secrets"}"#), ("", ""),
        ]
        for (stored, expected) in cases { #expect(HistoryExport.redactedJSON(stored) == expected) }
    }
}
