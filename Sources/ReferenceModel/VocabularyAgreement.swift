import BPETokenizer
import ModelIO

extension LogitComparison {
    /// Two models can be compared position by position only over the same ids: the same
    /// vocabulary size, and the same pieces and special tokens when both files carry them.
    public static func checkVocabulariesAgree(_ a: (model: LlamaModel, tokens: ModelTokens), _ b: (model: LlamaModel, tokens: ModelTokens)) throws {
        let (sizeA, sizeB) = (a.model.vocabularySize, b.model.vocabularySize)
        guard sizeA == sizeB else {
            throw FileError(file: b.model.path, "has \(sizeB) token ids but \(a.model.path) has \(sizeA); compare needs models with the same vocabulary")
        }
        guard let vocabularyA = a.tokens.vocabulary, let vocabularyB = b.tokens.vocabulary else { return }
        let tokenizerA = Tokenizer(vocabulary: vocabularyA), tokenizerB = Tokenizer(vocabulary: vocabularyB)
        for id in 0..<max(vocabularyA.idCount, vocabularyB.idCount) {
            let pieceA = try? tokenizerA.decode([id]), pieceB = try? tokenizerB.decode([id])
            guard pieceA == pieceB else {
                throw FileError(
                    file: b.model.path,
                    "token \(id) is \(Self.describe(pieceB)) but in \(a.model.path) it is \(Self.describe(pieceA)); compare needs models with the same vocabulary")
            }
        }
    }

    private static func describe(_ piece: [UInt8]?) -> String {
        piece.map { JSONValue.string(String(decoding: $0, as: UTF8.self)).serialized() } ?? "absent"
    }
}
