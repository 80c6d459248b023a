import Foundation

/// `java.text.DecimalFormat` with `en_US` symbols, as Pebble's `numberformat` filter uses it.
///
/// Rounding is HALF_EVEN on the digits Java's `DigitList` sees: those of `FloatingDecimal`'s (pre-JDK 19) binary to
/// decimal conversion, together with its "rounded up" / "exact" flags. That conversion is ported below so values such as
/// `1e23` (Java digits `9.999999999999999E22`) and ties such as `1.005` (`1.00`, the double is below the tie) and
/// `99.995` (`100`, above it) format as in Kestra.
struct JavaDecimalFormat: Sendable {
    var positivePrefix = ""
    var positiveSuffix = ""
    var negativePrefix = "-"
    var negativeSuffix = ""
    var minimumIntegerDigits = 1
    var maximumIntegerDigits = Int(Int32.max)
    var minimumFractionDigits = 0
    var maximumFractionDigits = 3
    var groupingSize = 3
    var groupingUsed = true
    var multiplier = 1
    var decimalSeparatorAlwaysShown = false
    var useExponentialNotation = false
    var minimumExponentDigits = 0

    /// Why a pattern is rejected, with Java's message.
    struct PatternError: Error, Equatable {
        let message: String
    }

    // java.text.DecimalFormat: DOUBLE_INTEGER_DIGITS / DOUBLE_FRACTION_DIGITS cap what a double can print.
    static let doubleIntegerDigits = 309
    static let doubleFractionDigits = 340

    /// `NumberFormat.getInstance(Locale.US)`: the pattern `#,##0.###`.
    static let standard = JavaDecimalFormat()

    private init() {}

