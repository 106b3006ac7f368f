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
        let line = (error as? FileError)?.description ?? String(describing: error)
        FileHandle.standardError.write(Data(("llama3: " + line + "\n").utf8))
        throw ExitCode.failure
    }
}
