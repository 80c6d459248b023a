import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import Synchronization

/// One HTTP request as the `http.Request` task and the Slack webhook send it.
package struct OutboundRequest: Sendable {
    package var url: String
    package var method: String
    /// In the order given; a name may repeat.
    package var headers: [(name: String, value: String)]
    package var body: [UInt8]?
    package var followRedirects: Bool
    /// The time allowed to open the connection (and the TLS handshake); AsyncHTTPClient's default, 10 s, when nil.
    package var connectTimeout: Duration?
    /// The time allowed without a byte from the server, while waiting for the response and while reading it.
    package var readIdleTimeout: Duration?
    /// A larger response fails instead of filling memory.
    package var maxResponseBytes: Int
    /// Skip certificate verification (Kestra's `insecureTrustAllCertificates`).
    package var trustAllCertificates: Bool

    package init(
        url: String, method: String = "GET", headers: [(name: String, value: String)] = [], body: [UInt8]? = nil,
        followRedirects: Bool = true, connectTimeout: Duration? = nil, readIdleTimeout: Duration? = nil,
        maxResponseBytes: Int = OutboundHTTP.defaultMaxResponseBytes, trustAllCertificates: Bool = false
    ) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
        self.followRedirects = followRedirects
        self.connectTimeout = connectTimeout
        self.readIdleTimeout = readIdleTimeout
        self.maxResponseBytes = maxResponseBytes
        self.trustAllCertificates = trustAllCertificates
    }
}

/// A complete response: status, headers as received, and the whole body.
package struct OutboundResponse: Sendable {
    package let status: Int
    package let headers: [(name: String, value: String)]
    package let body: [UInt8]

    /// The body as text; bytes that are not UTF-8 become U+FFFD.
    package var text: String { String(decoding: body, as: UTF8.self) }

    /// Kestra's shape for response headers: each name (lowercased, as HTTP/2 writes them) with all its values in order.
    package var headerValues: [(name: String, values: [String])] {
        var order: [String] = []
        var values: [String: [String]] = [:]
        for header in headers {
            let name = header.name.lowercased()
            if values[name] == nil { order.append(name) }
            values[name, default: []].append(header.value)
        }
        return order.map { ($0, values[$0] ?? []) }
    }
}

/// Why a request got no usable response. The URL in messages never carries its query or user info, which may hold
/// credentials.
package enum OutboundHTTPError: Error, Equatable, CustomStringConvertible {
    case invalidURL(String)
    case connectTimeout(url: String, after: Duration?)
    case readTimeout(url: String, after: Duration?)
    case responseTooLarge(url: String, limit: Int)
    case tooManyRedirects(url: String)
    case failed(url: String, reason: String)

    package var description: String {
        switch self {
        case .invalidURL(let url):
            "`\(url)` is not a valid http:// or https:// URL"
        case .connectTimeout(let url, let after):
            "could not connect to \(url) within \(after.map(Self.seconds) ?? "10 s") (connectTimeout)"
        case .readTimeout(let url, let after):
            "\(url) sent nothing for \(after.map(Self.seconds) ?? "the read timeout") (readIdleTimeout)"
        case .responseTooLarge(let url, let limit):
            "the response from \(url) is larger than the limit of \(limit) bytes; the request failed"
        case .tooManyRedirects(let url):
            "\(url) redirected too many times or in a cycle"
        case .failed(let url, let reason):
            "the request to \(url) failed: \(reason)"
        }
    }

    static func seconds(_ duration: Duration) -> String {
        let components = duration.components
        let value = Double(components.seconds) + Double(components.attoseconds) / 1e18
        return value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }
}

