import Foundation
import Hummingbird

/// The fields of an `application/x-www-form-urlencoded` body, in order, with repeated names kept.
struct FormFields: Sendable {
    let pairs: [(name: String, value: String)]

    subscript(name: String) -> String? { pairs.first { $0.name == name }?.value }

    func all(_ name: String) -> [String] { pairs.filter { $0.name == name }.map(\.value) }

    init(pairs: [(name: String, value: String)]) { self.pairs = pairs }

    init(_ text: String) {
        pairs = text.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map {
                $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            return (parts[0], parts.count > 1 ? parts[1] : "")
        }
    }

    static func read(_ request: Request, limit: Int = 1 << 20) async throws -> FormFields {
        FormFields(String(buffer: try await request.body.collect(upTo: limit)))
    }
}
