import Foundation
import Store

/// The history's filters as they arrive from the GET form (and go back out in links): parsed into a ``HistoryQuery``,
/// echoed into the form, and re-encoded for the paging and export links.
struct HistoryFilters {
    /// The form's fields in the order links carry them.
    static let fieldNames = ["flow", "namespace", "requester", "approver", "state", "from", "to", "label", "q", "sort"]

    /// Every submitted value of each field, without empty ones (an untouched form field filters nothing).
    var values: [String: [String]] = [:]
    var query = HistoryQuery()
    /// What was wrong with the filters, for the page; the query ignores those fields.
    var problems: [String] = []

    /// Reads `application/x-www-form-urlencoded` query text, where `+` is a space, as browsers send GET forms.
    init(queryString: String?) {
        for pair in (queryString ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            guard parts.count == 2, Self.fieldNames.contains(parts[0]) || ["after", "before"].contains(parts[0]) else { continue }
            let value = parts[1].trimmingCharacters(in: .whitespaces)
            if !value.isEmpty { values[parts[0], default: []].append(value) }
        }
        parse()
    }

    func first(_ name: String) -> String? { values[name]?.first }

    private mutating func parse() {
        query.namespace = first("namespace")
        if let flow = first("flow") {
            // Flow ids cannot contain dots (Kestra's rule), so the last dot separates the namespace.
            if let dot = flow.lastIndex(of: "."), dot != flow.startIndex, flow.index(after: dot) != flow.endIndex {
                query.namespace = String(flow[..<dot])
                query.flowId = String(flow[flow.index(after: dot)...])
            } else {
                problems.append("The flow `\(flow)` is not namespace.id, for example team.infra.vm.")
            }
        }
        query.requester = first("requester")
        query.approver = first("approver")
        query.states = (values["state"] ?? []).map { $0.uppercased() }
        if let from = first("from") {
            if let date = Self.day(from) { query.createdFrom = date } else { problems.append("The start date `\(from)` is not YYYY-MM-DD.") }
        }
        if let to = first("to") {
            // The end date is inclusive: everything created before the next day starts.
            if let date = Self.day(to) {
                query.createdBefore = date.addingTimeInterval(86_400)
            } else {
                problems.append("The end date `\(to)` is not YYYY-MM-DD.")
            }
        }
        if let label = first("label") {
            if let equals = label.firstIndex(of: "="), equals != label.startIndex {
                query.label = .init(key: String(label[..<equals]), value: String(label[label.index(after: equals)...]))
            } else {
                problems.append("The label `\(label)` is not key=value.")
            }
        }
        query.text = first("q")
        if let sort = first("sort") {
            if let known = HistoryQuery.Sort(rawValue: sort) { query.sort = known } else { problems.append("There is no sort order `\(sort)`.") }
        }
    }

    /// A day in UTC, as `<input type="date">` sends it.
    static func day(_ text: String) -> Date? {
        guard text.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) != nil else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = text.split(separator: "-").compactMap { Int($0) }
        let components = DateComponents(year: parts[0], month: parts[1], day: parts[2])
        guard components.isValidDate(in: calendar) else { return nil }
        return calendar.date(from: components)
    }

    /// The filters (not the cursor) as a query string, to append to `/history`, `/history.csv` and `/history.json`.
    var linkQuery: String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return Self.fieldNames.flatMap { name in
            (values[name] ?? []).map { "\(name)=\($0.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }
        }.joined(separator: "&")
    }

    /// The cursor a link carried, read for the current sort order; nil when absent, a problem when damaged.
    mutating func cursor(_ name: String) -> HistoryCursor? {
        guard let token = first(name) else { return nil }
        guard let cursor = HistoryCursor(token: token, sort: query.sort) else {
            problems.append("The page link is damaged or belongs to another sort order; showing the first page.")
            return nil
        }
        return cursor
    }
}
