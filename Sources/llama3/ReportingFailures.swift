import ArgumentParser
import Foundation
import ModelIO

/// Runs a subcommand's work; a library error becomes one line on stderr and exit status 1.
func reportingFailures(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        // Library errors describe themselves (CustomStringConvertible); the user sees one line.
        let line = String(describing: error).split(whereSeparator: \.isNewline).joined(separator: " ")
        FileHandle.standardError.write(Data(("llama3: " + line + "\n").utf8))
        throw ExitCode.failure
    }
}
