import Foundation
import Testing

@testable import Engine

/// The Hetzner price catalog: conversion from the API's server type list, cost as Hetzner bills it, and the shipped file.
@Suite("Hetzner prices")
struct HetznerPricesTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// A `GET /v1/server_types` answer in the shape of Hetzner's API reference (string amounts, `deprecation` objects,
    /// per-location deprecations), written by hand: no token is available to record a live one here.
    static let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/hetzner/server_types.json")

    static func catalog(_ entries: [String: HetznerPrices.Price]) -> HetznerPrices {
        HetznerPrices(
            source: "test", date: "2026-11-24",
            serverTypes: ["cx23": .init(description: "CX23", cores: 2, memoryGB: 4, diskGB: 40, architecture: "x86", prices: entries)])
    }

    @Test("the API answer becomes the catalog: net string amounts, no deprecated types or locations")
    func conversion() throws {
        let page = try JSONDecoder().decode(HetznerServerTypesPage.self, from: Data(contentsOf: Self.sample))
        #expect(page.nextPage == nil)
        let prices = try HetznerPrices(apiPages: [page], source: "Hetzner Cloud API", date: "2026-11-24")

        #expect(prices.currency == "EUR" && prices.vat == "excluded" && prices.date == "2026-11-24" && prices.notes == nil)
        #expect(Set(prices.serverTypes.keys) == ["cx23", "cax11", "cpx22"])
        #expect(
            prices.serverTypes["cx23"]
                == .init(
                    description: "CX23", cores: 2, memoryGB: 4, diskGB: 40, architecture: "x86",
                    prices: ["fsn1": .init(hourly: 0.0048, monthly: 2.99), "nbg1": .init(hourly: 0.0048, monthly: 2.99)]))
        #expect(prices.serverTypes["cax11"]?.architecture == "arm")
        #expect(prices.serverTypes["cax11"].map { Set($0.prices.keys) } == ["fsn1"])
        // Amounts are rounded to 4 decimals, as Hetzner quotes them.
        #expect(prices.price(serverType: "cpx22", location: "ash") == .init(hourly: 0.0132, monthly: 8.49))
    }

    @Test("a price that is not a number is an error naming the server type")
    func badAmount() throws {
        let text = try String(contentsOf: Self.sample, encoding: .utf8).replacingOccurrences(of: "\"8.4900000000\"", with: "\"8,49\"")
        let page = try JSONDecoder().decode(HetznerServerTypesPage.self, from: Data(text.utf8))
        #expect(throws: HetznerCatalogError.invalidResponse(reason: "server type cpx22 has the price `8,49`, which is not a decimal number")) {
            try HetznerPrices(apiPages: [page], source: "", date: "")
        }
    }

    @Test(
        "cost counts every started hour and stops at the monthly cap",
        arguments: [
            (0.0, 0.0), (0.01, 0.0048), (1.0, 0.0048), (10.5, 0.0528), (100.0, 0.48), (621.5, 2.9856), (622.0, 2.9856), (622.1, 2.99),
            (730.0, 2.99),
        ])
    func cost(hours: Double, expected: Double) throws {
        let catalog = Self.catalog(["fsn1": .init(hourly: 0.0048, monthly: 2.99)])
        let cost = try #require(catalog.monthlyCost(serverType: "cx23", location: "fsn1", hours: hours))
        #expect(abs(cost - expected) < 1e-9, "\(hours) h cost \(cost)")
    }

    @Test("an unknown type or location has no cost")
    func unknown() {
        let catalog = Self.catalog(["fsn1": .init(hourly: 0.0048, monthly: 2.99)])
        #expect(catalog.monthlyCost(serverType: "cx99", location: "fsn1", hours: 1) == nil)
        #expect(catalog.monthlyCost(serverType: "cx23", location: "sin", hours: 1) == nil)
    }

    @Test("the catalog survives a write and a read unchanged, with sorted keys")
    func roundTrip() throws {
        let catalog = Self.catalog(["fsn1": .init(hourly: 0.0048, monthly: 2.99), "hel1": .init(hourly: 0.0061, monthly: 3.79)])
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-prices-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("prices.json")
        try HetznerCatalogRefresh.write(catalog, to: file)
        #expect(try HetznerPrices.load(from: file) == catalog)
        let text = try String(contentsOf: file, encoding: .utf8)
        let keys = text.matches(of: /\n  "(\w+)"/).map { String($0.1) }
        #expect(keys == keys.sorted() && keys.contains("serverTypes"))
    }

    @Test("the shipped catalog reads, says where it comes from, and prices every type sensibly; the fixture module shares it")
    func shipped() throws {
        let file = Self.repository.appendingPathComponent("terraform/hetzner-vm/prices.json")
        let prices = try HetznerPrices.load(from: file)
        #expect(prices.currency == "EUR" && prices.vat == "excluded")
        #expect(prices.date.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil)
        #expect(prices.source.contains("gatehouse hetzner catalog refresh"))
        #expect(prices.serverTypes.count >= 8)
        for (name, type) in prices.serverTypes {
            #expect(name.wholeMatch(of: /[a-z]+[0-9]+/) != nil && type.cores > 0 && type.memoryGB > 0 && type.diskGB > 0, "\(name)")
            #expect(["x86", "arm"].contains(type.architecture), "\(name)")
            #expect(!type.prices.isEmpty, "\(name)")
            for (location, price) in type.prices {
                // A month of hourly billing always reaches the cap; a single hour never does.
                #expect(price.hourly > 0 && price.hourly < price.monthly && price.hourly * 730 >= price.monthly, "\(name) in \(location)")
            }
        }
        // A copy, not a link: namespace files skip links inside a namespace's folder, and read() refuses them.
        let fixture = Self.repository.appendingPathComponent("Tests/WebTests/Fixtures/namespace-files/hetzner/hetzner-vm/prices.json")
        #expect(
            try HetznerPrices.load(from: fixture) == prices,
            "the fixture module's prices.json differs: cp terraform/hetzner-vm/prices.json \(fixture.deletingLastPathComponent().path)/")
    }
}
