/// The task types Gatehouse runs, with their Kestra names, older aliases and properties.
public enum TaskType: String, Sendable, CaseIterable {
    case log, returnValue, echo, outputValues, fail, sleep
    case ifCondition, switchCase, sequential, parallel, forEach, loop, pause
    case httpRequest, shellCommands, shellScript, terraformCLI
    case slackIncomingWebhook, slackExecution, mailSend, mailExecution

    /// The current (Kestra 2.0) fully qualified name.
    public var canonicalName: String {
        switch self {
        case .log: "io.kestra.plugin.core.log.Log"
        case .returnValue: "io.kestra.plugin.core.debug.Return"
        case .echo: "io.kestra.plugin.core.debug.Echo"
        case .outputValues: "io.kestra.plugin.core.output.OutputValues"
        case .fail: "io.kestra.plugin.core.execution.Fail"
        case .sleep: "io.kestra.plugin.core.flow.Sleep"
        case .ifCondition: "io.kestra.plugin.core.flow.If"
        case .switchCase: "io.kestra.plugin.core.flow.Switch"
        case .sequential: "io.kestra.plugin.core.flow.Sequential"
        case .parallel: "io.kestra.plugin.core.flow.Parallel"
        case .forEach: "io.kestra.plugin.core.flow.ForEach"
        case .loop: "io.kestra.plugin.core.flow.Loop"
        case .pause: "io.kestra.plugin.core.flow.Pause"
        case .httpRequest: "io.kestra.plugin.core.http.Request"
        case .shellCommands: "io.kestra.plugin.scripts.shell.Commands"
        case .shellScript: "io.kestra.plugin.scripts.shell.Script"
        case .terraformCLI: "io.kestra.plugin.terraform.cli.TerraformCLI"
        case .slackIncomingWebhook: "io.kestra.plugin.slack.notifications.SlackIncomingWebhook"
        case .slackExecution: "io.kestra.plugin.slack.notifications.SlackExecution"
        case .mailSend: "io.kestra.plugin.email.MailSend"
        case .mailExecution: "io.kestra.plugin.email.MailExecution"
        }
    }

    /// Older names that mean the same type (Kestra's `aliases` and the 1.x → 2.0 renames).
    public var aliases: [String] {
        switch self {
        case .log: ["io.kestra.core.tasks.log.Log"]
        case .returnValue: ["io.kestra.core.tasks.debugs.Return"]
        case .echo: ["io.kestra.core.tasks.debugs.Echo"]
        case .outputValues: ["io.kestra.core.tasks.outputs.OutputValues"]
        case .fail: ["io.kestra.core.tasks.executions.Fail"]
        case .sleep: []
        case .ifCondition: ["io.kestra.core.tasks.flows.If"]
        case .switchCase: ["io.kestra.core.tasks.flows.Switch"]
        case .sequential: ["io.kestra.core.tasks.flows.Sequential"]
        case .parallel: ["io.kestra.core.tasks.flows.Parallel"]
        case .forEach: []
        case .loop: []
        case .pause: ["io.kestra.core.tasks.flows.Pause"]
        case .httpRequest: ["io.kestra.plugin.fs.http.Request", "io.kestra.core.tasks.http.Request"]
        case .shellCommands: []
        case .shellScript: []
        case .terraformCLI: []
        case .slackIncomingWebhook: ["io.kestra.plugin.notifications.slack.SlackIncomingWebhook", "io.kestra.plugin.slack.SlackIncomingWebhook"]
        case .slackExecution: ["io.kestra.plugin.notifications.slack.SlackExecution"]
        case .mailSend: ["io.kestra.plugin.notifications.mail.MailSend"]
        case .mailExecution: ["io.kestra.plugin.notifications.mail.MailExecution"]
        }
    }

    /// Flowable tasks only arrange other tasks; runnable tasks do work.
    public var isFlowable: Bool {
        switch self {
        case .ifCondition, .switchCase, .sequential, .parallel, .forEach, .loop: true
        default: false
        }
    }