    /// `new DecimalFormat(pattern, new DecimalFormatSymbols(Locale.US))` (`DecimalFormat.applyPattern`).
    init(pattern: String) throws(PatternError) {
        let chars = Array(pattern)
        var gotNegative = false
        var negativePrefixPattern = ""
        var negativeSuffixPattern = ""
        var positivePrefixPattern = ""
        var positiveSuffixPattern = ""
        var start = 0
        var j = 1
        while j >= 0 && start < chars.count {
            var inQuote = false
            var prefix = ""
            var suffix = ""
            var decimalPos = -1
            var multiplier = 1
            var digitLeftCount = 0
            var zeroDigitCount = 0
            var digitRightCount = 0
            var groupingCount = -1
            var phase = 0
            var inSuffix = false
            func append(_ text: String) {
                if inSuffix { suffix += text } else { prefix += text }
            }
            var pos = start
            while pos < chars.count {
                let ch = chars[pos]
                if phase == 0 || phase == 2 {
                    if inQuote {
                        if ch == "'" {
                            if pos + 1 < chars.count && chars[pos + 1] == "'" {
                                pos += 1
                                append("''")
                            } else {
                                inQuote = false
                            }
                            pos += 1
                            continue
                        }
                    } else {
                        if ch == "#" || ch == "0" || ch == "," || ch == "." {
                            phase = 1
                            continue
                        } else if ch == "\u{00A4}" {
                            let doubled = pos + 1 < chars.count && chars[pos + 1] == "\u{00A4}"
                            if doubled { pos += 1 }
                            append(doubled ? "'\u{00A4}\u{00A4}" : "'\u{00A4}")
                            pos += 1
                            continue
                        } else if ch == "'" {
                            if pos + 1 < chars.count && chars[pos + 1] == "'" {
                                pos += 1
                                append("''")
                            } else {
                                inQuote = true
                            }
                            pos += 1
                            continue
                        } else if ch == ";" {
                            if phase == 0 || j == 0 {
                                throw PatternError(message: "Unquoted special character '\(ch)' in pattern \"\(pattern)\"")
                            }
                            start = pos + 1
                            pos = chars.count
                            continue
                        } else if ch == "%" || ch == "\u{2030}" {
                            if multiplier != 1 {
                                throw PatternError(message: "Too many percent/per mille characters in pattern \"\(pattern)\"")
                            }
                            multiplier = ch == "%" ? 100 : 1000
                            append("'\(ch)")
                            pos += 1
                            continue
                        } else if ch == "-" {
                            append("'-")
                            pos += 1
                            continue
                        }
                    }
                    append(String(ch))
                    pos += 1
                    continue
                }
                // Phase 1: digits, grouping, decimal separator, exponent. The negative subpattern only contributes affixes.
                if j == 0 {
                    while pos < chars.count {
                        let c = chars[pos]
                        if c == "#" || c == "0" || c == "," || c == "." || c == "E" {
                            pos += 1
                        } else {
                            phase = 2
                            inSuffix = true
                            break
                        }
                    }
                    continue
                }
                if ch == "#" {
                    if zeroDigitCount > 0 { digitRightCount += 1 } else { digitLeftCount += 1 }
                    if groupingCount >= 0 && decimalPos < 0 { groupingCount += 1 }
                } else if ch == "0" {
                    if digitRightCount > 0 { throw PatternError(message: "Unexpected '0' in pattern \"\(pattern)\"") }
                    zeroDigitCount += 1
                    if groupingCount >= 0 && decimalPos < 0 { groupingCount += 1 }
                } else if ch == "," {
                    groupingCount = 0
                } else if ch == "." {
                    if decimalPos >= 0 { throw PatternError(message: "Multiple decimal separators in pattern \"\(pattern)\"") }
                    decimalPos = digitLeftCount + zeroDigitCount + digitRightCount
                } else if ch == "E" {
                    if useExponentialNotation {
                        throw PatternError(message: "Multiple exponential symbols in pattern \"\(pattern)\"")
                    }
                    useExponentialNotation = true
                    minimumExponentDigits = 0
                    pos += 1
                    while pos < chars.count && chars[pos] == "0" {
                        minimumExponentDigits += 1
                        pos += 1
                    }
                    if digitLeftCount + zeroDigitCount < 1 || minimumExponentDigits < 1 {
                        throw PatternError(message: "Malformed exponential pattern \"\(pattern)\"")
                    }
                    phase = 2
                    inSuffix = true
                    continue
                } else {
                    phase = 2
                    inSuffix = true
                    continue
                }
                pos += 1
            }
            // "##.###" is read as "#0.###", ".###" as ".0##".
            if zeroDigitCount == 0 && digitLeftCount > 0 && decimalPos >= 0 {
                var n = decimalPos
                if n == 0 { n += 1 }
                digitRightCount = digitLeftCount - n
                digitLeftCount = n - 1
                zeroDigitCount = 1
            }
            if (decimalPos < 0 && digitRightCount > 0)
                || (decimalPos >= 0 && (decimalPos < digitLeftCount || decimalPos > digitLeftCount + zeroDigitCount))
                || groupingCount == 0 || inQuote
            {
                throw PatternError(message: "Malformed pattern \"\(pattern)\"")
            }
            if j == 1 {
                positivePrefixPattern = prefix
                positiveSuffixPattern = suffix
                negativePrefixPattern = prefix
                negativeSuffixPattern = suffix
                let digitTotalCount = digitLeftCount + zeroDigitCount + digitRightCount
                let effectiveDecimalPos = decimalPos >= 0 ? decimalPos : digitTotalCount
                minimumIntegerDigits = effectiveDecimalPos - digitLeftCount
                maximumIntegerDigits = useExponentialNotation ? digitLeftCount + minimumIntegerDigits : Int(Int32.max)
                maximumFractionDigits = decimalPos >= 0 ? digitTotalCount - decimalPos : 0
                minimumFractionDigits = decimalPos >= 0 ? digitLeftCount + zeroDigitCount - decimalPos : 0
                groupingUsed = groupingCount > 0
                groupingSize = groupingCount > 0 ? groupingCount : 0
                self.multiplier = multiplier
                decimalSeparatorAlwaysShown = decimalPos == 0 || decimalPos == digitTotalCount
            } else {
                negativePrefixPattern = prefix
                negativeSuffixPattern = suffix
                gotNegative = true
            }
            j -= 1
        }
        if pattern.isEmpty {
            minimumIntegerDigits = 0
            maximumIntegerDigits = Int(Int32.max)
            minimumFractionDigits = 0
            maximumFractionDigits = Int(Int32.max)
        }
        if !gotNegative || (negativePrefixPattern == positivePrefixPattern && negativeSuffixPattern == positiveSuffixPattern) {
            negativeSuffixPattern = positiveSuffixPattern
            negativePrefixPattern = "'-" + positivePrefixPattern
        }
        positivePrefix = Self.expandAffix(positivePrefixPattern)
        positiveSuffix = Self.expandAffix(positiveSuffixPattern)
        negativePrefix = Self.expandAffix(negativePrefixPattern)
        negativeSuffix = Self.expandAffix(negativeSuffixPattern)
    }

