import Foundation

/// The person deciding on a paused execution, as the caller vouches for them: the web from the session, token or
/// trusted proxy; the CLI from the user table (the operator at the server's shell is trusted).
package struct Decider: Sendable, Equatable {
    package let name: String
    package let roles: Set<String>
    package let groups: Set<String>

    package init(name: String, roles: Set<String>, groups: Set<String> = []) {
        self.name = name
        self.roles = roles
        self.groups = groups
    }

    /// Admins hold every role, as in the portal.
    func has(role: String) -> Bool { roles.contains(role) || roles.contains("admin") }
}

/// Who may approve a flow's executions and how many must. Kept in flow labels, not task properties, so the flow stays
/// a valid Kestra flow: `gatehouse.approvers` (a comma-separated list of `role:NAME`, `group:NAME` and `user:NAME`;
/// default `role:approver`), `gatehouse.quorum` (distinct approvers needed, default 1) and `gatehouse.remind-after`
/// (an ISO-8601 duration after which approvers are reminded, default `GATEHOUSE_APPROVAL_REMINDER` or PT24H).
/// Whatever the policy says, the requester never decides their own execution (the four-eyes rule).
package struct ApprovalPolicy: Sendable, Equatable {
    package enum Principal: Sendable, Hashable, CustomStringConvertible {
        case role(String)
        case group(String)
        case user(String)

        package var description: String {
            switch self {
            case .role(let name): "role \(name)"
            case .group(let name): "group \(name)"
            case .user(let name): "user \(name)"
            }
        }
    }

    package static let approversLabel = "gatehouse.approvers"
    package static let quorumLabel = "gatehouse.quorum"
    package static let remindAfterLabel = "gatehouse.remind-after"
    static let defaultReminder: TimeInterval = 24 * 3600

    package let approvers: [Principal]
    package let quorum: Int
    package let remindAfter: TimeInterval

    /// The policy of a flow; labels that cannot be read give the problem, which `gatehouse validate` reports too.
    package init(flow: Flow, environment: [String: String] = [:]) throws(PolicyError) {
        try self.init(labels: Dictionary(flow.labels.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last }), environment: environment)
    }

    init(labels: [String: String], environment: [String: String]) throws(PolicyError) {
        approvers = try labels[Self.approversLabel].map(Self.principals) ?? [.role("approver")]
        if let text = labels[Self.quorumLabel] {
            guard let number = Int(text.trimmingCharacters(in: .whitespaces)), (1...10).contains(number) else {
                throw PolicyError("label \(Self.quorumLabel) must be a whole number from 1 to 10, not `\(text)`")
            }
            quorum = number
        } else {
            quorum = 1
        }
        let reminder = labels[Self.remindAfterLabel] ?? environment["GATEHOUSE_APPROVAL_REMINDER"]
        if let reminder, !reminder.isEmpty {
            guard let duration = ISODuration(reminder), duration.seconds > 0 else {
                throw PolicyError("the approval reminder must be a positive ISO-8601 duration such as PT4H, not `\(reminder)`")
            }
            remindAfter = TimeInterval(duration.seconds)
        } else {
            remindAfter = Self.defaultReminder
        }
    }

    /// What is wrong with one of the policy's labels, for `gatehouse validate`; nil for a good one or another label.
    package static func problem(key: String, value: String) -> String? {
        guard [approversLabel, quorumLabel, remindAfterLabel].contains(key) else { return nil }
        do {
            _ = try ApprovalPolicy(labels: [key: value], environment: [:])
            return nil
        } catch {
            return error.description
        }
    }

    /// Whether the policy names this person as an approver (the four-eyes rule is checked apart).
    package func allows(_ decider: Decider) -> Bool {
        approvers.contains { principal in
            switch principal {
            case .role(let role): decider.has(role: role)
            case .group(let group): decider.groups.contains(group)
            case .user(let name): decider.name == name
            }
        }
    }

    package var approversText: String { approvers.map(\.description).joined(separator: ", ") }

    static func principals(_ text: String) throws(PolicyError) -> [Principal] {
        var principals: [Principal] = []
        for item in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
            let parts = item.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[1].isEmpty else {
                throw PolicyError("label \(approversLabel): `\(item)` must be role:NAME, group:NAME or user:NAME")
            }
            switch parts[0] {
            case "role": principals.append(.role(parts[1]))
            case "group": principals.append(.group(parts[1]))
            case "user": principals.append(.user(parts[1]))
            default: throw PolicyError("label \(approversLabel): `\(item)` must start with role:, group: or user:")
            }
        }
        guard !principals.isEmpty else { throw PolicyError("label \(approversLabel) names nobody") }
        return principals
    }

    package struct PolicyError: Error, Equatable, CustomStringConvertible {
        package let description: String
        init(_ description: String) { self.description = description }
    }
}