    /// Looks a declared type up through the alias table.
    public init?(declared: String) {
        guard let type = TaskType.byName[declared] else { return nil }
        self = type
    }

    static let byName: [String: TaskType] = {
        var table: [String: TaskType] = [:]
        for type in TaskType.allCases {
            table[type.canonicalName] = type
            for alias in type.aliases { table[alias] = type }
        }
        return table
    }()

    /// The common task properties of KESTRA.md §5.1, read for every type.
    static let commonProperties: [String] = [
        "id", "type", "description", "retry", "timeout", "disabled", "runIf", "allowFailure", "allowWarning",
        "logLevel", "logToFile", "workerGroup",
    ]

    /// Kestra properties of this type that Gatehouse does not run yet: a flow using one is invalid, at the property,
    /// rather than run as if it were not there (KESTRA.md §1).
    var unsupportedProperties: [String] {
        switch self {
        case .loop: ["outputs", "transmitFailed"]
        case .pause: ["tasks", "errors", "finally"]
        default: []
        }
    }

    /// The type's own properties (beyond the common ones).
    var properties: [PropertySpec] {
        switch self {
        case .log:
            [PropertySpec("message", .stringOrList, required: true), PropertySpec("level", .enumeration(Schema.logLevels))]
        case .returnValue:
            [PropertySpec("format", .string)]
        case .echo:
            [PropertySpec("format", .string, required: true), PropertySpec("level", .enumeration(Schema.logLevels))]
        case .outputValues:
            [PropertySpec("values", .map, required: true)]
        case .fail:
            [PropertySpec("condition", .string), PropertySpec("errorMessage", .string)]
        case .sleep:
            [PropertySpec("duration", .duration, required: true)]
        case .ifCondition:
            [
                PropertySpec("condition", .string, required: true), PropertySpec("then", .tasks(nonEmpty: true), required: true),
                PropertySpec("else", .tasks(nonEmpty: false)), PropertySpec("errors", .tasks(nonEmpty: false)),
                PropertySpec("finally", .tasks(nonEmpty: false)),
            ]
        case .switchCase:
            [
                PropertySpec("value", .string, required: true), PropertySpec("cases", .cases),
                PropertySpec("defaults", .tasks(nonEmpty: false)), PropertySpec("errors", .tasks(nonEmpty: false)),
                PropertySpec("finally", .tasks(nonEmpty: false)),
            ]
        case .sequential:
            [
                PropertySpec("tasks", .tasks(nonEmpty: true), required: true), PropertySpec("errors", .tasks(nonEmpty: false)),
                PropertySpec("finally", .tasks(nonEmpty: false)),
            ]
        case .parallel:
            [
                PropertySpec("tasks", .tasks(nonEmpty: true), required: true), PropertySpec("concurrent", .int(minimum: 0)),
                PropertySpec("errors", .tasks(nonEmpty: false)), PropertySpec("finally", .tasks(nonEmpty: false)),
            ]
        case .forEach:
            [
                PropertySpec("values", .listOrString, required: true), PropertySpec("concurrencyLimit", .int(minimum: 0)),
                PropertySpec("tasks", .tasks(nonEmpty: true), required: true), PropertySpec("errors", .tasks(nonEmpty: false)),
                PropertySpec("finally", .tasks(nonEmpty: false)),
            ]
        case .loop:
            [
                PropertySpec("values", .listOrString, required: true), PropertySpec("concurrencyLimit", .int(minimum: 0)),
                PropertySpec("tasks", .tasks(nonEmpty: true), required: true), PropertySpec("errors", .tasks(nonEmpty: false)),
                PropertySpec("finally", .tasks(nonEmpty: false)),
            ]
        case .pause:
            [
                PropertySpec("pauseDuration", .duration, aliases: ["delay"]),
                PropertySpec("behavior", .enumeration(["RESUME", "WARN", "FAIL", "CANCEL"])),
                PropertySpec("onResume", .inputs), PropertySpec("onPause", .task),
            ]
        case .httpRequest:
            [
                PropertySpec("uri", .string, required: true),
                PropertySpec("method", .enumeration(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])),
                PropertySpec("body", .any), PropertySpec("formData", .map), PropertySpec("contentType", .string),
                PropertySpec("headers", .stringMap), PropertySpec("options", .map), PropertySpec("sslOptions", .map),
                PropertySpec("allowFailed", .bool), PropertySpec("encryptBody", .bool),
            ]
        case .shellCommands:
            Schema.scriptProperties + [PropertySpec("commands", .stringList, required: true), PropertySpec("interpreter", .stringList)]
        case .shellScript:
            Schema.scriptProperties + [PropertySpec("script", .string, required: true), PropertySpec("interpreter", .stringList)]
        case .terraformCLI:
            Schema.scriptProperties + [PropertySpec("commands", .stringList, required: true)]
        case .slackIncomingWebhook:
            [
                PropertySpec("url", .string, required: true), PropertySpec("payload", .mapOrString), PropertySpec("messageText", .string),
                PropertySpec("options", .map),
            ]
        case .slackExecution:
            [
                PropertySpec("url", .string, required: true), PropertySpec("executionId", .string), PropertySpec("customFields", .map),
                PropertySpec("customMessage", .string), PropertySpec("channel", .string), PropertySpec("username", .string),
                PropertySpec("iconUrl", .string), PropertySpec("iconEmoji", .string), PropertySpec("options", .map),
            ]
        case .mailSend:
            Schema.mailProperties
        case .mailExecution:
            Schema.mailProperties + [
                PropertySpec("executionId", .string), PropertySpec("customFields", .map), PropertySpec("customMessage", .string),
            ]
        }
    }
}

