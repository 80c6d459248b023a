import FlowModel
import Foundation
import Notify
import Pebble

/// `MailSend` and `MailExecution` (KESTRA.md §5.3), under their old and new type names, sent by Gatehouse's own SMTP
/// client. Server settings a flow leaves out come from the server's `GATEHOUSE_SMTP_*` environment (``MailServerDefaults``).
enum MailTasks {
    /// Attachments are read into memory to be encoded; more than this in one e-mail fails instead.
    static let maxAttachmentBytes = 25 * 1024 * 1024

    static func run(_ task: Task, engine: PebbleEngine, variables: PebbleMap, context: AttemptContext) -> TaskResult {
        var result = TaskResult()
        do {
            let properties = RenderedProperties(task: task, engine: engine, variables: variables)
            let environment = context.run?.settings.environment ?? [:]
            let configuration = try MailServerDefaults(environment: environment).configuration(properties)
            let message = try makeMessage(properties, task: task, context: context, defaultFrom: environment["GATEHOUSE_SMTP_FROM"])
            let client = SMTPClient(configuration: configuration)
            guard context.runBlocking(&result, { try await client.send(message) }) != nil else { return result }
            result.logs.append(
                (
                    "INFO",
                    "e-mail \(message.messageID) sent to \(message.recipients.count) recipient(s) through "
                        + "\(configuration.host):\(configuration.port) (\(configuration.security.rawValue))"
                ))
        } catch {
            result.failed = "\(error)"
        }
        return result
    }

    private static func makeMessage(_ properties: RenderedProperties, task: Task, context: AttemptContext, defaultFrom: String?) throws
        -> MailMessage
    {
        guard let fromText = try properties.string("from") ?? defaultFrom, !fromText.isEmpty else {
            throw PropertyError("`from` is required: set it on the task or GATEHOUSE_SMTP_FROM on the server")
        }
        guard let from = MailAddress(parsing: fromText) else { throw PropertyError("`from` is not a usable address: `\(fromText)`") }
        var message = MailMessage(
            from: from, to: try addresses(properties, "to"), cc: try addresses(properties, "cc"), bcc: try addresses(properties, "bcc"),
            subject: try properties.string("subject"), plainText: try properties.string("plainTextContent"),
            html: try properties.string("htmlTextContent"))
        guard !message.to.isEmpty || !message.cc.isEmpty || !message.bcc.isEmpty else {
            throw PropertyError("`to` is required: one address, or several separated by `;` or `,`")
        }
        if task.type == .mailExecution {
            // As Kestra's MailTemplate, the built-in message replaces any content the task sets.
            let summary = try ExecutionSummary.of(
                executionId: properties.string("executionId"), context: context, customMessage: properties.string("customMessage"),
                customFields: properties.stringPairs("customFields"))
            message.subject = message.subject ?? MailExecutionMessage.subject(summary)
            message.plainText = MailExecutionMessage.plainText(summary)
            message.html = MailExecutionMessage.html(summary)
        }
        let storage = context.run.map { run in
            StoredFiles(
                storage: FileStorage(dataDirectory: run.settings.dataDirectory),
                allowed: [
                    FileStorage.Location.execution(namespace: run.execution.namespace, flowId: run.execution.flowId, executionId: run.execution.id)
                ])
        }
        message.attachments =
            try attachments(properties.value("attachments"), name: "attachments", storage: storage)
            + attachments(properties.value("embeddedImages"), name: "embeddedImages", storage: storage, inline: true)
        let total = message.attachments.reduce(0) { $0 + $1.data.count }
        guard total <= maxAttachmentBytes else {
            throw PropertyError("the attachments total \(total) bytes, more than the limit of \(maxAttachmentBytes) bytes")
        }
        return message
    }

    private static func addresses(_ properties: RenderedProperties, _ name: String) throws -> [MailAddress] {
        try MailAddressList(parsing: properties.string(name) ?? "").addresses.map { text in
            guard let address = MailAddress(parsing: text) else { throw PropertyError("`\(name)` has an address that cannot be used: `\(text)`") }
            return address
        }
    }

    /// Kestra's `[{name, uri, contentType}]`, as a list or as JSON text (`"{{ inputs.files | toJson }}"`). Each `uri` is a
    /// `kestra:///…` URI of a stored output file, read from the data directory's `storage/`.
    private static func attachments(_ value: PebbleValue?, name: String, storage: StoredFiles?, inline: Bool = false) throws -> [MailMessage
        .Attachment]
    {
        var items: [PebbleValue]
        switch value {
        case nil, .null?: return []
        case .list(let list)?: items = list
        case .map?: items = [value!]
        case .string(let text)?:
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { return [] }
            guard let parsed = try? PebbleValue.fromJSON(trimmed) else {
                throw PropertyError("`\(name)` must be a list or JSON, but is `\(trimmed)`")
            }
            items = parsed.listValue ?? [parsed]
        case let other?:
            throw PropertyError("`\(name)` must be a list of {name, uri, contentType}, but is a \(other.typeName)")
        }
        return try items.enumerated().map { index, item in
            let path = "\(name)[\(index)]"
            guard let map = item.mapValue, let uri = map["uri"]?.rendered, !uri.isEmpty else { throw PropertyError("`\(path).uri` is required") }
            let fileName = map["name"]?.rendered ?? String(uri.split(separator: "/").last ?? "attachment")
            guard let storage else { throw PropertyError("`\(path).uri`: stored files are not available here") }
            let data = try storage.read(uri, property: "\(path).uri")
            return MailMessage.Attachment(
                name: fileName, contentType: map["contentType"]?.rendered ?? "application/octet-stream", data: data, inline: inline)
        }
    }
}

/// The stored files an attachment may name: those of the task's own execution, as for `read()` and `inputFiles`, so a
/// flow cannot mail another execution's files.
struct StoredFiles {
    let storage: FileStorage
    let allowed: [[String]]

    func read(_ uri: String, property: String) throws -> [UInt8] {
        do {
            let file = try storage.file(for: uri, allowedUnder: allowed)
            guard let data = FileManager.default.contents(atPath: file.path) else { throw PropertyError("`\(property)`: cannot read `\(uri)`") }
            return Array(data)
        } catch let error as StorageError {
            throw PropertyError("`\(property)`: \(error)")
        }
    }
}
