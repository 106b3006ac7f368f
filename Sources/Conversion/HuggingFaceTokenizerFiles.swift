import BPETokenizer
import GGUF
import LlamaLayout
import ModelFiles
import ModelIO

/// The tokenizer files of an HF folder written from a GGUF, so transformers' AutoTokenizer loads
/// the folder: tokenizer.json in the form transformers' own tiktoken conversion
/// (`TikTokenConverter`) writes for a tiktoken vocabulary, tokenizer_config.json (special tokens,
/// the chat template when the GGUF has one) and generation_config.json (bos, eos).
enum HuggingFaceTokenizerFiles {
    /// Llama 3's pre-split pattern, as tiktoken and TikTokenConverter spell it.
    static let preSplitPattern =
        #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#

    /// The three files for a GGUF's header, or none when it carries no vocabulary.
    static func files(_ metadata: GGUFMetadata, file: String) throws -> [(name: String, bytes: [UInt8])] {
        guard metadata["tokenizer.ggml.tokens"] != nil else { return [] }
        let vocabulary = try GGUFVocabulary.vocabulary(from: metadata, file: file)
        let bos = metadata["tokenizer.ggml.bos_token_id"]?.integer
        let eos = metadata["tokenizer.ggml.eos_token_id"]?.integer
        let chatTemplate = metadata["tokenizer.chat_template"]?.string
        return [
            (HuggingFaceSideFiles.tokenizerJSONName, tokenizerJSON(vocabulary)),
            (HuggingFaceSideFiles.tokenizerConfigName,
             serialized(tokenizerConfig(vocabulary, bos: bos, eos: eos, chatTemplate: chatTemplate))),
            (HuggingFaceSideFiles.generationConfigName, serialized(generationConfig(bos: bos, eos: eos))),
        ]
    }

    static func serialized(_ json: JSONValue) -> [UInt8] { Array((json.serialized(pretty: true) + "\n").utf8) }

    /// tokenizer.json: a BPE model whose vocabulary is the ranked pieces in byte-level form and
    /// whose merges are derived from the ranks as TikTokenConverter derives them; specials are
    /// added tokens. Written compact: it is 9 MB for Llama 3's 128K pieces.
    static func tokenizerJSON(_ vocabulary: Vocabulary) -> [UInt8] {
        let pieces = (0..<vocabulary.rankCount).map(vocabulary.pieceBytes(rank:))
        let spelled = pieces.map(ByteLevelAlphabet.spell)
        let vocab = JSONValue.object(spelled.enumerated().map { JSONMember($0.element, .integer($0.offset)) })
        let merges = JSONValue.array(merges(pieces, vocabulary: vocabulary).map { .array([.string(spelled[$0.left]), .string(spelled[$0.right])]) })
        let byteLevel = { (addPrefixSpace: Bool, trimOffsets: Bool, useRegex: Bool) -> JSONValue in
            .object([
                JSONMember("type", "ByteLevel"), JSONMember("add_prefix_space", .bool(addPrefixSpace)),
                JSONMember("trim_offsets", .bool(trimOffsets)), JSONMember("use_regex", .bool(useRegex)),
            ])
        }
        let json = JSONValue.object([
            JSONMember("version", "1.0"),
            JSONMember("truncation", .null),
            JSONMember("padding", .null),
            JSONMember("added_tokens", .array(vocabulary.specialTokens.map(addedToken))),
            JSONMember("normalizer", .null),
            JSONMember("pre_tokenizer", .object([
                JSONMember("type", "Sequence"),
                JSONMember("pretokenizers", .array([
                    .object([
                        JSONMember("type", "Split"), JSONMember("pattern", .object([JSONMember("Regex", .string(preSplitPattern))])),
                        JSONMember("behavior", "Isolated"), JSONMember("invert", false),
                    ]),
                    byteLevel(false, true, false),
                ])),
            ])),
            JSONMember("post_processor", byteLevel(true, false, true)),
            JSONMember("decoder", byteLevel(true, true, true)),
            JSONMember("model", .object([
                JSONMember("type", "BPE"), JSONMember("dropout", .null), JSONMember("unk_token", .null),
                JSONMember("continuing_subword_prefix", .null), JSONMember("end_of_word_suffix", .null),
                JSONMember("fuse_unk", false), JSONMember("byte_fallback", false),
                // A piece that is in the vocabulary is one token, as in tiktoken.
                JSONMember("ignore_merges", true),
                JSONMember("vocab", vocab), JSONMember("merges", merges),
            ])),
        ])
        return Array((json.serialized() + "\n").utf8)
    }

    static func addedToken(_ token: SpecialToken) -> JSONValue {
        .object([
            JSONMember("id", .integer(token.id)), JSONMember("content", .string(token.name)),
            JSONMember("single_word", false), JSONMember("lstrip", false), JSONMember("rstrip", false),
            JSONMember("normalized", false), JSONMember("special", true),
        ])
    }

    /// Every way to cut each piece in two pieces of the vocabulary, pieces in rank order, the
    /// cuts of one piece ordered by the ranks of their halves: a tiktoken vocabulary has no
    /// merge list, and this is the list TikTokenConverter derives (so the BPE applies the merge
    /// making the lowest-ranked piece first, as tiktoken does).
    static func merges(_ pieces: [[UInt8]], vocabulary: Vocabulary) -> [(left: Int, right: Int)] {
        var merges: [(left: Int, right: Int)] = []
        for piece in pieces where piece.count > 1 {
            var cuts: [(left: Int, right: Int)] = []
            for cut in 1..<piece.count {
                guard let left = vocabulary.rank(of: Array(piece[..<cut])), let right = vocabulary.rank(of: Array(piece[cut...]))
                else { continue }
                cuts.append((left, right))
            }
            merges += cuts.sorted { ($0.left, $0.right) < ($1.left, $1.right) }
        }
        return merges
    }

    static func tokenizerConfig(_ vocabulary: Vocabulary, bos: Int?, eos: Int?, chatTemplate: String?) -> JSONValue {
        var members: [JSONMember] = [JSONMember("tokenizer_class", "PreTrainedTokenizerFast")]
        if let name = bos.flatMap(vocabulary.specialToken(id:))?.name { members.append(JSONMember("bos_token", .string(name))) }
        if let name = eos.flatMap(vocabulary.specialToken(id:))?.name { members.append(JSONMember("eos_token", .string(name))) }
        // Decoding gives back exactly the text's bytes, as tiktoken's decode does.
        members.append(JSONMember("clean_up_tokenization_spaces", false))
        members.append(JSONMember("model_input_names", ["input_ids", "attention_mask"]))
        if let chatTemplate { members.append(JSONMember("chat_template", .string(chatTemplate))) }
        return .object(members)
    }

    static func generationConfig(bos: Int?, eos: Int?) -> JSONValue {
        var members: [JSONMember] = []
        if let bos { members.append(JSONMember("bos_token_id", .integer(bos))) }
        if let eos { members.append(JSONMember("eos_token_id", .integer(eos))) }
        return .object(members)
    }
}