    /// `DecimalFormat.expandAffix`: `'` introduces a symbol (`-`, `%`, `‰`, `¤`, `¤¤`) or a quote.
    private static func expandAffix(_ pattern: String) -> String {
        let chars = Array(pattern)
        var output = ""
        var i = 0
        while i < chars.count {
            let c = chars[i]
            i += 1
            guard c == "'", i < chars.count else {
                output.append(c)
                continue
            }
            let symbol = chars[i]
            i += 1
            switch symbol {
            case "\u{00A4}":
                if i < chars.count && chars[i] == "\u{00A4}" {
                    i += 1
                    output += "USD"
                } else {
                    output += "$"
                }
            default: output.append(symbol)
            }
        }
        return output
    }

    // MARK: - Formatting

    /// `DecimalFormat.format(double)`.
    func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        let isNegative = (value < 0 || (value == 0 && value.sign == .minus)) != (multiplier < 0)
        var number = value
        if multiplier != 1 { number *= Double(multiplier) }
        if number.isInfinite { return (isNegative ? negativePrefix : positivePrefix) + "∞" + (isNegative ? negativeSuffix : positiveSuffix) }
        number = abs(number)
        let maxInt = min(maximumIntegerDigits, Self.doubleIntegerDigits)
        let minInt = min(minimumIntegerDigits, Self.doubleIntegerDigits)
        let maxFrac = min(maximumFractionDigits, Self.doubleFractionDigits)
        let minFrac = min(minimumFractionDigits, Self.doubleFractionDigits)
        var digits = DigitList()
        digits.set(number, maximumDigits: useExponentialNotation ? maxInt + maxFrac : maxFrac, fixedPoint: !useExponentialNotation)
        return subformat(digits, isNegative: isNegative, isInteger: false, maxInt: maxInt, minInt: minInt, maxFrac: maxFrac, minFrac: minFrac)
    }

    /// `DecimalFormat.format(long)`: exact digits (Java switches to BigInteger when the multiplier would overflow).
    func format(_ value: Int64) -> String {
        var isNegative = value < 0
        var magnitude = String(value.magnitude)
        if multiplier == 100 { magnitude += "00" }
        if multiplier == 1000 { magnitude += "000" }
        if value == 0 { isNegative = false }
        var digits = DigitList()
        digits.set(integerDigits: magnitude)
        if useExponentialNotation { digits.round(maximumIntegerDigits + maximumFractionDigits, roundedUp: false, exact: true) }
        return subformat(
            digits, isNegative: isNegative, isInteger: true, maxInt: maximumIntegerDigits, minInt: minimumIntegerDigits,
            maxFrac: maximumFractionDigits, minFrac: minimumFractionDigits)
    }

    /// `DecimalFormat.subformat`.
    private func subformat(_ digits: DigitList, isNegative: Bool, isInteger: Bool, maxInt: Int, minInt: Int, maxFrac: Int, minFrac: Int)
        -> String
    {
        var result = isNegative ? negativePrefix : positivePrefix
        let list = digits.digits
        if useExponentialNotation {
            var exponent = digits.decimalAt
            let repeatCount = maxInt
            var minimumIntegerDigits = minInt
            if repeatCount > 1 && repeatCount > minInt {
                exponent = exponent >= 1 ? ((exponent - 1) / repeatCount) * repeatCount : ((exponent - repeatCount) / repeatCount) * repeatCount
                minimumIntegerDigits = 1
            } else {
                exponent -= minimumIntegerDigits
            }
            var minimumDigits = minInt + minFrac
            if minimumDigits < 0 { minimumDigits = Int(Int32.max) }
            let integerDigits = digits.isZero ? minimumIntegerDigits : digits.decimalAt - exponent
            if minimumDigits < integerDigits { minimumDigits = integerDigits }
            var totalDigits = list.count
            if minimumDigits > totalDigits { totalDigits = minimumDigits }
            for i in 0..<max(totalDigits, 0) {
                if i == integerDigits { result += "." }
                result.append(i < list.count ? Character(Unicode.Scalar(list[i])) : "0")
            }
            if decimalSeparatorAlwaysShown && totalDigits == integerDigits { result += "." }
            result += "E"
            if digits.isZero { exponent = 0 }
            if exponent < 0 {
                exponent = -exponent
                result += "-"
            }
            // DigitList.set(exponent) drops the digits of a zero exponent; the minimum exponent digits pad it.
            let exponentText = exponent == 0 ? "" : String(exponent)
            result += String(repeating: "0", count: max(0, minimumExponentDigits - exponentText.count)) + exponentText
        } else {
            var count = minInt
            var digitIndex = 0
            if digits.decimalAt > 0 && count < digits.decimalAt { count = digits.decimalAt }
            if count > maxInt {
                count = maxInt
                digitIndex = digits.decimalAt - count
            }
            let sizeBeforeIntegerPart = result.unicodeScalars.count
            var i = count - 1
            while i >= 0 {
                if i < digits.decimalAt && digitIndex < list.count {
                    result.append(Character(Unicode.Scalar(list[digitIndex])))
                    digitIndex += 1
                } else {
                    result += "0"
                }
                if groupingUsed && i > 0 && groupingSize != 0 && i % groupingSize == 0 { result += "," }
                i -= 1
            }
            let fractionPresent = minFrac > 0 || (!isInteger && digitIndex < list.count)
            if !fractionPresent && result.unicodeScalars.count == sizeBeforeIntegerPart { result += "0" }
            if decimalSeparatorAlwaysShown || fractionPresent { result += "." }
            var f = 0
            while f < maxFrac {
                if f >= minFrac && (isInteger || digitIndex >= list.count) { break }
                if -1 - f > digits.decimalAt - 1 {
                    result += "0"
                    f += 1
                    continue
                }
                if !isInteger && digitIndex < list.count {
                    result.append(Character(Unicode.Scalar(list[digitIndex])))
                    digitIndex += 1
                } else {
                    result += "0"
                }
                f += 1
            }
        }
        result += isNegative ? negativeSuffix : positiveSuffix
        return result
    }
}

