import Foundation
import Notify

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why the price catalog could not be refreshed. Messages never contain the API token.
package enum HetznerCatalogError: Error, Equatable, CustomStringConvertible {
    case invalidAPI(String)
    case httpStatus(url: String, status: Int, detail: String)
    case invalidResponse(reason: String)
    case tooManyPages(Int)
    case emptyCatalog(url: String)

    package var description: String {
        switch self {
        case .invalidAPI(let api):
            "`\(api)` is not an http:// or https:// URL for the Hetzner Cloud API"
        case .httpStatus(let url, let status, let detail):
            status == 401
                ? "\(url) answered 401 Unauthorized: the token in HCLOUD_TOKEN was refused (\(detail))"
                : "\(url) answered HTTP \(status): \(detail)"
        case .invalidResponse(let reason):
            "the Hetzner API answered something unexpected: \(reason)"
        case .tooManyPages(let limit):
            "the Hetzner API listed more than \(limit) pages of server types; stopped"
        case .emptyCatalog(let url):
            "\(url) listed no server type with a price; the catalog was left as it was"
        }
    }
}

/// Fetches the server types from the Hetzner Cloud API (`gatehouse hetzner catalog refresh`) and writes the catalog.
package struct HetznerCatalogRefresh: Sendable {
    package static let defaultAPI = "https://api.hetzner.cloud/v1"
    /// Far more than Hetzner has (a few dozen types, 50 a page); a bound so a looping `next_page` cannot run forever.
    static let maxPages = 50

    package var api: String
    package var token: String

    package init(api: String = Self.defaultAPI, token: String) {
        self.api = api.hasSuffix("/") ? String(api.dropLast()) : api
        self.token = token
    }

    /// Reads every page of `/server_types` and converts them, dated `now` (UTC).
    package func fetch(now: Date = Date()) async throws -> HetznerPrices {
        guard let scheme = URL(string: api)?.scheme?.lowercased(), ["http", "https"].contains(scheme) else {
            throw HetznerCatalogError.invalidAPI(api)
        }
        var pages: [HetznerServerTypesPage] = []
        var page: Int? = 1
        while let number = page {
            guard pages.count < Self.maxPages else { throw HetznerCatalogError.tooManyPages(Self.maxPages) }
            let next = try await fetchPage(number)
            pages.append(next)
            page = next.nextPage.flatMap { $0 > number ? $0 : nil }
        }
        let day = ISO8601DateFormatter.string(from: now, timeZone: TimeZone(identifier: "UTC")!, formatOptions: [.withFullDate])
        let source = "Hetzner Cloud API \(api)/server_types on \(day); refresh with `gatehouse hetzner catalog refresh`"
        let prices = try HetznerPrices(apiPages: pages, source: source, date: day)
        guard !prices.serverTypes.isEmpty else { throw HetznerCatalogError.emptyCatalog(url: "\(api)/server_types") }
        return prices
    }

    private func fetchPage(_ number: Int) async throws -> HetznerServerTypesPage {
        let url = "\(api)/server_types?page=\(number)&per_page=50"
        let response = try await OutboundHTTP.send(
            OutboundRequest(
                url: url, headers: [("Authorization", "Bearer \(token)"), ("Accept", "application/json")], connectTimeout: .seconds(10),
                readIdleTimeout: .seconds(30)))
        let shown = OutboundHTTP.displayURL(url)
        guard response.status == 200 else {
            throw HetznerCatalogError.httpStatus(url: shown, status: response.status, detail: Self.errorDetail(response.body))
        }
        do {
            return try JSONDecoder().decode(HetznerServerTypesPage.self, from: Data(response.body))
        } catch {
            throw HetznerCatalogError.invalidResponse(reason: "page \(number) of \(shown) is not a server type list (\(error))")
        }
    }

    /// Hetzner's error body is `{"error": {"code": "...", "message": "..."}}`; anything else is summarised by its size.
    static func errorDetail(_ body: [UInt8]) -> String {
        struct Envelope: Decodable {
            struct Detail: Decodable {
                var code: String
                var message: String
            }
            var error: Detail
        }
        if let envelope = try? JSONDecoder().decode(Envelope.self, from: Data(body)) {
            return "\(envelope.error.code): \(envelope.error.message)"
        }
        return "a body of \(body.count) bytes"
    }

    /// Writes the catalog to `url` through a temporary file in the same folder and a rename, so a reader never sees half
    /// a file and a failed refresh leaves the old catalog in place.
    package static func write(_ prices: HetznerPrices, to url: URL) throws {
        let folder = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try prices.encoded().write(to: temporary)
            guard rename(temporary.path, url.path) == 0 else {
                throw CocoaError(
                    .fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path, NSLocalizedDescriptionKey: String(cString: strerror(errno))])
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }
}
