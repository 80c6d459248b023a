import Foundation

/// One page of Hetzner Cloud's `GET /v1/server_types`, the fields the catalog needs.
package struct HetznerServerTypesPage: Decodable, Sendable {
    package var serverTypes: [APIServerType]
    package var nextPage: Int?

    package struct APIServerType: Decodable, Sendable {
        var name: String
        var description: String?
        var cores: Int
        var memory: Double
        var disk: Int
        var architecture: String?
        /// Older responses say `deprecated: true`; newer ones carry a `deprecation` object once one is announced.
        var deprecated: Bool?
        var deprecation: Deprecation?
        var prices: [APIPrice]
        /// Per-location availability (newer responses): a location with its own deprecation takes no new servers.
        var locations: [APILocation]?
    }

    struct Deprecation: Decodable, Sendable {}

    struct APILocation: Decodable, Sendable {
        var name: String
        var deprecation: Deprecation?
    }

    struct APIPrice: Decodable, Sendable {
        var location: String
        var priceHourly: Amount
        var priceMonthly: Amount

        enum CodingKeys: String, CodingKey {
            case location
            case priceHourly = "price_hourly"
            case priceMonthly = "price_monthly"
        }
    }

    /// Hetzner sends amounts as decimal strings (`"4.9900000000"`).
    struct Amount: Decodable, Sendable {
        var net: String
    }

    enum CodingKeys: String, CodingKey {
        case serverTypes = "server_types"
        case meta
    }

    enum MetaKeys: String, CodingKey { case pagination }
    enum PaginationKeys: String, CodingKey {
        case nextPage = "next_page"
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        serverTypes = try container.decode([APIServerType].self, forKey: .serverTypes)
        let meta = try? container.nestedContainer(keyedBy: MetaKeys.self, forKey: .meta)
        let pagination = try? meta?.nestedContainer(keyedBy: PaginationKeys.self, forKey: .pagination)
        nextPage = try pagination?.decodeIfPresent(Int.self, forKey: .nextPage)
    }
}

extension HetznerPrices {
    /// The catalog from the server types of every page: deprecated types and locations are left out, as are types
    /// without a price; amounts are net, rounded to 4 decimals as Hetzner quotes them.
    package init(apiPages pages: [HetznerServerTypesPage], source: String, date: String) throws {
        var types: [String: ServerType] = [:]
        for type in pages.flatMap(\.serverTypes) where type.deprecated != true && type.deprecation == nil {
            let retired = Set((type.locations ?? []).filter { $0.deprecation != nil }.map(\.name))
            var prices: [String: Price] = [:]
            for price in type.prices where !retired.contains(price.location) {
                prices[price.location] = Price(
                    hourly: try Self.amount(price.priceHourly.net, type: type.name), monthly: try Self.amount(price.priceMonthly.net, type: type.name)
                )
            }
            guard !prices.isEmpty else { continue }
            types[type.name] = ServerType(
                description: type.description ?? type.name.uppercased(), cores: type.cores, memoryGB: type.memory, diskGB: type.disk,
                architecture: type.architecture ?? "x86", prices: prices)
        }
        self.init(source: source, date: date, serverTypes: types)
    }

    private static func amount(_ text: String, type: String) throws -> Double {
        guard let value = Double(text), value.isFinite, value >= 0 else {
            throw HetznerCatalogError.invalidResponse(reason: "server type \(type) has the price `\(text)`, which is not a decimal number")
        }
        return (value * 10_000).rounded() / 10_000
    }
}
