/// Checks cron expressions the way Kestra's Schedule reads them (5 fields, 6 with `withSeconds`, or a nickname).
enum CronExpression {
    static let nicknames: Set<String> = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"]
    static let monthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
    static let dayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]

    /// A message saying what is wrong, or nil when the expression is valid.
    static func problem(in expression: String, withSeconds: Bool) -> String? {
        let trimmed = expression.trimmingWhitespace()
        if trimmed.hasPrefix("@") {
            return nicknames.contains(trimmed.lowercased())
                ? nil
                : "unknown cron nickname `\(trimmed)`; use one of \(nicknames.sorted().joined(separator: ", ")) or five fields"
        }
        let fields = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        let expected = withSeconds ? 6 : 5
        guard fields.count == expected else {
            let shape = withSeconds ? "second minute hour day-of-month month day-of-week" : "minute hour day-of-month month day-of-week"
            return "cron expression `\(trimmed)` has \(fields.count) fields, but needs \(expected) (\(shape))"
                + (!withSeconds && fields.count == 6 ? "; set `withSeconds: true` to use a seconds field" : "")
        }
        var ranges: [(String, ClosedRange<Int>, [String])] = [
            ("minute", 0...59, []), ("hour", 0...23, []), ("day-of-month", 1...31, []), ("month", 1...12, monthNames),
            ("day-of-week", 0...7, dayNames),
        ]
        if withSeconds { ranges.insert(("second", 0...59, []), at: 0) }
        for (field, (name, range, names)) in zip(fields, ranges) {
            if let problem = fieldProblem(field, name: name, range: range, names: names) {
                return "cron expression `\(trimmed)`: \(problem)"
            }
        }
        return nil
    }

    static func fieldProblem(_ field: String, name: String, range: ClosedRange<Int>, names: [String]) -> String? {
        for part in field.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
            guard !part.isEmpty else { return "the \(name) field `\(field)` has an empty list item" }
            var base = part
            if let slash = part.firstIndex(of: "/") {
                let step = part[part.index(after: slash)...]
                guard let stepValue = Int(step), stepValue > 0 else { return "the step `\(step)` in the \(name) field must be a positive number" }
                base = String(part[..<slash])
            }
            if base == "*" || base == "?" { continue }
            // Quartz-style day markers that Kestra's cron parser accepts.
            if name == "day-of-month", base == "L" || base == "LW" || base.hasSuffix("W") && Int(base.dropLast()) != nil { continue }
            if name == "day-of-week", base.hasSuffix("L") || base.contains("#") {
                let head = base.split(separator: "#").first.map(String.init) ?? base
                let day = head.hasSuffix("L") ? String(head.dropLast()) : head
                if day.isEmpty || value(of: day, names: names, range: range) != nil { continue }
            }
            let bounds = base.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
            guard bounds.count <= 2 else { return "the \(name) field `\(field)` is not a number, a range or a list" }
            var numbers: [Int] = []
            for bound in bounds {
                guard let number = value(of: bound, names: names, range: range) else {
                    return
                        "`\(bound)` is not a valid \(name) (allowed: \(range.lowerBound)-\(range.upperBound)\(names.isEmpty ? "" : " or \(names.first!)-\(names.last!)"))"
                }
                numbers.append(number)
            }
            if numbers.count == 2, numbers[0] > numbers[1] { return "the \(name) range `\(base)` runs backwards" }
        }
        return nil
    }

    static func value(of text: String, names: [String], range: ClosedRange<Int>) -> Int? {
        if let number = Int(text) { return range.contains(number) ? number : nil }
        if let index = names.firstIndex(of: text.uppercased()) { return range.lowerBound == 0 ? index : index + 1 }
        return nil
    }
}
