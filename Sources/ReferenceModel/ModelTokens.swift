import BPETokenizer
import LlamaLayout
import ModelFiles
import ModelIO

/// The vocabulary and special ids that come with a model file: a GGUF's tokenizer.ggml.* keys,
/// or the tokenizer.json / tokenizer.model and config files of an HF folder.
public struct ModelTokens: Sendable {
    /// nil when the file carries no vocabulary this project can tokenize with (ids still work).
    public let vocabulary: Vocabulary?
    /// Where `vocabulary` came from, for --verbose.
    public let vocabularySource: String?
    /// Why the file's own vocabulary could not be read, when it has one this project cannot use
    /// (ids still work; only text input needs it).
    public let vocabularyProblem: String?
    /// <|begin_of_text|>: what perplexity windows start with.
    public let beginOfText: Int?
    /// Ids generation stops at: end of text, end of turn, and whatever the file declares as EOS.
    public let stops: Set<Int>

    /// `override` (the --vocab file) replaces the model's own vocabulary.
    public init(file: ModelFile, override: Vocabulary? = nil, overrideSource: String? = nil) throws {
        var declaredBOS: Int?, declaredStops: [Int] = []
        var bundled: Vocabulary?, source: String?, problem: String?
        func attempt(_ read: () throws -> Vocabulary) -> Vocabulary? {
            do { return try read() } catch {
                problem = (error as? FileError)?.description ?? "\(error)"
                return nil
            }
        }
        if let gguf = file.container.ggufHeader {
            declaredBOS = gguf.metadata["tokenizer.ggml.bos_token_id"]?.integer
            declaredStops = [gguf.metadata["tokenizer.ggml.eos_token_id"]?.integer, gguf.metadata["tokenizer.ggml.eot_token_id"]?.integer].compactMap { $0 }
            if override == nil, gguf.metadata["tokenizer.ggml.tokens"] != nil {
                bundled = attempt { try GGUFVocabulary.vocabulary(from: gguf.metadata, file: gguf.source.name) }
                source = gguf.source.name + " (tokenizer.ggml.* keys)"
            }
        } else {
            let sideFiles = HuggingFaceSideFiles(beside: file)
            for config in [sideFiles.config, sideFiles.generationConfig] {
                guard case .success(let config)? = config else { continue }
                declaredBOS = config["bos_token_id"]?.int64Value.map { Int($0) } ?? declaredBOS
                let eos = config["eos_token_id"]
                declaredStops += (eos?.arrayValue ?? eos.map { [$0] } ?? []).compactMap { $0.int64Value.map { Int($0) } }
            }
            if override == nil {
                for path in [sideFiles.tokenizerJSONPath, sideFiles.tokenizerModelPath].compactMap({ $0 }) where bundled == nil {
                    bundled = attempt { try VocabularyLoader.load(path: path, cacheFolder: nil).vocabulary }
                    source = path
                }
            }
        }
        let chosen = override ?? bundled
        vocabulary = chosen
        vocabularySource = override == nil ? source : overrideSource
        vocabularyProblem = chosen == nil ? problem : nil
        let named = { (name: String) in chosen?.specialID(named: name) }
        beginOfText = named(Llama3SpecialTokens.beginOfText) ?? declaredBOS
        stops = Set(declaredStops + [named(Llama3SpecialTokens.endOfText), named(Llama3SpecialTokens.endOfTurn)].compactMap { $0 })
    }

    /// A --vocab file: a GGUF's embedded vocabulary, or a tokenizer.model / tokenizer.json
    /// (cached in `cacheFolder` as every command caches them).
    public static func loadVocabulary(path: String, cacheFolder: String?) throws -> Vocabulary {
        if GGUFVocabulary.isGGUF(path: path) { return try GGUFVocabulary.read(path: path) }
        return try VocabularyLoader.load(path: path, cacheFolder: cacheFolder).vocabulary
    }

    /// A tokenizer for text input, or an error saying why the ids must be given instead.
    public func tokenizer(for model: String) throws -> Tokenizer {
        guard let vocabulary else {
            let reason = vocabularyProblem.map { " (\($0))" } ?? ""
            throw FileError(file: model, "carries no vocabulary this project can tokenize with\(reason); pass --vocab, or give ids with --tokens or --ids")
        }
        return Tokenizer(vocabulary: vocabulary)
    }
}
