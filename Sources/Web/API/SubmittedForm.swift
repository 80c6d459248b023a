import Engine
import FlowModel
import Foundation
import Hummingbird
import MultipartKit

/// The parts of a posted form, multipart (as Kestra's API takes inputs: one part per input) or URL-encoded.
struct SubmittedForm: Sendable {
    struct Part: Sendable {
        let name: String
        let filename: String?
        let data: [UInt8]

        var text: String { String(decoding: data, as: UTF8.self) }
    }

    let parts: [Part]

    static let maximumBytes = 32 * 1024 * 1024

    static func read(_ request: Request) async throws -> SubmittedForm {
        let type = request.headers[.contentType] ?? ""
        let body = try await request.body.collect(upTo: maximumBytes)
        if type.lowercased().hasPrefix("multipart/form-data") {
            guard
                let boundary = type.split(separator: ";").lazy.map({ $0.trimmingCharacters(in: .whitespaces) })
                    .first(where: { $0.lowercased().hasPrefix("boundary=") }).map({
                        String($0.dropFirst("boundary=".count)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                    })
            else { throw HTTPError(.badRequest, message: "a multipart/form-data body needs a boundary") }
            return SubmittedForm(parts: try parseMultipart(body, boundary: boundary))
        }
        return SubmittedForm(parts: FormFields(String(buffer: body)).pairs.map { Part(name: $0.name, filename: nil, data: Array($0.value.utf8)) })
    }

    private static func parseMultipart(_ body: ByteBuffer, boundary: String) throws -> [Part] {
        let parser = MultipartParser(boundary: boundary)
        final class Collector {
            var parts: [Part] = []
            var headers: [String: String] = [:]
            var data: [UInt8] = []
        }
        let collector = Collector()
        parser.onHeader = { name, value in collector.headers[name.lowercased()] = value }
        parser.onBody = { buffer in collector.data += buffer.readBytes(length: buffer.readableBytes) ?? [] }
        parser.onPartComplete = {
            let disposition = collector.headers["content-disposition"] ?? ""
            let name = Self.parameter("name", in: disposition) ?? ""
            collector.parts.append(Part(name: name, filename: Self.parameter("filename", in: disposition), data: collector.data))
            collector.headers = [:]
            collector.data = []
        }
        do {
            try parser.execute(body)
        } catch {
            throw HTTPError(.badRequest, message: "the multipart/form-data body cannot be read: \(error)")
        }
        return collector.parts
    }

    private static func parameter(_ key: String, in disposition: String) -> String? {
        for piece in disposition.split(separator: ";") {
            let pair = piece.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1).map(String.init)
            if pair.count == 2, pair[0].lowercased() == key { return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        }
        return nil
    }

    /// The text parts, as the form fields the page's resolver step reads.
    var textFields: FormFields {
        FormFields(pairs: parts.filter { $0.filename == nil }.map { (name: $0.name, value: $0.text) })
    }

    /// Text parts as the input resolver takes them; files go through ``InputUploads``.
    func submissions() -> [String: SubmittedInput] {
        var submitted: [String: SubmittedInput] = [:]
        for part in parts where !part.name.isEmpty && !part.name.hasPrefix("_") && part.filename == nil {
            if !part.data.isEmpty { submitted[part.name] = .text(part.text) }
        }
        return submitted
    }
}

/// Files uploaded for FILE inputs: stored under the execution that will be created (its id is chosen first), so its
/// tasks can read them as `inputs.<id>`; removed again when the inputs turn out invalid.
struct InputUploads {
    let executionId = ExecutionID.generate().rawValue
    let storage: FileStorage
    let deployed: DeployedFlow

    /// Stores each file part that answers a FILE input and returns it as a submission; other file parts are ignored.
    func store(_ form: SubmittedForm) throws -> [String: SubmittedInput] {
        let fileInputs = Set(Self.fileInputs(deployed.flow.inputs))
        var submitted: [String: SubmittedInput] = [:]
        for part in form.parts where fileInputs.contains(part.name) {
            guard let filename = part.filename, !filename.isEmpty, !part.data.isEmpty else { continue }
            do {
                let uri = try storage.putInput(
                    part.data, fileName: filename, inputId: part.name, namespace: deployed.flow.namespace, flowId: deployed.flow.id,
                    executionId: executionId)
                submitted[part.name] = .file(uri: uri, filename: filename)
            } catch {
                throw HTTPError(.unprocessableContent, message: "the file for `\(part.name)` cannot be stored: \(error)")
            }
        }
        return submitted
    }

    func discard() {
        storage.removeInputs(namespace: deployed.flow.namespace, flowId: deployed.flow.id, executionId: executionId)
    }

    static func fileInputs(_ declarations: [InputDeclaration]) -> [String] {
        declarations.flatMap { $0.type == .file ? [$0.id] : fileInputs($0.children) }
    }
}
