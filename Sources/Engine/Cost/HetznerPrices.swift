import Foundation

/// The Hetzner Cloud price catalog (`terraform/hetzner-vm/prices.json`): net prices per server type and location, with
/// the date and source they come from. The request form, the approval page and My VMs show costs from it.
package struct HetznerPrices: Codable, Sendable, Equatable {
    /// Where the figures come from and how to refresh them.
    package var source: String
    /// The day the prices were valid, `YYYY-MM-DD`.
    package var date: String
    package var currency: String
    /// `excluded`: Hetzner quotes net prices; VAT depends on the customer.
    package var vat: String
    /// Caveats of a hand-compiled catalog; a refresh from the API has none.
    package var notes: String?
    /// By server type name (`cx23`).
    package var serverTypes: [String: ServerType]

    package struct ServerType: Codable, Sendable, Equatable {
        package var description: String
        package var cores: Int
        package var memoryGB: Double
        package var diskGB: Int
        /// `x86` or `arm`.
        package var architecture: String
        /// By location name (`fsn1`); a type is orderable only where it has a price.
        package var prices: [String: Price]

        package init(description: String, cores: Int, memoryGB: Double, diskGB: Int, architecture: String, prices: [String: Price]) {
            self.description = description
            self.cores = cores
            self.memoryGB = memoryGB
            self.diskGB = diskGB
            self.architecture = architecture
            self.prices = prices
        }
    }

    /// Hetzner bills by the started hour up to a monthly cap.
    package struct Price: Codable, Sendable, Equatable {
        package var hourly: Double
        package var monthly: Double

        package init(hourly: Double, monthly: Double) {
            self.hourly = hourly
            self.monthly = monthly
        }
    }

    package init(
        source: String, date: String, currency: String = "EUR", vat: String = "excluded", notes: String? = nil, serverTypes: [String: ServerType]
    ) {
        self.source = source
        self.date = date
        self.currency = currency
        self.vat = vat
        self.notes = notes
        self.serverTypes = serverTypes
    }

    /// Reads a catalog file.
    package static func load(from url: URL) throws -> HetznerPrices {
        try JSONDecoder().decode(HetznerPrices.self, from: Data(contentsOf: url))
    }

    /// The catalog as the file holds it: keys sorted, so a refresh shows as a small diff.
    package func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }

    /// The price of a type in a location, nil when the catalog does not offer it there.
    package func price(serverType: String, location: String) -> Price? {
        serverTypes[serverType]?.prices[location]
    }

    /// What a server costs for `hours` of existence within one month, as Hetzner bills it: every started hour counts in
    /// full, and the total never passes the monthly cap (`min(monthly, hourly × ⌈hours⌉)`). Nil for an unknown type or
    /// location; a month (about 730 hours) gives the monthly price.
    package func monthlyCost(serverType: String, location: String, hours: Double) -> Double? {
        guard let price = price(serverType: serverType, location: location) else { return nil }
        guard hours > 0 else { return 0 }
        return min(price.monthly, price.hourly * hours.rounded(.up))
    }
}