// MARK: - DigitList

extension JavaDecimalFormat {
    /// `java.text.DigitList`: significant digits (ASCII), with the decimal point `decimalAt` digits from the left.
    struct DigitList {
        var digits: [UInt8] = []
        var decimalAt = 0

        var isZero: Bool { !digits.contains { $0 != UInt8(ascii: "0") } }

        mutating func set(integerDigits text: String) {
            var bytes = Array(text.utf8)
            while bytes.first == UInt8(ascii: "0") { bytes.removeFirst() }
            decimalAt = bytes.count
            while bytes.last == UInt8(ascii: "0") { bytes.removeLast() }
            digits = bytes
        }

        /// `DigitList.set(boolean, double, int, boolean)` for a non-negative finite number.
        mutating func set(_ value: Double, maximumDigits: Int, fixedPoint: Bool) {
            let converted = JavaFloatingDecimal.convert(value)
            digits = converted.digits
            decimalAt = converted.decimalExponent
            while digits.first == UInt8(ascii: "0") {
                digits.removeFirst()
                decimalAt -= 1
            }
            if digits.isEmpty {
                decimalAt = 0
                return
            }
            if fixedPoint {
                if -decimalAt > maximumDigits {
                    digits = []
                    return
                } else if -decimalAt == maximumDigits {
                    if shouldRoundUp(0, roundedUp: converted.roundedUp, exact: converted.exact) {
                        digits = [UInt8(ascii: "1")]
                        decimalAt += 1
                    } else {
                        digits = []
                    }
                    return
                }
            }
            while digits.count > 1 && digits.last == UInt8(ascii: "0") { digits.removeLast() }
            round(fixedPoint ? maximumDigits + decimalAt : maximumDigits, roundedUp: converted.roundedUp, exact: converted.exact)
        }

