import Engine
import Testing

@testable import Web

@Suite("Inputs summary on the history page")
struct InputsSummaryTests {
    static let sealed = SecretInputCipher.prefix + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldY"

    @Test(
        "the byte scan reads flat objects exactly as JSONSerialization does",
        arguments: [
            #"{}"#, #"{"name":"vm-1"}"#, #"{"b":"2","a":"1"}"#, #"{ "n" : 42 , "t" : true, "f": false, "z": null }"#,
            #"{"count":-7,"zero":0}"#, #"{"token":"\#(sealed)","name":"x"}"#, #"{"name":"日本語 é 👍🏽"}"#,
            #"{"reason":"ticket OPS-4242","backups":true,"serverType":"cx22"}"#,
        ])
    func fastPathAgrees(stored: String) throws {
        let fast = try #require(InputsSummary.flatPairs(stored))
        #expect(InputsSummary.summary(fast) == InputsSummary.summary(InputsSummary.parsedPairs(stored)))
        #expect(!InputsSummary.summary(fast).contains("QUJDREVG"))
    }

    @Test(
        "what the scan does not handle goes the general way and reads the same",
        arguments: [
            #"{"a":"line\nbreak"}"#, #"{"a":1.50}"#, #"{"a":1e3}"#, #"{"a":007}"#, #"{"a":[1,2]}"#, #"{"a":{"b":"\#(sealed)"}}"#,
            #"{"a":"1","a":"2"}"#, #"["a"]"#, #"{"a":"x"} trailing"#, #"not json"#, #""#, #"{"a":12345678901234567890}"#,
        ])
    func generalPath(stored: String) {
        #expect(InputsSummary.flatPairs(stored) == nil)
        #expect(InputsSummary.text(stored) == InputsSummary.summary(InputsSummary.parsedPairs(stored)))
        #expect(!InputsSummary.text(stored).contains("QUJDREVG"))
    }

    @Test("a long summary is cut to one line of 120 characters")
    func cut() {
        let text = InputsSummary.text(#"{"a":"\#(String(repeating: "x", count: 300))"}"#)
        #expect(text.count == 120 && text.hasSuffix("…"))
    }
}
