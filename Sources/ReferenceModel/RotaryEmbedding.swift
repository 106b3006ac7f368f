import Glibc
import LlamaLayout

/// Rotary position embedding (RoPE): each pair of a head's dimensions is rotated by the token's
/// position times the pair's frequency, theta^(-2i / head_dim), divided for Llama 3.1 scaling.
///
/// Which dimensions form pair i is the file's layout, not a copy of the weights: GGUF (and
/// Meta's checkpoints) store q/k rows so that pair i is dimensions 2i and 2i+1 (interleaved);
/// Hugging Face stores them so that pair i is i and i + head_dim/2 (rotate-half). Both describe
/// the same model (see Docs/LLAMA_LAYOUT.md, "Writing GGUF for llama.cpp").
struct RotaryEmbedding: Sendable {
    enum Pairing: Sendable {
        /// (2i, 2i+1): GGUF.
        case interleaved
        /// (i, i + head_dim/2): Hugging Face.
        case halves
    }

    let headDim: Int
    let pairing: Pairing
    /// head_dim / 2 angular frequencies (radians per position), scaling applied.
    let frequencies: [Float]

    /// `divisors`: Llama 3.1 scaling, one per pair (rope_freqs.weight, or computed from
    /// config.json's rope_scaling); nil for plain RoPE.
    init(headDim: Int, theta: Double, divisors: [Float]?, pairing: Pairing) {
        self.headDim = headDim
        self.pairing = pairing
        // As transformers and llama.cpp do: the base frequency rounded to f32, then divided.
        frequencies = (0..<(headDim / 2)).map { pair in
            let base = Float(1 / pow(theta, Double(2 * pair) / Double(headDim)))
            return divisors.map { base / $0[pair] } ?? base
        }
    }

    /// cos and sin of every pair's angle at each position: [positions, head_dim / 2] each,
    /// computed once per batch and shared by every layer.
    func angles(positions: Range<Int>) -> (cos: [Float], sin: [Float]) {
        var cosines: [Float] = [], sines: [Float] = []
        cosines.reserveCapacity(positions.count * frequencies.count)
        sines.reserveCapacity(positions.count * frequencies.count)
        for position in positions {
            for frequency in frequencies {
                // The angle in f32, as both references compute it; its cosine and sine exactly rounded.
                let angle = Double(Float(position) * frequency)
                cosines.append(Float(cos(angle)))
                sines.append(Float(sin(angle)))
            }
        }
        return (cosines, sines)
    }

    /// Rotates every head of every row of `vectors` [tokens, heads x head_dim] in place; row t
    /// is at the t-th position of `angles`.
    func rotate(_ vectors: inout Matrix, heads: Int, angles: (cos: [Float], sin: [Float])) {
        let half = headDim / 2
        for token in 0..<vectors.rows {
            for head in 0..<heads {
                let start = token * vectors.columns + head * headDim
                for pair in 0..<half {
                    let (first, second) = switch pairing {
                    case .interleaved: (start + 2 * pair, start + 2 * pair + 1)
                    case .halves: (start + pair, start + pair + half)
                    }
                    let c = angles.cos[token * half + pair], s = angles.sin[token * half + pair]
                    let x = vectors.values[first], y = vectors.values[second]
                    vectors.values[first] = x * c - y * s
                    vectors.values[second] = x * s + y * c
                }
            }
        }
    }
}