        /// `DigitList.shouldRoundUp` for HALF_EVEN.
        func shouldRoundUp(_ maximumDigits: Int, roundedUp: Bool, exact: Bool) -> Bool {
            guard maximumDigits < digits.count else { return false }
            let digit = digits[maximumDigits]
            if digit == UInt8(ascii: "5") {
                if maximumDigits == digits.count - 1 {
                    if roundedUp { return false }
                    if !exact { return true }
                    return maximumDigits > 0 && (digits[maximumDigits - 1] - 48) % 2 != 0
                }
                return digits[(maximumDigits + 1)...].contains { $0 != UInt8(ascii: "0") }
            }
            return digit > UInt8(ascii: "5")
        }

        /// `DigitList.round`.
        mutating func round(_ maximumDigits: Int, roundedUp: Bool, exact: Bool) {
            guard maximumDigits >= 0 && maximumDigits < digits.count else { return }
            var count = maximumDigits
            if shouldRoundUp(maximumDigits, roundedUp: roundedUp, exact: exact) {
                var index = maximumDigits
                while true {
                    index -= 1
                    if index < 0 {
                        digits[0] = UInt8(ascii: "1")
                        decimalAt += 1
                        index = 0
                        break
                    }
                    digits[index] += 1
                    if digits[index] <= UInt8(ascii: "9") { break }
                }
                count = index + 1
            }
            digits = Array(digits.prefix(count))
            while digits.count > 1 && digits.last == UInt8(ascii: "0") { digits.removeLast() }
            if digits == [UInt8(ascii: "0")] { digits = [] }
        }
    }
}

// MARK: - FloatingDecimal

/// A port of `jdk.internal.math.FloatingDecimal.BinaryToASCIIBuffer.dtoa` (compatible format), the digits `DigitList`
/// rounds, with its flags.
enum JavaFloatingDecimal {
    struct Digits {
        var digits: [UInt8]
        /// The value is 0.DIGITS × 10^decimalExponent.
        var decimalExponent: Int
        var roundedUp: Bool
        var exact: Bool
    }

    static let expShift = 52
    static let fractHOB: Int64 = 1 << 52
    static let maxSmallBinExp = 62
    static let minSmallBinExp = -(63 / 3)
    static let n5Bits = [0, 3, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28, 31, 33, 35, 38, 40, 42, 45, 47, 49, 52, 54, 56, 59, 61]
    static let insignificantDigitsNumber = [
        0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6, 6, 7, 7, 7, 8, 8, 8, 9, 9, 9, 9, 10, 10, 10, 11, 11, 11, 12,
        12, 12, 12, 13, 13, 13, 14, 14, 14, 15, 15, 15, 15, 16, 16, 16, 17, 17, 17, 18, 18, 18, 19,
    ]
    static let long5Pow: [Int64] = (0..<27).map { n in (0..<n).reduce(Int64(1)) { acc, _ in acc * 5 } }

    /// `getBinaryToASCIIConverter(d)` for a finite non-negative double.
    static func convert(_ value: Double) -> Digits {
        let bits = value.bitPattern
        var fractBits = Int64(bitPattern: bits & 0x000F_FFFF_FFFF_FFFF)
        var binExp = Int((bits >> 52) & 0x7FF)
        let nSignificantBits: Int
        if binExp != 0 {
            fractBits |= fractHOB
            nSignificantBits = 53
        } else {
            if fractBits == 0 { return Digits(digits: [UInt8(ascii: "0")], decimalExponent: 0, roundedUp: false, exact: false) }
            let leadingZeros = fractBits.leadingZeroBitCount
            let shift = leadingZeros - 11
            fractBits <<= shift
            binExp = 1 - shift
            nSignificantBits = 64 - leadingZeros
        }
        binExp -= 1023
        return dtoa(binExp: binExp, fractBits: fractBits, nSignificantBits: nSignificantBits)
    }

