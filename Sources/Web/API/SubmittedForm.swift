import Engine
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

    /// Text parts as the input resolver takes them; file parts are not supported yet and are reported by name.
    func submissions() throws -> [String: SubmittedInput] {
        var submitted: [String: SubmittedInput] = [:]
        for part in parts where !part.name.isEmpty && !part.name.hasPrefix("_") {
            guard part.filename == nil else {
                throw HTTPError(.unprocessableContent, message: "file inputs are not supported yet (part `\(part.name)`)")
            }
            if !part.data.isEmpty { submitted[part.name] = .text(part.text) }
        }
        return submitted
    }
}
