/// sipterm's version, as sent in the default `User-Agent` header.
public enum SiptermVersion {
    public static let current = "0.1.0"
}
