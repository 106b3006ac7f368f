/// The error of every parser and writer about a file: it says which file, where in it, and what
/// was expected there, and prints as a single line, because that line is what a shell user sees.
public struct FileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The path as the user gave it, or a label such as `<stdin>` or `<memory>`.
    public var file: String
    /// The byte offset the problem was found at, when it is about a place in the file.
    public var offset: UInt64?
    /// What was expected, and what was found instead when that helps ("expected magic \"GGUF\", found \"GGML\"").
    public var message: String

    public init(file: String, offset: UInt64? = nil, _ message: String) {
        self.file = file
        self.offset = offset
        self.message = message
    }

    public init(file: String, offset: Int, _ message: String) {
        self.init(file: file, offset: UInt64(max(0, offset)), message)
    }

    public var description: String {
        let single = message.replacingNewlines()
        if let offset { return "\(file): at byte \(offset): \(single)" }
        return "\(file): \(single)"
    }
}

extension String {
    /// The text on one line: a message is printed as one line of a shell's output.
    func replacingNewlines() -> String {
        var out = ""
        out.reserveCapacity(utf8.count)
        for scalar in unicodeScalars {
            if scalar == "\n" || scalar == "\r" { out.append(" ") } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }
}