    private static func insignificantDigitsForPow2(_ p2: Int) -> Int {
        p2 > 1 && p2 < insignificantDigitsNumber.count ? insignificantDigitsNumber[p2] : 0
    }

    private static func developLongDigits(_ decExponent: Int, _ value: Int64, _ insignificantDigits: Int) -> Digits {
        var lvalue = value
        var decExponent = decExponent
        if insignificantDigits != 0 {
            let pow10 = long5Pow[insignificantDigits] << insignificantDigits
            let residue = lvalue % pow10
            lvalue /= pow10
            decExponent += insignificantDigits
            if residue >= (pow10 >> 1) { lvalue += 1 }
        }
        var text = Array(String(lvalue).utf8)
        var trailing = 0
        while text.count > 1 && text.last == UInt8(ascii: "0") {
            text.removeLast()
            trailing += 1
        }
        return Digits(digits: text, decimalExponent: decExponent + trailing + text.count, roundedUp: false, exact: false)
    }

    static func estimateDecExp(_ fractBits: Int64, _ binExp: Int) -> Int {
        let d2 = Double(bitPattern: UInt64(0x3FF0_0000_0000_0000) | (UInt64(bitPattern: fractBits) & 0x000F_FFFF_FFFF_FFFF))
        let d = (d2 - 1.5) * 0.289529654 + 0.176091259 + Double(binExp) * 0.301029995663981
        return Int(d.rounded(.down))
    }

