import Foundation
import ReferenceModel
import Testing
import TestSupport

/// The reference model on GGUFs that llama.cpp itself quantized (llama-cpp-python 0.3.36's
/// llama_model_quantize, default mixes Q4_K_M, Q5_K_M and Q2_K of a Llama whose rows fill
/// 256-value blocks: Fixtures/llamacpp-quantized/make_llamacpp_quantized.py) against transformers
/// in float64 on gguf-py's dequantization of the same file (float64_logits.py): the largest
/// logit difference, relative to the largest logit, within 1e-3.
@Suite(.requiresFixtureVenv) struct LlamaCppQuantizedTests {
    static let relativeTolerance: Float = 1e-3
    static let files = ["model-Q4_K_M.gguf", "model-Q5_K_M.gguf", "model-Q2_K.gguf"]

    static func ids() throws -> [Int] {
        let data = try Data(contentsOf: TestSupport.fixture("llamacpp-quantized/ids.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [Int])
    }

    /// transformers' float64 logits for `file`, made now from the committed file.
    static func expectedLogits(_ file: String) throws -> NumpyFloatArray {
        let scratch = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("expected.npy")
        let result = try runPython([
            TestSupport.fixture("llamacpp-quantized/float64_logits.py").path, TestSupport.fixture("llamacpp-quantized/\(file)").path,
            TestSupport.fixture("llamacpp-quantized/ids.json").path, out.path,
        ])
        try #require(result.status == 0, "float64_logits.py failed:\n\(result)")
        return try NumpyFloatArray(contentsOf: out)
    }

    @Test(arguments: files)
    func logitsMatchFloat64TransformersOnGGUFPyDequantization(file: String) throws {
        let expected = try Self.expectedLogits(file)
        var session = InferenceSession(model: try LlamaModel(path: TestSupport.fixture("llamacpp-quantized/\(file)").path), threads: 2)
        let logits = try session.evaluate(try Self.ids())
        try #require(logits.values.count == expected.values.count, "\(logits.values.count) logits, expected \(expected.values.count)")
        let scale = expected.values.map(abs).max() ?? 0
        let worst = largestDifference(logits.values, expected.values)
        #expect(scale > 1, "the logits should spread over several units, not sit near 0 (largest \(scale))")
        #expect(worst.value / scale <= Self.relativeTolerance, "\(file): largest difference \(worst.value) at \(worst.index), \(worst.value / scale) of the largest logit \(scale)")
    }

    /// The comparison can tell the mixes apart: Q2_K's logits are far from Q4_K_M's expected ones.
    @Test func mixesDifferByMoreThanTheTolerance() throws {
        let q4 = try Self.expectedLogits("model-Q4_K_M.gguf"), q2 = try Self.expectedLogits("model-Q2_K.gguf")
        let scale = q4.values.map(abs).max() ?? 0
        #expect(largestDifference(q2.values, q4.values).value / scale > 10 * Self.relativeTolerance)
    }
}
