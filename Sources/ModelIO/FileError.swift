/// The one error type of every parser and writer: it says which file, where in it, and what
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

    /// The same error, told about a different file name (a buffer parsed on behalf of a file).
    public func inFile(_ name: String) -> FileError {
        var copy = self
        copy.file = name
        return copy
    }
}

extension String {
    fileprivate func replacingNewlines() -> String {
        var out = ""
        out.reserveCapacity(utf8.count)
        for scalar in unicodeScalars {
            if scalar == "\n" || scalar == "\r" { out.append(" ") } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }
}

/// Thrown by POSIX wrappers: the failing call, its errno text, and the path involved.
func systemError(_ what: String, path: String, errno code: Int32) -> FileError {
    FileError(file: path, "\(what) failed: \(errnoDescription(code))")
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

func errnoDescription(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "errno \(code)" }
    return String(cString: text)
}
