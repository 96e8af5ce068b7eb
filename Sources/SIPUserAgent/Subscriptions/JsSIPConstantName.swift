/// JsSIP's spelling of a termination code: the Swift case name in upper snake case
/// (`subscribeResponseTimeout` → `SUBSCRIBE_RESPONSE_TIMEOUT`), so one table of cases serves.
enum JsSIPConstantName {
    static func of(_ value: some Any) -> String {
        var name = ""
        for character in String(describing: value) {
            if character.isUppercase, !name.isEmpty { name.append("_") }
            name.append(character.uppercased())
        }
        return name
    }
}