/// Sends HTTP requests through AsyncHTTPClient clients shared by the whole process.
///
/// AsyncHTTPClient fixes redirect handling and timeouts per client, not per request, so there is one shared client per
/// distinct (followRedirects, connectTimeout, readIdleTimeout) a flow uses: a handful in practice. They live as long as
/// the process, on the library's shared event loop group, and are never shut down.
package enum OutboundHTTP {
    /// 10 MiB, the limit Kestra's HTTP client has always had (`maxContentLength`).
    package static let defaultMaxResponseBytes = 10 * 1024 * 1024
    /// Redirects followed at most, as browsers and Kestra's client allow.
    static let maxRedirects = 10

    private struct ClientKey: Hashable {
        let followRedirects: Bool
        let connectTimeout: Duration?
        let readIdleTimeout: Duration?
    }

    private static let clients = Mutex<[ClientKey: HTTPClient]>([:])

    private static func client(for key: ClientKey) -> HTTPClient {
        clients.withLock { clients in
            if let client = clients[key] { return client }
            var configuration = HTTPClient.Configuration(
                redirectConfiguration: key.followRedirects ? .follow(max: maxRedirects, allowCycles: false) : .disallow,
                timeout: .init(connect: key.connectTimeout.map(TimeAmount.init), read: key.readIdleTimeout.map(TimeAmount.init))
            )
            configuration.httpVersion = .automatic
            let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
            clients[key] = client
            return client
        }
    }

    /// Sends the request and reads the whole response, failing when it passes `maxResponseBytes`. Cancelling the calling
    /// task cancels the request.
    package static func send(_ request: OutboundRequest) async throws -> OutboundResponse {
        let shown = displayURL(request.url)
        guard let parsed = URL(string: request.url), let scheme = parsed.scheme?.lowercased(), ["http", "https"].contains(scheme),
            parsed.host?.isEmpty == false
        else { throw OutboundHTTPError.invalidURL(shown) }

        var outbound = HTTPClientRequest(url: request.url)
        outbound.method = HTTPMethod(rawValue: request.method.uppercased())
        for header in request.headers { outbound.headers.add(name: header.name, value: header.value) }
        if let body = request.body { outbound.body = .bytes(body) }
        if request.trustAllCertificates {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.certificateVerification = .none
            outbound.tlsConfiguration = tls
        }
        let key = ClientKey(
            followRedirects: request.followRedirects, connectTimeout: request.connectTimeout, readIdleTimeout: request.readIdleTimeout)
        do {
            // The deadline only bounds the wait for the response head; the client's idle read timeout guards each read.
            let response = try await client(for: key).execute(outbound, timeout: .hours(24))
            if let length = response.headers.first(name: "content-length").flatMap(Int.init), length > request.maxResponseBytes {
                throw OutboundHTTPError.responseTooLarge(url: shown, limit: request.maxResponseBytes)
            }
            var body: [UInt8] = []
            for try await chunk in response.body {
                guard body.count + chunk.readableBytes <= request.maxResponseBytes else {
                    throw OutboundHTTPError.responseTooLarge(url: shown, limit: request.maxResponseBytes)
                }
                body.append(contentsOf: chunk.readableBytesView)
            }
            return OutboundResponse(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) }, body: body)
        } catch let error as OutboundHTTPError {
            throw error
        } catch let error as HTTPClientError {
            switch error {
            case .connectTimeout, .tlsHandshakeTimeout: throw OutboundHTTPError.connectTimeout(url: shown, after: request.connectTimeout)
            case .readTimeout: throw OutboundHTTPError.readTimeout(url: shown, after: request.readIdleTimeout)
            case .redirectLimitReached, .redirectCycleDetected: throw OutboundHTTPError.tooManyRedirects(url: shown)
            case .invalidURL, .emptyHost, .emptyScheme: throw OutboundHTTPError.invalidURL(shown)
            default: throw OutboundHTTPError.failed(url: shown, reason: error.shortDescription)
            }
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw OutboundHTTPError.failed(url: shown, reason: "\(error)")
        }
    }

    /// The URL without user info, query or fragment, for messages and logs.
    package static func displayURL(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.host != nil else {
            return String(url.prefix { $0 != "?" && $0 != "#" })
        }
        components.user = nil
        components.password = nil
        components.query = nil
        components.fragment = nil
        return components.string ?? url
    }
}
