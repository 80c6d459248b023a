import FlowModel
import Foundation
import Notify
import Pebble

/// Kestra's `io.kestra.plugin.core.http.Request` (KESTRA.md §5.3): one HTTP request; outputs `uri`, `code`, `headers`
/// (each name, lowercased, with its list of values) and `body` (text, never parsed).
enum HTTPRequestTask {
    /// Kestra's default `readIdleTimeout` (PT5M).
    static let defaultReadIdleTimeout: Duration = .seconds(300)
    /// How much of an error response's body a failure message quotes.
    static let quotedBodyLimit = 2000

    static func run(_ task: Task, engine: PebbleEngine, variables: PebbleMap, context: AttemptContext) -> TaskResult {
        var result = TaskResult()
        do {
            let properties = RenderedProperties(task: task, engine: engine, variables: variables)
            let (request, allowFailed) = try makeRequest(properties)
            guard let response = context.runBlocking(&result, { try await OutboundHTTP.send(request) }) else { return result }
            let shown = OutboundHTTP.displayURL(request.url)
            result.logs.append(("INFO", "\(request.method) \(shown) answered \(response.status) (\(response.body.count) bytes)"))
            result.outputs["uri"] = .string(request.url)
            result.outputs["code"] = .int(Int64(response.status))
            result.outputs["headers"] = .map(PebbleMap(response.headerValues.map { ($0.name, .list($0.values.map(PebbleValue.string))) }))
            result.outputs["body"] = .string(response.text)
            if response.status >= 400 && !allowFailed {
                let body = response.text
                let quoted = body.count > quotedBodyLimit ? body.prefix(quotedBodyLimit) + "… (\(body.utf8.count) bytes in all)" : body
                result.failed =
                    "Failed http request with response code '\(response.status)'" + (body.isEmpty ? "" : " and body:\n\(quoted)")
                    + "\n(set `allowFailed: true` to accept error codes)"
            }
        } catch {
            result.failed = "\(error)"
        }
        return result
    }

    /// The request the task describes, and whether an error status is accepted (`allowFailed`, also under `options`).
    static func makeRequest(_ properties: RenderedProperties) throws -> (OutboundRequest, allowFailed: Bool) {
        let options = try properties.value("options")?.mapValue ?? PebbleMap()
        let option = { (path: String) -> PebbleValue? in
            path.split(separator: ".").reduce(PebbleValue?.some(.map(options))) { value, key in value?.mapValue?[String(key)] }
        }
        if try properties.bool("encryptBody") == true {
            throw PropertyError("`encryptBody` is not supported by Gatehouse: it has no encryption key; remove it (outputs are masked)")
        }

        var request = OutboundRequest(url: try properties.required("uri"))
        request.method = try properties.string("method")?.uppercased() ?? "GET"
        request.headers = try properties.stringPairs("headers")
        if let authorization = try authorization(options: options, option: option) {
            request.headers.removeAll { $0.name.lowercased() == "authorization" }
            request.headers.append(("Authorization", authorization))
        }
        try setBody(of: &request, properties)

        request.followRedirects = try PropertyReading.bool(option("followRedirects"), name: "options.followRedirects") ?? true
        request.connectTimeout =
            try PropertyReading.duration(option("timeout.connectTimeout"), name: "options.timeout.connectTimeout")
            ?? PropertyReading.duration(option("connectTimeout"), name: "options.connectTimeout")
        request.readIdleTimeout =
            try PropertyReading.duration(option("timeout.readIdleTimeout"), name: "options.timeout.readIdleTimeout")
            ?? PropertyReading.duration(option("readIdleTimeout"), name: "options.readIdleTimeout")
            ?? PropertyReading.duration(option("readTimeout"), name: "options.readTimeout") ?? defaultReadIdleTimeout
        if let limit = try PropertyReading.int(option("maxContentLength"), name: "options.maxContentLength") {
            guard limit > 0 else { throw PropertyError("`options.maxContentLength` must be positive, but is \(limit)") }
            request.maxResponseBytes = limit
        }
        let sslOptions = try properties.value("sslOptions")
        request.trustAllCertificates =
            try PropertyReading.bool(option("ssl.insecureTrustAllCertificates"), name: "options.ssl.insecureTrustAllCertificates")
            ?? PropertyReading.bool(sslOptions?.mapValue?["insecureTrustAllCertificates"], name: "sslOptions.insecureTrustAllCertificates")
            ?? false
        let allowFailed =
            try properties.bool("allowFailed") ?? PropertyReading.bool(option("allowFailed"), name: "options.allowFailed") ?? false
        return (request, allowFailed)
    }

    /// `options.auth` (`{type: BASIC, username, password}` or `{type: BEARER, token}`), or the older
    /// `options.basicAuthUser` / `basicAuthPassword`.
    private static func authorization(options: PebbleMap, option: (String) -> PebbleValue?) throws -> String? {
        let basic = { (user: String, password: String) in "Basic " + Data("\(user):\(password)".utf8).base64EncodedString() }
        if let auth = options["auth"] {
            guard let map = auth.mapValue else { throw PropertyError("`options.auth` must be a map with a `type`") }
            let type = map["type"]?.rendered.uppercased() ?? ""
            switch type {
            case "BASIC":
                return basic(map["username"]?.rendered ?? "", map["password"]?.rendered ?? "")
            case "BEARER":
                guard let token = map["token"]?.rendered, !token.isEmpty else {
                    throw PropertyError("`options.auth.token` is required for type BEARER")
                }
                return "Bearer " + token
            default:
                throw PropertyError("`options.auth.type` must be BASIC or BEARER, but is `\(type)`")
            }
        }
        if let user = option("basicAuthUser")?.rendered {
            return basic(user, option("basicAuthPassword")?.rendered ?? "")
        }
        return nil
    }

    /// `body` (text, or a map or list sent as JSON) or `formData` (URL-encoded, or multipart when `contentType` says so),
    /// with `contentType` as the `Content-Type` header.
    private static func setBody(of request: inout OutboundRequest, _ properties: RenderedProperties) throws {
        var contentType = try properties.string("contentType")
        let body = try properties.value("body")
        let form = try properties.stringPairs("formData")
        if body != nil && !form.isEmpty { throw PropertyError("set either `body` or `formData`, not both") }
        switch body {
        case .string(let text)?:
            request.body = Array(text.utf8)
        case let value?:
            request.body = Array(value.json.utf8)
            contentType = contentType ?? "application/json"
        case nil where !form.isEmpty:
            if contentType?.lowercased().hasPrefix("multipart/form-data") == true {
                let multipart = FormData.multipart(form)
                request.body = multipart.body
                contentType = multipart.contentType
            } else {
                request.body = FormData.urlEncoded(form)
                contentType = contentType ?? "application/x-www-form-urlencoded"
            }
        case nil:
            break
        }
        if let contentType {
            request.headers.removeAll { $0.name.lowercased() == "content-type" }
            request.headers.append(("Content-Type", contentType))
        }
    }
}
