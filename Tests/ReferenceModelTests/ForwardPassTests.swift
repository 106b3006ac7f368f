import Conversion
import Foundation
import LlamaLayout
import Quantization
import ReferenceModel
import Testing
import TestSupport

/// The forward pass against transformers in fp32 (Fixtures/reference-model/make_tiny_models.py):
/// grouped-query attention, with and without Llama 3.1 rope scaling, tied and separate output,
/// read from the HF folder (rotate-half q/k rows) and from its GGUF conversion (interleaved rows,
/// rope_freqs): every logit at every position within 1e-4.
@Suite(.requiresFixtureVenv) struct ForwardPassTests {
    static let tolerance: Float = 1e-4

    func check(_ model: LlamaModel, against tiny: TinyModel, threads: Int = 2) throws {
        let expected = try tiny.expectedLogits
        let ids = try tiny.ids
        var session = InferenceSession(model: model, threads: threads)
        let logits = try session.evaluate(ids)
        #expect(expected.shape == [ids.count, model.vocabularySize])
        #expect(logits.rows == ids.count && logits.columns == model.vocabularySize)
        let worst = largestDifference(logits.values, expected.values)
        let (position, id) = worst.index.quotientAndRemainder(dividingBy: model.vocabularySize)
        #expect(
            worst.value <= Self.tolerance,
            "\(tiny.variant) from \(model.path): logit \(id) at position \(position) is \(logits.values[worst.index]), transformers \(expected.values[worst.index])")
    }

    @Test(arguments: TinyModel.all)
    func logitsFromTheHuggingFaceFolderMatchTransformers(_ tiny: TinyModel) throws {
        try check(try LlamaModel(path: try tiny.folder.path), against: tiny)
    }

    @Test(arguments: TinyModel.all)
    func logitsFromTheGGUFConversionMatchTransformers(_ tiny: TinyModel) throws {
        let scratch = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let model = try LlamaModel(path: try tiny.gguf(in: scratch))
        #expect(model.hyperParameters.ropeFrequencyTable != nil || tiny.variant == "tied")
        try check(model, against: tiny)
    }

    @Test(arguments: TinyModel.all)
    func tokenByTokenWithTheCacheEqualsOneBatch(_ tiny: TinyModel) throws {
        let model = try LlamaModel(path: try tiny.folder.path)
        let ids = try tiny.ids
        var batch = InferenceSession(model: model, threads: 2)
        let all = try batch.evaluate(ids)
        var incremental = InferenceSession(model: model, threads: 1)
        var rows: [Float] = []
        // Uneven pieces: a prompt, single tokens, then a second batch on top of the cache.
        var start = 0
        for size in [5, 1, 1, 1, 7] + Array(repeating: 1, count: ids.count) where start < ids.count {
            let piece = Array(ids[start..<min(ids.count, start + size)])
            rows += try incremental.evaluate(piece).values
            start += piece.count
        }
        #expect(incremental.position == ids.count)
        let worst = largestDifference(rows, all.values)
        #expect(worst.value <= 1e-5, "\(tiny.variant): incremental and batch logits differ by \(worst.value) at \(worst.index)")
    }

    @Test func lastRowLogitsAreTheLastRowOfAllLogits() throws {
        let tiny = TinyModel.all[0]
        let model = try LlamaModel(path: try tiny.folder.path)
        let ids = try tiny.ids
        var a = InferenceSession(model: model, threads: 2), b = InferenceSession(model: model, threads: 2)
        let all = try a.evaluate(ids), last = try b.evaluate(ids, logits: .last)
        #expect(last.rows == 1)
        #expect(Array(last.values) == Array(all.row(ids.count - 1)))
    }

    @Test func aFileWhoseLayoutHasProblemsIsRefusedWithThem() throws {
        let scratch = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let copy = scratch.appendingPathComponent("model")
        try FileManager.default.copyItem(at: try TinyModel.all[0].folder, to: copy)
        let config = copy.appendingPathComponent("config.json")
        let text = try String(contentsOf: config, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "\"num_key_value_heads\": 2", with: "\"num_key_value_heads\": 4").utf8).write(to: config)
        #expect {
            try LlamaModel(path: copy.path)
        } throws: { error in
            "\(error)".contains("expected a consistent Llama model to run") && "\(error)".contains("num_key_value_heads")
        }
    }

    @Test func anIDOutsideTheVocabularyIsRefused() throws {
        let model = try LlamaModel(path: try TinyModel.all[0].folder.path)
        var session = InferenceSession(model: model, threads: 1)
        #expect {
            try session.evaluate([1, 1256])
        } throws: { error in
            "\(error)".contains("token id 1256 is outside the model's vocabulary of 1256 ids")
        }
    }
}

