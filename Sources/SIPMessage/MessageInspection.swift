/// The structure of a message as `sipterm inspect` shows it: kind, start line parts, every header
/// in order with its decoded value where sipterm knows the header, and the body length.
extension SIPMessage {
    public var structure: Structure {
        var fields: [Structure.Field] = []
        switch self {
        case .request(let request):
            fields.append(.init("kind", .string("request")))
            fields.append(.init("method", .string(request.method.name)))
            fields.append(.init("request_uri", request.uri.structure))
        case .response(let response):
            fields.append(.init("kind", .string("response")))
            fields.append(.init("status_code", .int(response.statusCode)))
            fields.append(.init("reason_phrase", .string(response.reasonPhrase)))
        }
        fields.append(.init("version", .string(version)))
        fields.append(.init("headers", .array(headers.map(Self.structure(of:)))))
        fields.append(.init("body_length", .int(body.count)))
        return .object(fields)
    }

    static func structure(of field: HeaderField) -> Structure {
        var entry: [Structure.Field] = [.init("name", .string(field.name.text))]
        if let wire = field.wireName, wire != field.name.text { entry.append(.init("wire_name", .string(wire))) }
        let masked = field.name.known == .authorization || field.name.known == .proxyAuthorization
        if !masked { entry.append(.init("value", .string(String(field.value)))) }
        if let known = field.name.known, let type = known.valueType {
            do {
                let parts = known.isList ? try HeaderList.split(field.value) : [field.value]
                let values = try parts.map { try type.init(parsing: $0).structure }
                entry.append(.init("parsed", known.isList ? .array(values) : values.first ?? .null))
            } catch {
                entry.append(.init("error", .string("\(error)")))
            }
        }
        return .object(entry)
    }
}

extension Structure {
    /// Compact JSON, keys in order.
    public var json: String {
        var out = ""
        writeJSON(into: &out)
        return out
    }

    func writeJSON(into out: inout String) {
        switch self {
        case .string(let text): Structure.writeJSONString(text, into: &out)
        case .int(let value): out += String(value)
        case .bool(let value): out += value ? "true" : "false"
        case .null: out += "null"
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                item.writeJSON(into: &out)
            }
            out += "]"
        case .object(let fields):
            out += "{"
            for (index, field) in fields.enumerated() {
                if index > 0 { out += "," }
                Structure.writeJSONString(field.key, into: &out)
                out += ":"
                field.value.writeJSON(into: &out)
            }
            out += "}"
        }
    }

    static func writeJSONString(_ text: String, into out: inout String) { out += QuotedText.basic(text) }

    /// Indented `key: value` lines for people.
    public var text: String {
        var out = ""
        writeText(into: &out, indent: "")
        return out
    }

    func writeText(into out: inout String, indent: String) {
        switch self {
        case .object(let fields):
            for field in fields {
                switch field.value {
                case .object(let inner) where inner.isEmpty: continue
                case .object, .array:
                    out += "\(indent)\(field.key):\n"
                    field.value.writeText(into: &out, indent: indent + "  ")
                default:
                    out += "\(indent)\(field.key): \(field.value.scalarText)\n"
                }
            }
        case .array(let items):
            for (index, item) in items.enumerated() {
                switch item {
                case .object, .array:
                    out += "\(indent)[\(index)]\n"
                    item.writeText(into: &out, indent: indent + "  ")
                default: out += "\(indent)- \(item.scalarText)\n"
                }
            }
        default:
            out += indent + scalarText + "\n"
        }
    }

    var scalarText: String {
        switch self {
        case .string(let text):
            return text.unicodeScalars.contains { $0.value < 0x20 } ? Structure.string(text).json : text
        case .int(let value): return String(value)
        case .bool(let value): return value ? "true" : "false"
        case .null: return "null"
        default: return json
        }
    }
}
