import BPETokenizer
import Foundation
import GGUF
import LlamaLayout
import ModelIO
import Testing
import TestSupport

/// A small Llama-architecture GGUF written entirely by this project (GGUFWriter, the llama.* keys
/// of LlamaHyperParameters, the vocabulary bridge): what a conversion produces, read back by
/// inspect and by --vocab.
@Suite struct InspectOwnWriterTests {
    /// 2 layers, dim 64, 4 heads / 2 KV heads of 16, FFN 128, the Llama 3 vocabulary, tied output.
    static let tiny = LlamaHyperParameters(
        layers: 2, dim: 64, heads: 4, kvHeads: 2, headDim: 16, ffn: 128, vocab: 128_256, tied: true,
        contextLength: 2048, ropeTheta: 500_000, rmsNormEpsilon: 1e-5)

    static func write(to path: String) throws {
        let m = tiny
        var metadata = GGUFMetadata()
        m.writeGGUFMetadata(into: &metadata)
        let vocabulary = try VocabularyFile.parse(try ByteSource(mapping: TestSupport.officialVocabulary.path))
        GGUFVocabulary.keys(for: vocabulary).write(into: &metadata)
        var header = GGUFHeader(for: path, metadata: metadata)
        // [rows, columns] row-major, as LLAMA_LAYOUT.md's table gives them.
        var shapes: [(LlamaTensorName, [Int])] = [(.tokenEmbedding, [m.vocab, m.dim])]
        for n in 0..<m.layers {
            shapes += [
                (.layer(n, .attentionNorm), [m.dim]), (.layer(n, .query), [m.heads * m.headDim, m.dim]),
                (.layer(n, .key), [m.kvHeads * m.headDim, m.dim]), (.layer(n, .value), [m.kvHeads * m.headDim, m.dim]),
                (.layer(n, .attentionOutput), [m.dim, m.heads * m.headDim]), (.layer(n, .feedForwardNorm), [m.dim]),
                (.layer(n, .gate), [m.ffn, m.dim]), (.layer(n, .up), [m.ffn, m.dim]), (.layer(n, .down), [m.dim, m.ffn]),
            ]
        }
        shapes.append((.outputNorm, [m.dim]))
        for (name, shape) in shapes {
            try header.addTensor(name: name.description, type: shape.count == 1 ? .f32 : .f16, shape: shape)
        }
        let writer = try GGUFWriter.begin(destination: path, header: header)
        while let next = writer.nextTensor { try writer.writeTensor([UInt8](repeating: 0, count: next.byteCount)) }
        try writer.finish()
    }

    @Test func ownGGUFIsInspectedAsTheLayoutItWasWrittenWith() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("tiny.gguf").path
        try Self.write(to: path)
        let result = try runLlama3(["inspect", path, "--json"])
        #expect(result.status == 0, "\(result)")
        let report = try JSONParser.parse(Array(result.stdout), file: "stdout")
        let model = try #require(report["model"])
        #expect(model["variant"] == .null && model["nearest_variant"] == "Llama 3.2 1B")
        #expect(model["layers"] == 2 && model["dim"] == 64 && model["heads"] == 4 && model["kv_heads"] == 2)
        #expect(model["head_dim"] == 16 && model["ffn"] == 128 && model["vocab"] == 128_256 && model["tied"] == true)
        // 128256 x 64 embedding + 2 x 36992 per layer + 64 final norm
        #expect(model["parameters"] == 8_282_432)
        #expect(model["kv_cache"]?["f16_bytes_per_token"] == 256 && model["kv_cache"]?["gqa_saving"] == 2)
        // 2 (key, value) x 2 layers x 2 KV heads x 16 elements, at 2 and 4 bytes each.
        #expect(model["kv_cache"]?["bytes_per_token_f16"] == 256 && model["kv_cache"]?["bytes_per_token_f32"] == 512)
        #expect(report["problems"] == .array([]))
        #expect(report["warnings"] == ["chat template: none in the file (base models have none)"])

        let counted = try runLlama3(["count", "--vocab", path], stdin: Data("Hello, world!".utf8))
        #expect(counted.stdoutText == "4\n", "\(counted)")
    }
}
