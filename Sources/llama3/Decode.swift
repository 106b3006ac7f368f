import ArgumentParser
import BPETokenizer
import Glibc
import ModelIO

struct Decode: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Turn token ids back into exactly their bytes.",
        discussion: "Ids come from the arguments, or from stdin (separated by white space, or a JSON array). No newline is added.")

    @Argument(help: "Token ids; none reads them from stdin.")
    var ids: [Int] = []

    @Flag(help: "Say on stderr which vocabulary file and special-token names are in use.")
    var verbose = false

    @OptionGroup var vocabulary: VocabularyOptions

    func run() throws {
        try reportingFailures {
            let tokenizer = Tokenizer(vocabulary: try loadVocabulary(vocabulary, verbose: verbose))
            let list = ids.isEmpty ? try IDList.parse(try InputStream(path: nil).readAll(), source: "<stdin>") : ids
            try StandardStream.output.write(try tokenizer.decode(list))
        }
    }
}
