import FlowModel
import Testing

@Suite("ISO-8601 durations as Java's Duration.parse reads them")
struct ISODurationTests {
    @Test(
        "valid durations",
        arguments: [
            ("PT5M", 300.0), ("PT1H30M", 5_400), ("P1D", 86_400), ("P1DT2H", 93_600), ("PT0.5S", 0.5), ("pt10s", 10),
            ("-PT1M", -60), ("PT-30S", -30), ("P2DT3H4M5.25S", 183_845.25),
        ]
    )
    func valid(text: String, seconds: Double) throws {
        let duration = try #require(ISODuration(text))
        #expect(duration.totalSeconds == seconds)
        #expect(duration.text == text)
    }

    @Test("invalid durations", arguments: ["", "5m", "PT", "P", "P1W", "P1M", "P1Y", "PT1D", "P1H", "PT1.5M", "PT1S2M", "1H", "PTS", "P1DT"])
    func invalid(text: String) {
        #expect(ISODuration(text) == nil)
    }

    @Test("durations compare by length, not by text")
    func comparison() throws {
        #expect(try #require(ISODuration("PT60S")) == #require(ISODuration("PT1M")))
        #expect(try #require(ISODuration("PT59S")) < #require(ISODuration("PT1M")))
    }
}
