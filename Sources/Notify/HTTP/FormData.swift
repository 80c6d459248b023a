import Foundation

/// Request bodies for `formData`: `application/x-www-form-urlencoded` or `multipart/form-data`.
package enum FormData {
    /// `a=1&b=two%20words`, each name and value percent-encoded as HTML forms do (space as `%20`).
    package static func urlEncoded(_ fields: [(name: String, value: String)]) -> [UInt8] {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._*")
        let encode = { (text: String) in text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text }
        return Array(fields.map { encode($0.name) + "=" + encode($0.value) }.joined(separator: "&").utf8)
    }

    /// The multipart body and the `Content-Type` header value that carries its boundary.
    package static func multipart(_ fields: [(name: String, value: String)]) -> (body: [UInt8], contentType: String) {
        let boundary = "gatehouse-\(UUID().uuidString.lowercased())"
        var body = ""
        for field in fields {
            let name = field.name.replacingOccurrences(of: "\"", with: "%22").replacingOccurrences(of: "\r", with: "%0D")
                .replacingOccurrences(of: "\n", with: "%0A")
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(field.value)\r\n"
        }
        body += "--\(boundary)--\r\n"
        return (Array(body.utf8), "multipart/form-data; boundary=\(boundary)")
    }
}
