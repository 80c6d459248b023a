import Foundation
import Testing

@testable import Web

@Suite("Durations as the pages write them")
struct DurationTextTests {
    @Test(
        "short durations are exact, long ones coarse, and every boundary rounds into the next unit",
        arguments: [
            (0, "0 ms"), (-3, "0 ms"), (Double.nan, "0 ms"), (0.0004, "0 ms"), (0.1234, "123 ms"), (0.9994, "999 ms"),
            (0.9996, "1.0 s"), (1.25, "1.3 s"), (9.94, "9.9 s"), (9.96, "10 s"), (59.4, "59 s"), (59.6, "1 min"),
            (65, "1 min 5 s"), (3599.6, "1 h"), (3661, "1 h 1 min"), (7200, "2 h"), (86_399.6, "1 d"),
            (2 * 86_400 + 4 * 3600 + 59, "2 d 4 h"), (400 * 86_400, "400 d"), (Double.infinity, "0 ms"),
        ] as [(Double, String)])
    func written(seconds: Double, expected: String) {
        #expect(DurationText.short(seconds) == expected)
    }
}
