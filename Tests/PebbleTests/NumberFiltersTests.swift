import Testing

@testable import Pebble

@Suite struct NumberFiltersTests {
    @Test(arguments: [
        // Kestra NumberFilterTest: "12.3" is a Float, "2147483647" an Integer, "9223372036854775807" a Long, and the
        // BIGDECIMAL, BIGINTEGER and DOUBLE types; PebbleValue keeps 64-bit integers and doubles.
        FilterCall("number", "12.3", gives: 12.3),
        FilterCall("number", "2147483647", gives: 2_147_483_647),
        FilterCall("number", "9223372036854775807", gives: 9_223_372_036_854_775_807),
        FilterCall("number", "9223372036854775807", ["BIGDECIMAL"], gives: 9_223_372_036_854_775_807),
        FilterCall("number", "9223372036854775807", ["BIGINTEGER"], gives: 9_223_372_036_854_775_807),
        FilterCall("number", "9223372036854775807", ["DOUBLE"], gives: 9.223_372_036_854_775_807e18),
        // NumberUtils.createNumber and Integer.decode, as commons-lang 3 gives them.
        FilterCall("number", "010", gives: 8),
        FilterCall("number", "0x1F", gives: 31),
        FilterCall("number", "-#FF", gives: -255),
        FilterCall("number", "1e5", gives: 100_000.0),
        FilterCall("number", "1L", gives: 1),
        FilterCall("number", "2.5d", gives: 2.5),
        FilterCall("number", "１２", gives: 12),
        FilterCall("number", "12", ["int"], gives: 12),
        FilterCall("number", "42", ["INT"], gives: 42),
        FilterCall("number", "-9223372036854775808", ["LONG"], gives: -9_223_372_036_854_775_808),
        FilterCall("number", " 2.5 ", ["DOUBLE"], gives: 2.5),
        FilterCall("number", "16777217", ["FLOAT"], gives: 16_777_216.0),
        FilterCall("number", nil, gives: nil),
    ])
    func number(_ call: FilterCall) { call.check(in: NumberFilters.all) }

    @Test(arguments: [
        FilterCall("number", "abc", fails: "`number` filter: cannot read 'abc' as a number: abc is not a valid number."),
        FilterCall("number", "08", fails: "`number` filter: cannot read '08' as a number: For input string: \"08\""),
        FilterCall("number", "", fails: "`number` filter: cannot read '' as a number: A blank string is not a valid number"),
        FilterCall(
            "number", "2147483648", ["INT"],
            fails: "`number` filter: cannot read '2147483648' as a number of type INT: value out of range for a 32-bit integer"),
        FilterCall(
            "number", "99999999999999999999",
            fails: "`number` filter: cannot read '99999999999999999999' as a number: 99999999999999999999 does not fit in a 64-bit integer"),
        FilterCall("number", 12, fails: "`number` filter can only be applied to a string, but got integer"),
    ])
    func numberErrors(_ call: FilterCall) { call.check(in: NumberFilters.all) }

    @Test(arguments: [
        // Kestra PebbleVariableRendererTest.numberFormat (1.232654F, a float widened to double).
        FilterCall("numberFormat", 1.232_653_975_486_755_4, ["#.##"], gives: "1.23"),
        // Pebble CoreFiltersTest.testNumberFormatFilterWithFormat / WithNamedArgument / WithLocale / WithNullInput.
        FilterCall("numberFormat", 10000.235166, ["$#,###,###,##0.00"], gives: "$10,000.24"),
        FilterCall("numberFormat", 10000.235166, named: ["format": "$#,###,###,##0.00"], gives: "$10,000.24"),
        FilterCall("numberFormat", 1_000_000, gives: "1,000,000"),
        FilterCall("numberFormat", nil, ["#.##"], gives: nil),
        // HALF_EVEN on the double's exact value: 1.005 is just below the tie, 99.995 just above, 0.125 exactly on it.
        FilterCall("numberFormat", 1.005, ["#.##"], gives: "1"),
        FilterCall("numberFormat", 1.015, ["#.##"], gives: "1.01"),
        FilterCall("numberFormat", 99.995, ["#.##"], gives: "100"),
        FilterCall("numberFormat", 0.125, ["0.00"], gives: "0.12"),
        FilterCall("numberFormat", 2.5, ["#"], gives: "2"),
        FilterCall("numberFormat", 3.5, ["#"], gives: "4"),
        // DigitList's digits for 0.0005 are "5.0E-4": formatting it with three decimals gives 0 (as Pebble does).
        FilterCall("numberFormat", 0.0005, ["#,##0.###"], gives: "0"),
        FilterCall("numberFormat", -0.001, ["0.00"], gives: "-0.00"),
        FilterCall("numberFormat", 0.5, ["#.##"], gives: "0.5"),
        FilterCall("numberFormat", 0.5, ["#.00"], gives: ".50"),
        FilterCall("numberFormat", 1234.5678, ["#,##0.00"], gives: "1,234.57"),
        FilterCall("numberFormat", 1234.56789, gives: "1,234.568"),
        FilterCall("numberFormat", 0.5, ["#%"], gives: "50%"),
        FilterCall("numberFormat", 1234.5678, ["0.###E0"], gives: "1.235E3"),
        FilterCall("numberFormat", 1234.5678, ["##0.#####E0"], gives: "1.2345678E3"),
        FilterCall("numberFormat", 1e23, ["#,##0"], gives: "99,999,999,999,999,990,000,000"),
        FilterCall("numberFormat", -2.5, ["#.##;(#.##)"], gives: "(2.5)"),
        FilterCall("numberFormat", 42.0, ["0000"], gives: "0042"),
        FilterCall("numberFormat", -9_223_372_036_854_775_808, ["#,##0"], gives: "-9,223,372,036,854,775,808"),
        FilterCall("numberFormat", 7, ["'#'#"], gives: "#7"),
        FilterCall("numberFormat", .double(.infinity), ["$#,##0.00"], gives: "$∞"),
        FilterCall("numberFormat", .double(.nan), ["0.00"], gives: "NaN"),
    ])
    func numberFormat(_ call: FilterCall) { call.check(in: NumberFilters.all) }

    @Test(arguments: [
        FilterCall("numberFormat", 1, ["0#"], fails: "`numberFormat` filter: invalid DecimalFormat pattern: Malformed pattern \"0#\""),
        FilterCall(
            "numberFormat", 1, ["#.#.#"],
            fails: "`numberFormat` filter: invalid DecimalFormat pattern: Multiple decimal separators in pattern \"#.#.#\""),
        FilterCall("numberFormat", "12.5", ["#.#"], fails: "`numberFormat` filter: the input has to be a number, but got string"),
        FilterCall("numberFormat", 1, [true], fails: "the `format` argument of `numberFormat` must be a string, but got boolean"),
    ])
    func numberFormatErrors(_ call: FilterCall) { call.check(in: NumberFilters.all) }
}
