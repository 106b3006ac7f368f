import ArgumentParser
import BPETokenizer

/// Options shared by the commands that turn text into ids (tokenize, count, chat).
struct TokenizerOptions: ParsableArguments {
    @Flag(help: "Turn special-token text such as <|eot_id|> into its id (default: ordinary text).")
    var special = false

    @Flag(help: "Replace invalid UTF-8 with U+FFFD instead of failing.")
    var lossy = false

    @Flag(help: "Cut runs of over 25,000 (non-)white-space characters as Meta's reference encoder does.")
    var metaChunking = false

    @Flag(help: "Say on stderr which vocabulary file and special-token names are in use.")
    var verbose = false

    var options: Tokenizer.Options { Tokenizer.Options(parseSpecial: special, metaChunking: metaChunking) }

    func streamOptions(threads: Int) -> Tokenizer.StreamOptions {
        Tokenizer.StreamOptions(tokenizer: options, lossy: lossy, threads: threads)
    }
}
