/// An error that is about no file: a value a library caller passed that cannot be used, or a
/// promise between two parts of the program that did not hold. It prints as its message, on one
/// line, as `FileError` does; errors about a file are `FileError`s and name it.
public struct ToolError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message.replacingNewlines() }
}
