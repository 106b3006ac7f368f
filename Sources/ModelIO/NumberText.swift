import Glibc

/// C's printf formatting of numbers (`%8.3f`, `%6ld`), which `String(format:)` gave before: that
/// one lives in Foundation, and importing Foundation links it, its ICU data and thousands of
/// protocol conformances into the binary, which every start pays for (Docs/BENCHMARKS.md,
/// start-up). For numbers only: a `%s` would need a C string, and nothing here passes one.
public func cFormat(_ format: String, _ arguments: CVarArg...) -> String {
    var capacity = 128
    while true {
        var buffer = [CChar](repeating: 0, count: capacity)
        let size = capacity
        let written = Int(withVaList(arguments) { vsnprintf(&buffer, size, format, $0) })
        guard written >= 0 else { return "" }
        if written < capacity {
            return String(decoding: buffer[..<written].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        capacity = written + 1
    }
}

/// Path text, as the NSString path methods gave it before (see `cFormat` for why not Foundation).
public enum PathText {
    /// The last component: trailing slashes ignored, "/" for "/", "" for "".
    public static func lastComponent(_ path: String) -> String {
        let components = path.split(separator: "/", omittingEmptySubsequences: true)
        guard let last = components.last else { return path.hasPrefix("/") ? "/" : "" }
        return String(last)
    }

    /// The path without its last component: "" for a bare name, "/" for "/name".
    public static func deletingLastComponent(_ path: String) -> String {
        var components = path.split(separator: "/", omittingEmptySubsequences: true)
        let absolute = path.hasPrefix("/")
        guard !components.isEmpty else { return absolute ? "/" : "" }
        components.removeLast()
        let joined = components.joined(separator: "/")
        return absolute ? "/" + joined : joined
    }

    /// The path with "." components and repeated or trailing slashes removed, and each ".."
    /// cancelling the name before it, without looking at the file system ("a/./b/../c/" is "a/c").
    /// A ".." with no name before it stays; a relative path that reduces to nothing is ".".
    public static func lexicallyNormalized(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var kept: [Substring] = []
        for component in path.split(separator: "/", omittingEmptySubsequences: true) where component != "." {
            if component == "..", let last = kept.last, last != ".." {
                kept.removeLast()
            } else if component == "..", absolute, kept.isEmpty {
                continue  // "/.." is "/"
            } else {
                kept.append(component)
            }
        }
        let joined = kept.joined(separator: "/")
        if absolute { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }
}