/// Property groups shared by several types.
enum Schema {
    static let logLevels = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR"]

    static let taskRunners: [TypedObjectSpec] = [
        TypedObjectSpec(canonicalName: "io.kestra.plugin.core.runner.Process", aliases: [], properties: []),
        TypedObjectSpec(canonicalName: "io.kestra.plugin.scripts.runner.docker.Docker", aliases: [], properties: nil),
    ]

    static let scriptProperties: [PropertySpec] = [
        PropertySpec("beforeCommands", .stringList),
        PropertySpec("env", .stringMap),
        PropertySpec("taskRunner", .typedObject(name: "task runner", types: taskRunners)),
        PropertySpec("runner", .enumeration(["PROCESS", "DOCKER"])),
        PropertySpec("docker", .map),
        PropertySpec("containerImage", .string),
        PropertySpec("failFast", .bool),
        PropertySpec("warningOnStdErr", .bool),
        PropertySpec("inputFiles", .mapOrString),
        PropertySpec("outputFiles", .stringList),
        PropertySpec(
            "namespaceFiles",
            .object(
                name: "namespaceFiles",
                properties: [
                    PropertySpec("enabled", .bool), PropertySpec("include", .stringList), PropertySpec("exclude", .stringList),
                    PropertySpec("ifExists", .enumeration(["OVERWRITE", "FAIL", "WARN", "IGNORE"])),
                    PropertySpec("folderPerNamespace", .bool), PropertySpec("namespaces", .stringList),
                ])),
        PropertySpec("targetOS", .enumeration(["LINUX", "WINDOWS", "AUTO"])),
    ]

    static let mailProperties: [PropertySpec] = [
        PropertySpec("host", .string), PropertySpec("port", .int(minimum: 1)), PropertySpec("username", .string),
        PropertySpec("password", .string),
        PropertySpec("transportStrategy", .enumeration(["SMTP", "SMTPS", "SMTP_TLS", "SMTP_OAUTH2"])),
        PropertySpec("sessionTimeout", .int(minimum: 0)), PropertySpec("verifyServerIdentity", .bool),
        PropertySpec("trustedHosts", .stringList), PropertySpec("from", .string), PropertySpec("to", .string),
        PropertySpec("cc", .string), PropertySpec("bcc", .string), PropertySpec("subject", .string),
        PropertySpec("htmlTextContent", .string), PropertySpec("plainTextContent", .string),
        PropertySpec("attachments", .any), PropertySpec("embeddedImages", .any),
    ]
}
