import Engine
import Foundation
import Testing

/// SplitMix64: a tiny seeded generator, so generated ids can be compared across runs.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Returns the given words in order, so a test controls the exact 128 bits of an id.
private struct FixedWords: RandomNumberGenerator {
    var words: [UInt64]

    mutating func next() -> UInt64 {
        words.removeFirst()
    }
}

@Suite("Execution ids")
struct ExecutionIDTests {
    @Test("A generated id is 22 base62 characters")
    func shape() {
        let base62 = Set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        for _ in 0..<100 {
            let id = ExecutionID.generate()
            #expect(id.rawValue.count == 22)
            #expect(id.rawValue.allSatisfy(base62.contains), "\(id)")
        }
    }

    @Test("10,000 generated ids are all different")
    func uniqueness() {
        let ids = Set((0..<10_000).map { _ in ExecutionID.generate() })
        #expect(ids.count == 10_000)
    }

    @Test("The same seed gives the same ids, a different seed different ones")
    func deterministic() {
        var first = SplitMix64(state: 42)
        var second = SplitMix64(state: 42)
        var other = SplitMix64(state: 43)
        let a = (0..<5).map { _ in ExecutionID.generate(using: &first) }
        let b = (0..<5).map { _ in ExecutionID.generate(using: &second) }
        let c = (0..<5).map { _ in ExecutionID.generate(using: &other) }
        #expect(a == b)
        #expect(Set(a).isDisjoint(with: c))
    }

    @Test(
        "The 128 bits are written in base62, most significant digit first, padded with zeros",
        arguments: [
            // high 64 bits, low 64 bits, expected id (checked with Python's arbitrary-precision integers)
            (UInt64(0), UInt64(0), "0000000000000000000000"),
            (0, 61, "000000000000000000000z"),
            (0, 62, "0000000000000000000010"),
            (1, 0, "00000000000LygHa16AHYG"),
            (0x0123_4567_89AB_CDEF, 0xFEDC_BA98_7654_3210, "0296tiiBb3UUmdjYQ3ySu0"),
            (.max, .max, "7n42DGM5Tflk9n8mt7Fhc7"),
        ]
    )
    func encoding(high: UInt64, low: UInt64, expected: String) {
        var generator = FixedWords(words: [high, low])
        #expect(ExecutionID.generate(using: &generator).rawValue == expected)
    }

    @Test(
        "Parsing accepts 1 to 22 base62 characters, including Kestra's unpadded ids",
        arguments: [
            ("4wjtkzwVGBM9yKnjm3yv8r", true),
            ("7n42DGM5Tflk9n8mt7Fhc", true),
            ("a", true),
            ("", false),
            ("0000000000000000000000z", false),
            ("4wjtkzwVGBM9yKnjm3yv8-", false),
            ("4wjtkzwVGBM9 Knjm3yv8r", false),
            ("é", false),
        ]
    )
    func parsing(text: String, valid: Bool) {
        #expect((ExecutionID(text) != nil) == valid)
    }

    @Test("Encodes as a plain JSON string and refuses to decode a malformed one")
    func codable() throws {
        let id = try #require(ExecutionID("4wjtkzwVGBM9yKnjm3yv8r"))
        let data = try JSONEncoder().encode([id])
        #expect(String(decoding: data, as: UTF8.self) == #"["4wjtkzwVGBM9yKnjm3yv8r"]"#)
        #expect(try JSONDecoder().decode([ExecutionID].self, from: data) == [id])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([ExecutionID].self, from: Data(#"["not/an/id"]"#.utf8))
        }
    }
}
