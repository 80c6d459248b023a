import Foundation

/// What the history page and its exports select executions by, and in which order. Empty fields do not filter.
package struct HistoryQuery: Sendable, Equatable {
    /// The orders the history offers. Each is a group (flow, state, or none) ascending, then newest or oldest first
    /// within it, with the id breaking ties, so every row has one place and keyset paging never skips or repeats one.
    package enum Sort: String, CaseIterable, Sendable {
        case newest, oldest, flow, state

        /// The columns rows are grouped by, ascending, before `createdAt`.
        var groupColumns: [String] {
            switch self {
            case .newest, .oldest: []
            case .flow: ["namespace", "flowId"]
            case .state: ["state"]
            }
        }

        /// Whether `createdAt` runs newest first within a group.
        var newestFirst: Bool { self != .oldest }
    }

    /// A label the execution must carry with exactly this value.
    package struct Label: Sendable, Equatable {
        package var key: String
        package var value: String

        package init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    package var namespace: String?
    /// A flow id; meaningful together with `namespace`, as flow ids are unique only within a namespace.
    package var flowId: String?
    package var requester: String?
    /// Someone who recorded a decision (an `approval` row) on the execution.
    package var approver: String?
    /// Any of these states; empty means every state.
    package var states: [String]
    /// Created at or after this instant.
    package var createdFrom: Date?
    /// Created strictly before this instant.
    package var createdBefore: Date?
    package var label: Label?
    /// Text that must appear in one of the input values. SECRET inputs are stored sealed, so they never match.
    package var text: String?
    package var sort: Sort

    package init(
        namespace: String? = nil, flowId: String? = nil, requester: String? = nil, approver: String? = nil, states: [String] = [],
        createdFrom: Date? = nil, createdBefore: Date? = nil, label: Label? = nil, text: String? = nil, sort: Sort = .newest
    ) {
        self.namespace = namespace
        self.flowId = flowId
        self.requester = requester
        self.approver = approver
        self.states = states
        self.createdFrom = createdFrom
        self.createdBefore = createdBefore
        self.label = label
        self.text = text
        self.sort = sort
    }
}

/// A position in a history order: the sort key of a row (its group values, its stored `createdAt` text) and its id.
/// Carried in links as an opaque token, so the next page starts exactly after that row, however deep it is.
package struct HistoryCursor: Sendable, Equatable {
    package var group: [String]
    /// `createdAt` exactly as stored, so comparisons never suffer a round trip through `Date`.
    package var createdAt: String
    package var id: String

    package init(group: [String], createdAt: String, id: String) {
        self.group = group
        self.createdAt = createdAt
        self.id = id
    }

    /// URL-safe base64 of a JSON array `[group…, createdAt, id]`.
    package var token: String {
        let data = (try? JSONEncoder().encode(group + [createdAt, id])) ?? Data()
        return data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Reads a token made by `token` for `sort`; nil when it is damaged or belongs to another order.
    package init?(token: String, sort: HistoryQuery.Sort) {
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let values = try? JSONDecoder().decode([String].self, from: data),
            values.count == sort.groupColumns.count + 2
        else { return nil }
        group = Array(values.dropLast(2))
        createdAt = values[values.count - 2]
        id = values[values.count - 1]
    }
}

/// One execution in the history, with who decided on it.
package struct HistoryRow: Sendable {
    package var execution: ExecutionRecord
    /// Everyone with an `approval` row on the execution, in the order they decided.
    package var approvers: [String]
    package var cursor: HistoryCursor
}

/// One page of the history.
package struct HistoryPage: Sendable {
    package var rows: [HistoryRow]
    /// Where the next page starts, when there may be more: after the last row shown, or after the last row examined when
    /// the scan stopped at its bound before the page was full (`scanStopped`).
    package var next: HistoryCursor?
    /// Where the previous page ends, when there are rows before this page.
    package var previous: HistoryCursor?
    /// The page stopped because it had examined `HistoryScan.examinedLimit` rows without filling up.
    package var scanStopped: Bool
}
