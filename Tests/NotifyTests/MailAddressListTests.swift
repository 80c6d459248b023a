import Notify
import Testing

@Suite("Mail address lists")
struct MailAddressListTests {
    @Test(
        "Kestra's to/cc strings split on ';' or ',', trimmed, empties dropped",
        arguments: [
            ("", []),
            ("   ", []),
            (";;, ;", []),
            ("ops@example.com", ["ops@example.com"]),
            ("  ops@example.com  ", ["ops@example.com"]),
            ("a@example.com;b@example.com", ["a@example.com", "b@example.com"]),
            ("a@example.com, b@example.com", ["a@example.com", "b@example.com"]),
            ("a@example.com; b@example.com , c@example.com;", ["a@example.com", "b@example.com", "c@example.com"]),
            ("a@example.com;;b@example.com", ["a@example.com", "b@example.com"]),
            ("\ta@example.com\n;\r\nb@example.com", ["a@example.com", "b@example.com"]),
            ("Jane Doe <jane@example.com>; ops@example.com", ["Jane Doe <jane@example.com>", "ops@example.com"]),
            (#""Doe, Jane" <jane@example.com>, ops@example.com"#, [#""Doe, Jane" <jane@example.com>"#, "ops@example.com"]),
            (#""Ops; on call" <ops@example.com>"#, [#""Ops; on call" <ops@example.com>"#]),
            (#""Say \"hi\", ok" <x@example.com>; y@example.com"#, [#""Say \"hi\", ok" <x@example.com>"#, "y@example.com"]),
        ] as [(String, [String])]
    )
    func parse(text: String, expected: [String]) {
        let list = MailAddressList(parsing: text)
        #expect(list.addresses == expected)
        #expect(list.isEmpty == expected.isEmpty)
    }
}
