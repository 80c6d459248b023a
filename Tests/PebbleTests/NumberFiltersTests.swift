import Testing

@testable import Pebble

@Suite struct NumberFiltersTests {
    @Test(arguments: [
        // Kestra NumberFilterTest: "12.3" is a Float, "2147483647" an Integer, "9223372036854775807" a Long, and the
        // BIGDECIMAL, BIGINTEGER and DOUBLE types; PebbleValue keeps 64-bit integers and doubles.
        LibraryFilterCase("number", "12.3", gives: 12.3),
        LibraryFilterCase("number", "2147483647", gives: 2_147_483_647),
        LibraryFilterCase("number", "9223372036854775807", gives: 9_223_372_036_854_775_807),
        LibraryFilterCase("number", "9223372036854775807", ["BIGDECIMAL"], gives: 9_223_372_036_854_775_807),
        LibraryFilterCase("number", "9223372036854775807", ["BIGINTEGER"], gives: 9_223_372_036_854_775_807),
        LibraryFilterCase("number", "9223372036854775807", ["DOUBLE"], gives: 9.223_372_036_854_775_807e18),
        // NumberUtils.createNumber and Integer.decode, as commons-lang 3 gives them.
        LibraryFilterCase("number", "010", gives: 8),
        LibraryFilterCase("number", "0x1F", gives: 31),
        LibraryFilterCase("number", "-#FF", gives: -255),
        LibraryFilterCase("number", "1e5", gives: 100_000.0),
        LibraryFilterCase("number", "1L", gives: 1),
        LibraryFilterCase("number", "2.5d", gives: 2.5),
        LibraryFilterCase("number", "１２", gives: 12),
        LibraryFilterCase("number", "12", ["int"], gives: 12),
        LibraryFilterCase("number", "42", ["INT"], gives: 42),
        LibraryFilterCase("number", "-9223372036854775808", ["LONG"], gives: -9_223_372_036_854_775_808),
        LibraryFilterCase("number", " 2.5 ", ["DOUBLE"], gives: 2.5),
        LibraryFilterCase("number", "16777217", ["FLOAT"], gives: 16_777_216.0),
        LibraryFilterCase("number", nil, gives: nil),
    ])
    func number(_ call: LibraryFilterCase) { call.check(in: NumberFilters.all) }

    @Test(arguments: [
        LibraryFilterCase("number", "abc", fails: "`number` filter: cannot read 'abc' as a number: abc is not a valid number."),
        LibraryFilterCase("number", "08", fails: "`number` filter: cannot read '08' as a number: For input string: \"08\""),
        LibraryFilterCase("number", "", fails: "`number` filter: cannot read '' as a number: A blank string is not a valid number"),
        LibraryFilterCase(
            "number", "2147483648", ["INT"],
            fails: "`number` filter: cannot read '2147483648' as a number of type INT: value out of range for a 32-bit integer"),
        LibraryFilterCase(
            "number", "99999999999999999999",
            fails: "`number` filter: cannot read '99999999999999999999' as a number: 99999999999999999999 does not fit in a 64-bit integer"),
        LibraryFilterCase("number", 12, fails: "`number` filter can only be applied to a string, but got integer"),
    ])
    func numberErrors(_ call: LibraryFilterCase) { call.check(in: NumberFilters.all) }

    @Test(arguments: [
        // Kestra PebbleVariableRendererTest.numberFormat (1.232654F, a float widened to double).
        LibraryFilterCase("numberFormat", 1.232_653_975_486_755_4, ["#.##"], gives: "1.23"),
        // Pebble CoreFiltersTest.testNumberFormatFilterWithFormat / WithNamedArgument / WithLocale / WithNullInput.
        LibraryFilterCase("numberFormat", 10000.235166, ["$#,###,###,##0.00"], gives: "$10,000.24"),
        LibraryFilterCase("numberFormat", 10000.235166, named: ["format": "$#,###,###,##0.00"], gives: "$10,000.24"),
        LibraryFilterCase("numberFormat", 1_000_000, gives: "1,000,000"),
        LibraryFilterCase("numberFormat", nil, ["#.##"], gives: nil),
        // HALF_EVEN on the double's exact value: 1.005 is just below the tie, 99.995 just above, 0.125 exactly on it.
        LibraryFilterCase("numberFormat", 1.005, ["#.##"], gives: "1"),
        LibraryFilterCase("numberFormat", 1.015, ["#.##"], gives: "1.01"),
        LibraryFilterCase("numberFormat", 99.995, ["#.##"], gives: "100"),
        LibraryFilterCase("numberFormat", 0.125, ["0.00"], gives: "0.12"),
        LibraryFilterCase("numberFormat", 2.5, ["#"], gives: "2"),
        LibraryFilterCase("numberFormat", 3.5, ["#"], gives: "4"),
        // DigitList's digits for 0.0005 are "5.0E-4": formatting it with three decimals gives 0 (as Pebble does).
        LibraryFilterCase("numberFormat", 0.0005, ["#,##0.###"], gives: "0"),
        LibraryFilterCase("numberFormat", -0.001, ["0.00"], gives: "-0.00"),
        LibraryFilterCase("numberFormat", 0.5, ["#.##"], gives: "0.5"),
        LibraryFilterCase("numberFormat", 0.5, ["#.00"], gives: ".50"),
        LibraryFilterCase("numberFormat", 1234.5678, ["#,##0.00"], gives: "1,234.57"),
        LibraryFilterCase("numberFormat", 1234.56789, gives: "1,234.568"),
        LibraryFilterCase("numberFormat", 0.5, ["#%"], gives: "50%"),
        LibraryFilterCase("numberFormat", 1234.5678, ["0.###E0"], gives: "1.235E3"),
        LibraryFilterCase("numberFormat", 1234.5678, ["##0.#####E0"], gives: "1.2345678E3"),
        LibraryFilterCase("numberFormat", 1e23, ["#,##0"], gives: "99,999,999,999,999,990,000,000"),
        LibraryFilterCase("numberFormat", -2.5, ["#.##;(#.##)"], gives: "(2.5)"),
        LibraryFilterCase("numberFormat", 42.0, ["0000"], gives: "0042"),
        LibraryFilterCase("numberFormat", -9_223_372_036_854_775_808, ["#,##0"], gives: "-9,223,372,036,854,775,808"),
        LibraryFilterCase("numberFormat", 7, ["'#'#"], gives: "#7"),
        LibraryFilterCase("numberFormat", .double(.infinity), ["$#,##0.00"], gives: "$∞"),
        LibraryFilterCase("numberFormat", .double(.nan), ["0.00"], gives: "NaN"),
    ])
    func numberFormat(_ call: LibraryFilterCase) { call.check(in: NumberFilters.all) }

    @Test(arguments: [
        LibraryFilterCase("numberFormat", 1, ["0#"], fails: "`numberFormat` filter: invalid DecimalFormat pattern: Malformed pattern \"0#\""),
        LibraryFilterCase(
            "numberFormat", 1, ["#.#.#"],
            fails: "`numberFormat` filter: invalid DecimalFormat pattern: Multiple decimal separators in pattern \"#.#.#\""),
        LibraryFilterCase("numberFormat", "12.5", ["#.#"], fails: "`numberFormat` filter: the input has to be a number, but got string"),
        LibraryFilterCase("numberFormat", 1, [true], fails: "the `format` argument of `numberFormat` must be a string, but got boolean"),
    ])
    func numberFormatErrors(_ call: LibraryFilterCase) { call.check(in: NumberFilters.all) }
}
