/// One Contact value: `*` (remove every binding) or an address with the registration
/// parameters of RFC 3261, RFC 5626 (outbound) and RFC 5627 (GRUU).
public enum ContactValue: SIPHeaderValue, Hashable {
    case wildcard
    case address(NameAddress)

    public init(parsing text: Substring) throws {
        if text.utf8.first(where: { !SIPGrammar.isWhitespace($0) }) == UInt8(ascii: "*"), text.trimmingWhitespace == "*"
        {
            self = .wildcard
        } else {
            self = .address(try NameAddress(parsing: text))
        }
    }

    public var address: NameAddress? {
        if case .address(let address) = self { return address }
        return nil
    }

    /// The `expires` parameter, saturated at 2^32-1 as RFC 3261 asks.
    public var expires: UInt32? {
        guard let text = address?.parameters["expires"], !text.isEmpty, text.allSatisfy(\.isASCIIDigit) else {
            return nil
        }
        return UInt32(exactly: UInt64(text) ?? UInt64.max) ?? UInt32.max
    }

    public var q: Double? { address?.parameters["q"].flatMap(Double.init) }

    /// `+sip.instance`, without its quotes and angle brackets (`urn:uuid:…`).
    public var instance: String? {
        guard var text = address?.parameters["+sip.instance"] else { return nil }
        if text.hasPrefix("<") && text.hasSuffix(">") { text = String(text.dropFirst().dropLast()) }
        return text
    }

    public var regID: Int? { address?.parameters["reg-id"].flatMap { Int($0) } }
    public var publicGRUU: String? { address?.parameters["pub-gruu"] }
    public var temporaryGRUU: String? { address?.parameters["temp-gruu"] }

    /// True when the contact URI carries the RFC 5626 `ob` parameter.
    public var isOutbound: Bool { address?.uri.sipURI?.parameters.contains("ob") ?? false }

    public var description: String {
        switch self {
        case .wildcard: return "*"
        case .address(let address): return address.description
        }
    }

    public var structure: Structure {
        switch self {
        case .wildcard: return .string("*")
        case .address(let address):
            guard case .object(var fields) = address.structure else { return address.structure }
            if let expires { fields.append(.init("expires", .int(Int(expires)))) }
            if let instance { fields.append(.init("instance", .string(instance))) }
            if let regID { fields.append(.init("reg_id", .int(regID))) }
            if isOutbound { fields.append(.init("ob", .bool(true))) }
            return .object(fields)
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
