import ArgumentParser
import Foundation

@main
struct Llama3: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "llama3",
        abstract: "Tools for Llama 3 text and model files: tokenize, count, convert, quantize, inspect.",
        discussion: """
            Exit status: 0 success; 1 failure, with a one-line message on stderr naming the file
            (and, for a bad file, the byte offset and what was expected); 2 usage error.
            """,
        version: "0.1.0",
        subcommands: [Tokenize.self, Count.self, Decode.self, Chat.self, Convert.self, Inspect.self, Quantize.self, Checksum.self, Verify.self,
                      Logits.self, Generate.self, Compare.self, Perplexity.self])

    /// The contract (DESIGN.md) says usage errors exit 2; swift-argument-parser uses EX_USAGE (64)
    /// on Linux, so its usage failures are reprinted and mapped here.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(2)
        }
    }
}
