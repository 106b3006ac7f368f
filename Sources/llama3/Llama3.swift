import ArgumentParser
import Glibc
import ModelIO

@main
struct Llama3: ParsableCommand {
    static let configuration = CommandConfiguration(
        // Every command names itself: argument-parser otherwise derives each name from
        // String(describing: type) when it builds the command tree, a dynamic cast per command
        // that scans all protocol conformances (12% of `echo hello | llama3 count`'s CPU time,
        // half of its argument parsing, in perf; Docs/BENCHMARKS.md).
        commandName: "llama3",
        abstract: "Tools for Llama 3 text and model files: tokenize, count, convert, quantize, inspect.",
        discussion: """
            Exit status: 0 success; 1 failure, with a one-line message on stderr naming the file \
            (and, for a bad file, the byte offset and what was expected); 2 usage error.
            """,
        version: "0.1.0",
        subcommands: [Tokenize.self, Count.self, Decode.self, Chat.self, Convert.self, Inspect.self, Quantize.self, Checksum.self, Verify.self,
                      Logits.self, Generate.self, Compare.self, Perplexity.self, Vocab.self])

    /// argument-parser's own printing (help, version, usage errors) is redone here through the
    /// checked writer, so `llama3 --help > /dev/full` fails as any other output does. The contract
    /// (Docs/CLI.md) says usage errors exit 2; argument-parser uses EX_USAGE (64) on Linux.
    static func main() {
        StandardStream.guardClosedDescriptors()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                do {
                    if !message.isEmpty { try StandardStream.output.write(message + "\n") }
                } catch {
                    StandardStream.error.writeIgnoringFailure("llama3: \(error)\n")
                    Glibc.exit(ExitCode.failure.rawValue)
                }
                Glibc.exit(0)
            }
            if !message.isEmpty { StandardStream.error.writeIgnoringFailure(message + "\n") }
            Glibc.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}