    private static func dtoa(binExp: Int, fractBits inputFractBits: Int64, nSignificantBits: Int) -> Digits {
        var fractBits = inputFractBits
        let tailZeros = fractBits.trailingZeroBitCount
        let nFractBits = expShift + 1 - tailZeros
        let nTinyBits = max(0, nFractBits - binExp - 1)
        if binExp <= maxSmallBinExp && binExp >= minSmallBinExp {
            if nTinyBits < long5Pow.count && nFractBits + n5Bits[nTinyBits] < 64 && nTinyBits == 0 {
                let insignificant = binExp > nSignificantBits ? insignificantDigitsForPow2(binExp - nSignificantBits - 1) : 0
                if binExp >= expShift {
                    fractBits <<= (binExp - expShift)
                } else {
                    fractBits = Int64(bitPattern: UInt64(bitPattern: fractBits) >> UInt64(expShift - binExp))
                }
                return developLongDigits(0, fractBits, insignificant)
            }
        }
        var decExp = estimateDecExp(fractBits, binExp)
        let b5 = max(0, -decExp)
        var b2 = b5 + nTinyBits + binExp
        let s5 = max(0, decExp)
        var s2 = s5 + nTinyBits
        let m5 = b5
        var m2 = b2 - nSignificantBits
        fractBits = Int64(bitPattern: UInt64(bitPattern: fractBits) >> UInt64(tailZeros))
        b2 -= nFractBits - 1
        let common2 = min(b2, s2)
        b2 -= common2
        s2 -= common2
        m2 -= common2
        if nFractBits == 1 { m2 -= 1 }
        if m2 < 0 {
            b2 -= m2
            s2 -= m2
            m2 = 0
        }
        let bBits = nFractBits + b2 + (b5 < n5Bits.count ? n5Bits[b5] : b5 * 3)
        let tenSBits = s2 + 1 + (s5 + 1 < n5Bits.count ? n5Bits[s5 + 1] : (s5 + 1) * 3)
        var digits: [UInt8] = []
        var low = false
        var high = false
        var lowDigitDifference: Int64 = 0
        var exact = false
        func emitFirst(_ q: Int) {
            if q == 0 && !high {
                decExp -= 1
            } else {
                digits.append(UInt8(48 + q))
            }
            if decExp < -3 || decExp >= 8 {
                high = false
                low = false
            }
        }
        if bBits < 64 && tenSBits < 64 {
            if bBits < 32 && tenSBits < 32 {
                var b = (Int32(truncatingIfNeeded: fractBits) &* Int32(truncatingIfNeeded: long5Pow[b5])) << Int32(b2)
                let s = Int32(truncatingIfNeeded: long5Pow[s5]) << Int32(s2)
                var m = Int32(truncatingIfNeeded: long5Pow[m5]) << Int32(m2)
                let tens = s &* 10
                var q = Int(b / s)
                b = 10 &* (b % s)
                m = m &* 10
                low = b < m
                high = b &+ m > tens
                emitFirst(q)
                while !low && !high {
                    q = Int(b / s)
                    b = 10 &* (b % s)
                    m = m &* 10
                    if m > 0 {
                        low = b < m
                        high = b &+ m > tens
                    } else {
                        low = true
                        high = true
                    }
                    digits.append(UInt8(48 + q))
                }
                lowDigitDifference = Int64((b << 1) &- tens)
                exact = b == 0
            } else {
                var b = (fractBits &* long5Pow[b5]) << Int64(b2)
                let s = long5Pow[s5] << Int64(s2)
                var m = long5Pow[m5] << Int64(m2)
                let tens = s &* 10
                var q = Int(b / s)
                b = 10 &* (b % s)
                m = m &* 10
                low = b < m
                high = b &+ m > tens
                emitFirst(q)
                while !low && !high {
                    q = Int(b / s)
                    b = 10 &* (b % s)
                    m = m &* 10
                    if m > 0 {
                        low = b < m
                        high = b &+ m > tens
                    } else {
                        low = true
                        high = true
                    }
                    digits.append(UInt8(48 + q))
                }
                lowDigitDifference = (b << 1) &- tens
                exact = b == 0
            }
        } else {
            // FDBigInteger arithmetic; scaling all values by the same power of two (Java's normalization) changes nothing.
            let sVal = BigUInt.pow52(s5, s2)
            var bVal = BigUInt(UInt64(fractBits)).timesPow52(b5, b2)
            var mVal = BigUInt.pow52(m5 + 1, m2 + 1)
            let tenSVal = BigUInt.pow52(s5 + 1, s2 + 1)
            var q = bVal.quoRemIteration(sVal)
            low = bVal < mVal
            high = !(tenSVal > bVal + mVal)
            emitFirst(q)
            while !low && !high {
                q = bVal.quoRemIteration(sVal)
                mVal = mVal.times(10)
                low = bVal < mVal
                high = !(tenSVal > bVal + mVal)
                digits.append(UInt8(48 + q))
            }
            if high && low {
                let doubled = bVal.times(2)
                lowDigitDifference = doubled < tenSVal ? -1 : (doubled == tenSVal ? 0 : 1)
            } else {
                lowDigitDifference = 0
            }
            exact = bVal.isZero
        }
        var result = Digits(digits: digits, decimalExponent: decExp + 1, roundedUp: false, exact: exact)
        if high {
            if low {
                if lowDigitDifference == 0 {
                    if let last = result.digits.last, (last - 48) & 1 != 0 { roundUp(&result) }
                } else if lowDigitDifference > 0 {
                    roundUp(&result)
                }
            } else {
                roundUp(&result)
            }
        }
        return result
    }

    private static func roundUp(_ value: inout Digits) {
        guard !value.digits.isEmpty else { return }
        var i = value.digits.count - 1
        var q = value.digits[i]
        if q == UInt8(ascii: "9") {
            while q == UInt8(ascii: "9") && i > 0 {
                value.digits[i] = UInt8(ascii: "0")
                i -= 1
                q = value.digits[i]
            }
            if q == UInt8(ascii: "9") {
                // Carry out: Java sets the leading 1 and a larger exponent, without flagging the rounding.
                value.decimalExponent += 1
                value.digits[0] = UInt8(ascii: "1")
                return
            }
        }
        value.digits[i] = q + 1
        value.roundedUp = true
    }
}

