import ArgumentParser
import BPETokenizer
import FoundationEssentials
import Glibc
import ModelIO

/// `llama3 vocab install FILE` and `llama3 vocab path`: setting up the default vocabulary without
/// the source checkout.
struct Vocab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vocab",
        abstract: "Install the default vocabulary, or print its path.",
        subcommands: [Install.self, Path.self])

    /// The official Llama 3 tokenizer.model: llama_models/llama3/tokenizer.model in the PyPI wheel
    /// llama-models==0.3.0 (the digest vocab/install.sh pins as well).
    static let officialSHA256 = "82e9d31979e92ab929cd544440f129d9ecd797b69e327f80f17e1c50d5551b55"

    static var environment: [String: String] { ProcessInfo.processInfo.environment }

    struct Install: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "install",
            abstract: "Check a tokenizer.model's sha256 and install it at the default path.",
            discussion: """
                FILE is the official Llama 3 tokenizer.model (sha256 82e9d319...5551b55), or the PyPI \
                wheel llama-models==0.3.0 (`pip download --no-deps llama-models==0.3.0`), whose member \
                llama_models/llama3/tokenizer.model is read out of it. The file is written atomically; \
                a file with another digest installs nothing (exit 1).
                """)

        @Argument(help: "The tokenizer.model, or the llama-models wheel holding it.")
        var file: String

        /// Where the llama-models wheel keeps the vocabulary.
        static let wheelMember = "llama_models/llama3/tokenizer.model"

        func run() throws {
            try reportingFailures {
                let (content, member) = try vocabularyBytes()
                let digest = SHA256.hex(content)
                guard digest == Vocab.officialSHA256 else {
                    throw FileError(
                        file: file,
                        (member.map { "\($0): " } ?? "") + "sha256 is \(digest), expected \(Vocab.officialSHA256) (the official Llama 3 tokenizer.model); nothing installed")
                }
                let target = VocabularyLocation.defaultPath(environment: Vocab.environment)
                try FileManager.default.createDirectory(
                    atPath: PathText.deletingLastComponent(target), withIntermediateDirectories: true)
                let writer = try AtomicFileWriter(destination: target, inputs: [file])
                try writer.write(content)
                try writer.commit()
                try printLine("installed the Llama 3 vocabulary: \(target)")
            }
        }

        /// FILE's bytes, or for a zip archive (a wheel starts with a local header, "PK\3\4") the
        /// bytes of its tokenizer.model member, with that member's name.
        private func vocabularyBytes() throws -> (bytes: [UInt8], member: String?) {
            let source = try ByteSource(mapping: file)
            guard source.count >= 4, try source.bytes(offset: 0, length: 4) == [0x50, 0x4B, 0x03, 0x04] else {
                return (try source.bytes(offset: 0, length: source.count), nil)
            }
            guard let member = try ZipArchive(source).contents(of: Self.wheelMember) else {
                throw FileError(
                    file: file,
                    "is a zip archive without \(Self.wheelMember) (expected the llama-models 0.3.0 wheel); nothing installed")
            }
            return (member, Self.wheelMember)
        }
    }

    struct Path: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "path",
            abstract: "Print the vocabulary path the commands use.",
            discussion: """
                The path from $LLAMA3_VOCAB when set, else the default \
                ${XDG_DATA_HOME:-~/.local/share}/llama3/tokenizer.model (--vocab, when given to a \
                command, comes before both). --json adds where it came from, whether it exists, the \
                default path and the cache folder.
                """)

        @OptionGroup var output: OutputOptions

        func run() throws {
            try reportingFailures {
                let location = VocabularyLocation.resolve(flag: nil, environment: Vocab.environment)
                guard output.json else { return try printLine(location.path) }
                try printLine(JSONValue.object([
                    JSONMember("path", .string(location.path)),
                    JSONMember("origin", .string(location.origin.rawValue)),
                    JSONMember("exists", .bool(FileManager.default.fileExists(atPath: location.path))),
                    JSONMember("default_path", .string(VocabularyLocation.defaultPath(environment: Vocab.environment))),
                    JSONMember("cache_folder", .string(VocabularyLocation.cacheFolder(environment: Vocab.environment))),
                ]).serialized())
            }
        }
    }
}
