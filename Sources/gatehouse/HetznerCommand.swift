import ArgumentParser
import Engine
import Foundation

/// `gatehouse hetzner catalog refresh`: rewrites the Hetzner price catalog from the Hetzner Cloud API.
struct HetznerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hetzner",
        abstract: "Hetzner Cloud helpers.",
        subcommands: [Catalog.self]
    )

    struct Catalog: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The price catalog of server types and locations.",
            subcommands: [Refresh.self]
        )
    }

    struct Refresh: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fetch current server types and net prices from the Hetzner Cloud API and write the catalog.",
            discussion: """
                Reads the API token from HCLOUD_TOKEN (a read-only token is enough). Deprecated server types are left out. \
                The file is replaced atomically, so a failed refresh keeps the old catalog. \
                Exit status: 0 when written, 1 when the API call failed, 2 for usage errors and a missing token.
                """
        )

        @Option(name: .long, help: "Where to write the catalog.")
        var output = "terraform/hetzner-vm/prices.json"

        @Option(name: .long, help: "The Hetzner Cloud API base URL.")
        var api = HetznerCatalogRefresh.defaultAPI

        func run() async throws {
            guard let token = ProcessInfo.processInfo.environment["HCLOUD_TOKEN"], !token.isEmpty else {
                throw ValidationError(
                    "HCLOUD_TOKEN is not set: create an API token in the Hetzner Cloud Console (project → Security → API tokens) and "
                        + "run `HCLOUD_TOKEN=… gatehouse hetzner catalog refresh`")
            }
            let destination = URL(fileURLWithPath: output)
            do {
                let prices = try await HetznerCatalogRefresh(api: api, token: token).fetch()
                try HetznerCatalogRefresh.write(prices, to: destination)
                let locations = Set(prices.serverTypes.values.flatMap(\.prices.keys))
                print(
                    "wrote \(prices.serverTypes.count) server types in \(locations.count) locations (\(locations.sorted().joined(separator: ", "))) "
                        + "to \(output), prices of \(prices.date)")
            } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
    }
}
