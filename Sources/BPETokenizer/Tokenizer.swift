import ModelIO

/// Llama 3 tokenization: the pre-split, then byte-level BPE of each piece; special-token text
/// becomes special ids only when asked (`parseSpecial`), as tiktoken's `encode_ordinary` vs
/// `encode(allowed_special="all")`.
public struct Tokenizer: Sendable {
    public let vocabulary: Vocabulary
    let specials: SpecialTokenMatcher
    let classifier = ScalarClassifier()

    public init(vocabulary: Vocabulary) {
        self.vocabulary = vocabulary
        specials = SpecialTokenMatcher(vocabulary.specialTokens)
    }

    public struct Options: Sendable, Equatable {
        /// Special-token text such as `<|eot_id|>` becomes its id (default: ordinary text).
        public var parseSpecial = false
        /// Cut huge runs as Meta's reference encoder does (see MetaChunking).
        public var metaChunking = false

        public init(parseSpecial: Bool = false, metaChunking: Bool = false) {
            self.parseSpecial = parseSpecial
            self.metaChunking = metaChunking
        }
    }

    /// The ids of `text`.
    public func encode(_ text: UTF8Text, options: Options = Options()) -> [Int] {
        var encoder = makeEncoder()
        return encode(text, options: options, encoder: &encoder)
    }

    /// The number of ids `encode` would give, without storing them.
    public func count(_ text: UTF8Text, options: Options = Options()) -> Int {
        var encoder = makeEncoder()
        return count(text, options: options, encoder: &encoder)
    }

    public func encode(_ string: String, options: Options = Options()) -> [Int] {
        encode(UTF8Text(string), options: options)
    }

    /// An encoder for one worker to pass to every call it makes: its scratch arrays and merge
    /// memo are then made once, not once per text (a memo is 200 KiB to clear, more than the
    /// work on a short line).
    func makeEncoder() -> BytePairEncoder {
        BytePairEncoder(table: vocabulary.table, byteRanks: vocabulary.byteRanks)
    }

    func encode(_ text: UTF8Text, options: Options, encoder: inout BytePairEncoder) -> [Int] {
        var sink = TokenList()
        encode(text.bytes, 0, text.bytes.count, options: options, encoder: &encoder, into: &sink)
        return sink.ids.map(Int.init)
    }

    func count(_ text: UTF8Text, options: Options, encoder: inout BytePairEncoder) -> Int {
        var sink = TokenCounter()
        encode(text.bytes, 0, text.bytes.count, options: options, encoder: &encoder, into: &sink)
        return sink.count
    }

    func encode<Sink: TokenSink>(
        _ text: [UInt8], _ start: Int, _ end: Int, options: Options, encoder: inout BytePairEncoder, into sink: inout Sink
    ) {
        if options.metaChunking {
            for range in MetaChunking.ranges(text, start: start, end: end) {
                encodeParsingSpecials(
                    text, range.lowerBound, range.upperBound, parse: options.parseSpecial,
                    encoder: &encoder, into: &sink)
            }
        } else {
            encodeParsingSpecials(text, start, end, parse: options.parseSpecial, encoder: &encoder, into: &sink)
        }
    }

    private func encodeParsingSpecials<Sink: TokenSink>(
        _ text: [UInt8], _ start: Int, _ end: Int, parse: Bool, encoder: inout BytePairEncoder, into sink: inout Sink
    ) {
        var from = start
        if parse {
            while let special = specials.firstMatch(in: text, from: from, to: end) {
                encodeOrdinary(text, from, special.start, encoder: &encoder, into: &sink)
                sink.append(special.id)
                from = special.end
            }
        }
        encodeOrdinary(text, from, end, encoder: &encoder, into: &sink)
    }

    /// Text with no special tokens: pre-split pieces, each through BPE.
    func encodeOrdinary<Sink: TokenSink>(
        _ text: [UInt8], _ start: Int, _ end: Int, encoder: inout BytePairEncoder, into sink: inout Sink
    ) {
        guard start < end else { return }
        let splitter = PreSplitter(text, end: end, classifier: classifier)
        splitter.forEachPiece(from: start) { pieceStart, pieceEnd in
            encoder.encode(text, pieceStart, pieceEnd, into: &sink)
        }
    }

    /// The exact bytes of `ids` (pieces need not be valid UTF-8 on their own, nor all together).
    public func decode(_ ids: [Int]) throws -> [UInt8] {
        var bytes: [UInt8] = []
        for (index, id) in ids.enumerated() {
            if id >= 0, id < vocabulary.rankCount {
                vocabulary.table.appendPiece(id, to: &bytes)
            } else if let special = vocabulary.specialToken(id: id) {
                bytes.append(contentsOf: special.name.utf8)
            } else {
                throw TokenizerError.unknownID(id, position: index, idCount: vocabulary.idCount)
            }
        }
        return bytes
    }
}

public enum TokenizerError: Error, Equatable, CustomStringConvertible {
    case unknownID(Int, position: Int, idCount: Int)

    public var description: String {
        switch self {
        case .unknownID(let id, let position, let idCount):
            "id \(id) (number \(position + 1) of the input) is not in the vocabulary (ids 0 to \(idCount - 1))"
        }
    }
}