/// Every stored type the products decode (F16, BF16, Q8_0, Q4_0, Q4_1, embedding included),
/// against transformers running on the same file's weights as gguf-py dequantizes them
/// (Fixtures/reference-model/gguf_logits.py): the kernels and the row order, not the rounding
/// of quantization, are what is compared, so the tolerance stays 1e-4.
@Suite(.requiresFixtureVenv) struct StoredTypeTests {
    static let types: [ElementFormat] = [.f16, .bf16, .q8_0, .q4_0, .q4_1]

    @Test(arguments: types)
    func logitsOfAConvertedGGUFMatchTransformersOnGGUFPyDequantizedWeights(_ type: ElementFormat) throws {
        let tiny = TinyModel(variant: "scaled")
        let scratch = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let gguf = try tiny.gguf(in: scratch, type: type)
        let expectedURL = scratch.appendingPathComponent("expected.npy")
        let result = try runPython([
            TestSupport.fixture("reference-model/gguf_logits.py").path, try tiny.folder.path, gguf, expectedURL.path,
        ])
        try #require(result.status == 0, "gguf_logits.py failed:\n\(result)")
        let expected = try NumpyFloatArray(contentsOf: expectedURL)
        let model = try LlamaModel(path: gguf)
        var session = InferenceSession(model: model, threads: 2)
        let logits = try session.evaluate(try tiny.ids)
        let worst = largestDifference(logits.values, expected.values)
        #expect(worst.value <= ForwardPassTests.tolerance, "\(type): logits differ from transformers' on gguf-py's weights by \(worst.value) at \(worst.index)")
        // And quantization really changed the weights: the logits moved from the fp32 model's.
        if type.isQuantized {
            #expect(largestDifference(logits.values, try tiny.expectedLogits.values).value > 1e-3)
        }
    }

    /// The 256-value block types and llama-quantize's mixes, on a model whose rows fill those
    /// blocks: the same comparison, transformers on gguf-py's dequantization of the same file.
    @Test(arguments: [
        (WholeFileType.q5_0, true), (.q5_1, true), (.q2_k, true), (.q3_k_m, true), (.q4_k_m, true), (.q5_k_m, true),
        (.q6_k, true), (.q4_k_m, false), (.q2_k, false), (.q5_k_m, false),
    ])
    func logitsOfKQuantFilesMatchTransformersOnGGUFPyDequantizedWeights(_ type: WholeFileType, pure: Bool) throws {
        let wide = TinyModel(variant: "wide")
        let scratch = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let gguf = try wide.gguf(in: scratch, fileType: type, pure: pure)
        let expectedURL = scratch.appendingPathComponent("expected.npy")
        let result = try runPython([
            TestSupport.fixture("reference-model/gguf_logits.py").path, try wide.folder.path, gguf, expectedURL.path,
        ])
        try #require(result.status == 0, "gguf_logits.py failed:\n\(result)")
        let expected = try NumpyFloatArray(contentsOf: expectedURL)
        var session = InferenceSession(model: try LlamaModel(path: gguf), threads: 2)
        let logits = try session.evaluate(try wide.ids)
        let worst = largestDifference(logits.values, expected.values)
        #expect(worst.value <= ForwardPassTests.tolerance, "\(type) pure \(pure): logits differ from transformers' on gguf-py's weights by \(worst.value) at \(worst.index)")
        #expect(largestDifference(logits.values, try wide.expectedLogits.values).value > 1e-3)
    }
}
