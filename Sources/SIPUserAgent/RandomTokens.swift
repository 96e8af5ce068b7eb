/// JsSIP's random identifiers: base-32 tokens for tags and Call-IDs, `z9hG4bK` branches.
enum RandomTokens {
    static let alphabet = Array("0123456789abcdefghijklmnopqrstuv")

    static func token(_ length: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet[Int(generator.next() % 32)] })
    }

    /// A From/To tag: 10 characters.
    static func tag() -> String { token(10) }

    /// A Call-ID: 22 characters (JsSIP's registrator uses 22).
    static func callID() -> String { token(22) }

    /// A branch with the RFC 3261 magic cookie.
    static func branch() -> String { "z9hG4bK" + token(16) }
}
