import ArgumentParser
import Foundation
import Web

/// `GATEHOUSE_WORKERS`, read the same way by `serve` and `worker`: unset means 4; anything but a whole number of at
/// least 1 stops the command with a message naming the variable, instead of quietly running with 4.
enum WorkersSetting {
    static let variable = "GATEHOUSE_WORKERS"
    static let defaultCount = 4

    static func count(in environment: [String: String]) throws -> Int {
        guard let raw = environment[variable] else { return defaultCount }
        guard let count = Int(raw.trimmingCharacters(in: .whitespaces)), count >= 1 else {
            throw ValidationError("\(ConfigurationError.invalidValue(variable: variable, value: raw, expected: "a whole number of at least 1"))")
        }
        return count
    }
}