/// A small unsigned big integer (little-endian 32-bit limbs) for the `FDBigInteger` path of `dtoa`.
private struct BigUInt: Comparable {
    var limbs: [UInt32]

    init(_ value: UInt64) {
        limbs = [UInt32(truncatingIfNeeded: value), UInt32(truncatingIfNeeded: value >> 32)]
        normalize()
    }

    var isZero: Bool { limbs.isEmpty }

    mutating func normalize() {
        while limbs.last == 0 { limbs.removeLast() }
    }

    static func pow52(_ p5: Int, _ p2: Int) -> BigUInt { BigUInt(1).timesPow52(p5, p2) }

    func timesPow52(_ p5: Int, _ p2: Int) -> BigUInt {
        var result = self
        for _ in 0..<max(p5, 0) { result = result.times(5) }
        return result.shiftedLeft(max(p2, 0))
    }

    func times(_ factor: UInt32) -> BigUInt {
        var result = BigUInt(0)
        result.limbs = []
        var carry: UInt64 = 0
        for limb in limbs {
            let product = UInt64(limb) * UInt64(factor) + carry
            result.limbs.append(UInt32(truncatingIfNeeded: product))
            carry = product >> 32
        }
        if carry > 0 { result.limbs.append(UInt32(carry)) }
        result.normalize()
        return result
    }

    func shiftedLeft(_ bits: Int) -> BigUInt {
        guard !isZero, bits > 0 else { return self }
        var result = BigUInt(0)
        result.limbs = Array(repeating: 0, count: bits / 32)
        let shift = UInt32(bits % 32)
        var carry: UInt32 = 0
        for limb in limbs {
            if shift == 0 {
                result.limbs.append(limb)
            } else {
                result.limbs.append((limb << shift) | carry)
                carry = limb >> (32 - shift)
            }
        }
        if carry > 0 { result.limbs.append(carry) }
        result.normalize()
        return result
    }

    static func + (lhs: BigUInt, rhs: BigUInt) -> BigUInt {
        var result = BigUInt(0)
        result.limbs = []
        var carry: UInt64 = 0
        for i in 0..<max(lhs.limbs.count, rhs.limbs.count) {
            let sum = UInt64(i < lhs.limbs.count ? lhs.limbs[i] : 0) + UInt64(i < rhs.limbs.count ? rhs.limbs[i] : 0) + carry
            result.limbs.append(UInt32(truncatingIfNeeded: sum))
            carry = sum >> 32
        }
        if carry > 0 { result.limbs.append(UInt32(carry)) }
        result.normalize()
        return result
    }

    /// `self - rhs`, for `self >= rhs`.
    func minus(_ rhs: BigUInt) -> BigUInt {
        var result = self
        var borrow: Int64 = 0
        for i in 0..<result.limbs.count {
            var difference = Int64(result.limbs[i]) - Int64(i < rhs.limbs.count ? rhs.limbs[i] : 0) - borrow
            borrow = 0
            if difference < 0 {
                difference += 1 << 32
                borrow = 1
            }
            result.limbs[i] = UInt32(difference)
        }
        result.normalize()
        return result
    }

    /// `FDBigInteger.quoRemIteration`: returns `self / divisor` (a digit) and replaces self by `10 × (self % divisor)`.
    mutating func quoRemIteration(_ divisor: BigUInt) -> Int {
        var quotient = 0
        while !(self < divisor) && quotient < 10 {
            self = minus(divisor)
            quotient += 1
        }
        self = times(10)
        return quotient
    }

    static func < (lhs: BigUInt, rhs: BigUInt) -> Bool {
        if lhs.limbs.count != rhs.limbs.count { return lhs.limbs.count < rhs.limbs.count }
        for i in stride(from: lhs.limbs.count - 1, through: 0, by: -1) where lhs.limbs[i] != rhs.limbs[i] {
            return lhs.limbs[i] < rhs.limbs[i]
        }
        return false
    }
}
