import BPETokenizer
import Conversion
import Foundation
import GGUF
import ModelFiles
import ModelIO
import ReferenceModel
import Testing
import TestSupport

/// GGUFs this project did not write: a small trained Llama converted by llama.cpp's own
/// convert_hf_to_gguf.py (F32, and Q8_0 by its --outtype), committed with the logits transformers
/// computes from gguf-py's dequantization of each file (Fixtures/reference-model/make_llamacpp_converted.py).
/// Its head_dim (64) is not hidden / heads (16), and it carries rope_freqs.
@Suite struct LlamaCppConvertedTests {
    static let folder = "reference-model/llamacpp-converted"
    /// The bound on the last position; the argmax must agree at every position.
    static let lastPositionTolerance: Float = 1e-2

    static var ids: [Int] {
        get throws {
            let url = TestSupport.fixture("\(folder)/hf/ids.json")
            return try IDList.parse([UInt8](try Data(contentsOf: url)), source: url.path)
        }
    }

    static func argmax(_ row: some Collection<Float>) -> Int {
        var best = (index: 0, value: -Float.infinity)
        for (index, value) in row.enumerated() where value > best.value { best = (index, value) }
        return best.index
    }

    @Test(arguments: ["f32", "q8_0"])
    func argmaxAtEveryPositionAndTheLastLogitsMatchTransformersOnGGUFPyWeights(_ type: String) throws {
        let model = try LlamaModel(path: TestSupport.fixture("\(Self.folder)/model-\(type).gguf").path)
        #expect(model.hyperParameters.headDim == 64 && model.hyperParameters.ropeFrequencyTable == 32)
        let expected = try NumpyFloatArray(contentsOf: TestSupport.fixture("\(Self.folder)/logits-\(type).npy"))
        let ids = try Self.ids
        var session = InferenceSession(model: model, threads: 2)
        let logits = try session.evaluate(ids)
        try #require(expected.shape == [ids.count, model.vocabularySize])
        let vocabulary = model.vocabularySize
        for position in ids.indices {
            let theirs = expected.values[(position * vocabulary)..<((position + 1) * vocabulary)]
            #expect(
                Self.argmax(logits.row(position)) == Self.argmax(theirs),
                "\(type): position \(position): our argmax \(Self.argmax(logits.row(position))), transformers' \(Self.argmax(theirs))")
        }
        let last = ids.count - 1
        let worst = largestDifference(Array(logits.row(last)), Array(expected.values[(last * vocabulary)...]))
        #expect(worst.value <= Self.lastPositionTolerance, "\(type): last-position logit \(worst.index) differs by \(worst.value)")
    }

    /// The checkpoint itself (rotate-half q/k rows, rope scaling from config.json) and our own
    /// conversion of it, against the same figures to the 1e-4 of the tiny models: the F32 file
    /// holds the checkpoint's bits, so transformers' logits on it are the checkpoint's (the fixture
    /// script prints their difference, 0).
    @Test(arguments: ["checkpoint", "our conversion"])
    func theCheckpointAndOurConversionOfItMatchTransformers(_ form: String) throws {
        let scratch = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let checkpoint = TestSupport.fixture("\(Self.folder)/hf").path
        let path = form == "checkpoint" ? checkpoint : try Self.convert(checkpoint, in: scratch)
        let model = try LlamaModel(path: path)
        #expect(model.hyperParameters.headDim == 64 && model.hyperParameters.heads * 64 != model.hyperParameters.dim)
        let expected = try NumpyFloatArray(contentsOf: TestSupport.fixture("\(Self.folder)/logits-f32.npy"))
        var session = InferenceSession(model: model, threads: 2)
        let logits = try session.evaluate(try Self.ids)
        let worst = largestDifference(logits.values, expected.values)
        #expect(worst.value <= ForwardPassTests.tolerance, "\(form): logit \(worst.index) differs by \(worst.value)")
    }

    static func convert(_ checkpoint: String, in scratch: URL) throws -> String {
        let destination = scratch.appendingPathComponent("ours.gguf").path
        let options = ConversionOptions(type: nil, pure: true, threads: 2, fallbackVocabulary: {
            throw FileError(file: destination, "the fixture folder's tokenizer.json should have been used")
        })
        try LlamaConversion.convertToGGUF(try ModelFile(path: checkpoint), destination: destination, options: options)
        return destination
    }

    /// The llama.* keys llama.cpp's converter wrote are the ones our conversion of the same
    /// checkpoint writes, attention.key_length / value_length among them.
    @Test func ourConversionWritesTheLlamaKeysLlamaCppsConverterWrote() throws {
        let theirs = try GGUFFile(path: TestSupport.fixture("\(Self.folder)/model-f32.gguf").path).metadata
        let scratch = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let destination = try Self.convert(TestSupport.fixture("\(Self.folder)/hf").path, in: scratch)
        let ours = try GGUFFile(path: destination).metadata
        #expect(theirs["llama.attention.key_length"] == .uint32(64))
        for (key, value) in theirs.entries where key.hasPrefix("llama.") {
            #expect(ours[key] == value, "\(key): llama.cpp's converter wrote \(value), we write \(String(describing: ours[key]))")
        }
    }
}
