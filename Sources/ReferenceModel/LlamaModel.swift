import LlamaLayout
import ModelFiles
import ModelIO

/// A Llama-architecture model ready to run: its hyper-parameters, its weights (in the file's
/// memory map) and its rotary embedding. Immutable and shareable; an `InferenceSession` holds
/// the state of one sequence.
public struct LlamaModel: Sendable {
    public let path: String
    public let hyperParameters: LlamaHyperParameters
    let weights: LlamaWeights
    let rotary: RotaryEmbedding
    let attention: Attention
    let normEpsilon: Float

    /// Loaders' fallbacks for keys a file may lack: transformers' and llama.cpp's default theta,
    /// and Llama 3's epsilon.
    static let defaultRopeTheta = 10_000.0
    static let defaultNormEpsilon = 1e-5

    /// Settles the hyper-parameters as `inspect` does and maps every weight; a layout with any
    /// problem is refused, since running it would compute something else than the model.
    public init(file: ModelFile) throws {
        let model = try LlamaInspectAnalysis.consistentModel(
            in: file, expected: "a consistent Llama model to run",
            unsettled: "no Llama layer tensors, or the hyper-parameters could not be settled")
        let h = model.hyperParameters
        guard h.headDim % 2 == 0, h.kvHeads > 0, h.heads % h.kvHeads == 0, h.vocab > 0 else {
            throw FileError(file: file.path, "expected an even head_dim and heads a multiple of KV heads; found head_dim \(h.headDim), \(h.heads) heads, \(h.kvHeads) KV heads")
        }
        path = file.path
        hyperParameters = h
        weights = try LlamaWeights(file: file, naming: model.naming, hyper: h)
        let theta = h.ropeTheta ?? Self.defaultRopeTheta
        // GGUF carries scaling as rope_freqs' divisors; config.json as parameters to compute them from.
        let divisors = weights.ropeFrequencies ?? h.ropeScaling?.frequencyFactors(headDim: h.headDim, theta: theta)
        rotary = RotaryEmbedding(
            headDim: h.headDim, theta: theta, divisors: divisors, pairing: model.naming == .huggingFace ? .halves : .interleaved)
        attention = Attention(heads: h.heads, kvHeads: h.kvHeads, headDim: h.headDim)
        normEpsilon = Float(h.rmsNormEpsilon ?? Self.defaultNormEpsilon)
    }

    public init(path: String) throws {
        try self.init(file: try ModelFile(path: path))
    }

    public var vocabularySize: Int { hyperParameters.vocab }
}
