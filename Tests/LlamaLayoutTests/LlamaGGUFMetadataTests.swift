import Foundation
import GGUF
import LlamaLayout
import ModelIO
import Testing
import TestSupport

/// What conversions write for llama.cpp: the llama.* keys and the rope_freqs divisors.
@Suite struct LlamaGGUFMetadataTests {
    static let llama31_8B = LlamaHyperParameters(
        layers: 32, dim: 4096, heads: 32, kvHeads: 8, headDim: 128, ffn: 14336, vocab: 128_256, tied: false,
        contextLength: 131_072, ropeTheta: 500_000, ropeScaling: .llama31, rmsNormEpsilon: 1e-5)

    @Test(.requiresFixtureVenv) func llamaKeysHaveGGUFPyNamesTypesAndValues() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("keys.gguf").path
        let made = try runPython([TestSupport.fixture("llama-layout/make_llama_keys.py").path, path])
        #expect(made.status == 0, "\(made)")
        let reference = try GGUFFile(path: path).metadata
        var ours = GGUFMetadata()
        Self.llama31_8B.writeGGUFMetadata(into: &ours)
        for (key, value) in reference.entries {
            #expect(ours[key] == value, "\(key): gguf-py wrote \(value), we write \(String(describing: ours[key]))")
        }
        #expect(Set(ours.keys) == Set(reference.keys))
    }

    @Test func keysReadBackAsTheSameHyperParameters() {
        var metadata = GGUFMetadata()
        Self.llama31_8B.writeGGUFMetadata(into: &metadata)
        let declared = DeclaredHyperParameters.fromGGUF { key in
            metadata[key].map { value in
                switch value {
                case .uint32(let v): .unsigned(UInt64(v))
                case .float32(let v): .float(Double(v))
                case .string(let v): .string(v)
                default: .bool(false)
                }
            }
        }
        #expect(declared.layers?.value == 32 && declared.kvHeads?.value == 8 && declared.headDim?.value == 128)
        #expect(declared.contextLength?.value == 131_072 && declared.vocab?.value == 128_256)
        #expect(declared.ropeTheta?.value == 500_000)
    }

    struct RopeCase: Sendable, CustomStringConvertible {
        var name: String
        var scaling: RopeScaling
        var description: String { name }
    }

    /// Golden divisors from transformers' llama3 rope (Fixtures/llama-layout/make_rope_factors.py).
    @Test(arguments: [
        RopeCase(name: "llama-3.1-8b", scaling: .llama31), RopeCase(name: "llama-3.2-1b", scaling: .llama32),
        RopeCase(name: "llama-3.2-3b", scaling: .llama32),
    ])
    func ropeFrequencyDivisorsMatchTransformers(_ rope: RopeCase) throws {
        let url = TestSupport.fixture("llama-layout/rope-factors.json")
        let golden = try #require(try JSONParser.parse(Array(try Data(contentsOf: url)))[rope.name])
        let headDim = try #require(golden["head_dim"]?.int64Value)
        let expected = try #require(golden["divisors"]?.arrayValue).compactMap(\.doubleValue)
        let ours = rope.scaling.frequencyFactors(headDim: Int(headDim), theta: 500_000)
        #expect(ours.count == expected.count)
        for (index, (mine, theirs)) in zip(ours, expected).enumerated() {
            // transformers computes in float32: agreement to its rounding, not to the last bit.
            #expect(abs(Double(mine) - theirs) <= 1e-6 * theirs, "divisor \(index): \(mine) vs \(theirs)")
        }
        #expect(ours.first == 1 && ours.last == Float(rope.scaling.factor))
    }
}
