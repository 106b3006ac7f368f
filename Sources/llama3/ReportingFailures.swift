import ArgumentParser
import ModelIO

/// Runs a subcommand's work; a library error (a failed write to stdout or stderr included)
/// becomes one line on stderr and exit status 1. When stderr itself fails there is nowhere to
/// say so, and the exit status alone tells.
func reportingFailures(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        // Library errors describe themselves (CustomStringConvertible); the user sees one line.
        // Names in messages come from files: their control characters are escaped.
        let line = String(describing: error).split(whereSeparator: \.isNewline).joined(separator: " ")
        StandardStream.error.writeIgnoringFailure("llama3: " + line.escapingControlCharacters() + "\n")
        throw ExitCode.failure
    }
}

/// Prints `text` and a newline on stdout.
func printLine(_ text: String) throws {
    try StandardStream.output.write(text + "\n")
}

/// Prints `text` as it is on stdout (text reports end with their own newline).
func printText(_ text: String) throws {
    try StandardStream.output.write(text)
}

/// Says `text` on stderr, as one line (control characters of names in it escaped).
func sayOnStderr(_ text: String) throws {
    try StandardStream.error.write(text.escapingControlCharacters() + "\n")
}
