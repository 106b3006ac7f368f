import ArgumentParser
import BPETokenizer
import Foundation
import ModelIO

/// Options shared by every subcommand that tokenizes, runs work in parallel or prints results.
struct CommonOptions: ParsableArguments {
    @Option(help: "Vocabulary: a tiktoken tokenizer.model, an HF tokenizer.json, or a GGUF (default: $LLAMA3_VOCAB, then ~/.local/share/llama3/tokenizer.model).")
    var vocab: String?

    @Option(help: "Worker threads (default: all cores); results never depend on it.")
    var threads: Int?

    @Flag(help: "Print JSON for programs instead of text.")
    var json = false

    @Flag(help: "No progress output on stderr.")
    var quiet = false

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    var threadCount: Int { threads ?? defaultThreadCount }

    var vocabularyLocation: VocabularyLocation {
        VocabularyLocation.resolve(flag: vocab, environment: ProcessInfo.processInfo.environment)
    }
}

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
