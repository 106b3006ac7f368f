import ArgumentParser

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
        subcommands: [Tokenize.self, Count.self, Decode.self, Chat.self, Convert.self, Inspect.self, Quantize.self, Checksum.self, Verify.self])
}
