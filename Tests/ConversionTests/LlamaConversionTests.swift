import BPETokenizer
import Conversion
import Foundation
import GGUF
import LlamaLayout
import ModelFiles
import ModelIO
import Quantization
import Testing
import TestSupport

/// Tiny random Llama checkpoints written by transformers (Fixtures/llama-convert/make_tiny_llama.py)
/// at test time, reused across runs while the script is unchanged.
enum TinyLlama {
    static let tiedSmall = make("tied-small")
    static let scaledBF16 = make("scaled-bf16")

    static func make(_ variant: String) -> Result<URL, TinyLlamaError> {
        do {
            return .success(try TestSupport.generatedFolder(script: "llama-convert/make_tiny_llama.py", arguments: [variant]))
        } catch {
            return .failure(TinyLlamaError(message: "\(error)"))
        }
    }

    /// Runs check_converted.py (gguf-py, safetensors, numpy) in `mode` ("gguf" or "back").
    static func check(_ mode: String, original: URL, converted: String) throws {
        let result = try runPython([TestSupport.fixture("llama-convert/check_converted.py").path, mode, original.path, converted])
        #expect(result.status == 0, "check_converted.py \(mode) disagrees with \(converted):\n\(result)")
    }

    /// A copy of `folder` whose config.json has `edit` applied (text replacement).
    static func copy(_ folder: URL, editingConfig edit: (String) -> String, into parent: URL) throws -> URL {
        let copy = parent.appendingPathComponent("edited-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: folder, to: copy)
        let config = copy.appendingPathComponent("config.json")
        try Data(edit(try String(contentsOf: config, encoding: .utf8)).utf8).write(to: config)
        return copy
    }
}

struct TinyLlamaError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

@Suite struct LlamaConversionTests {
    static func officialVocabulary() throws -> Vocabulary {
        try VocabularyLoader.load(path: TestSupport.officialVocabulary.path, cacheFolder: nil).vocabulary
    }

    static func noFallback() throws -> Vocabulary {
        throw ToolError("the folder's tokenizer.json should have been used")
    }

    @Test(.requiresFixtureVenv, arguments: ["tied-small", "scaled-bf16"])
    func huggingFaceToGGUFAndBackMatchesLlamaCppLayoutAndEveryOriginalByte(variant: String) throws {
        let original = try (variant == "tied-small" ? TinyLlama.tiedSmall : TinyLlama.scaledBF16).get()
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = try ModelFile(path: original.path)
        #expect(try LlamaConversion.direction(for: source, to: .gguf("x.gguf")) == .huggingFaceToGGUF)

        let gguf = folder.appendingPathComponent("model.gguf").path
        let usesFolderVocabulary = variant == "tied-small"
        try LlamaConversion.convertToGGUF(source, destination: gguf, options: ConversionOptions(fallbackVocabulary: {
            try usesFolderVocabulary ? Self.noFallback() : Self.officialVocabulary()
        }))
        try TinyLlama.check("gguf", original: original, converted: gguf)

        let converted = try ModelFile(path: gguf)
        let back = folder.appendingPathComponent("back").path
        #expect(try LlamaConversion.direction(for: converted, to: .checkpoint(folder: back)) == .ggufToHuggingFace)
        try LlamaConversion.convertToHuggingFace(converted, to: .checkpoint(folder: back))
        try TinyLlama.check("back", original: original, converted: back)
    }

    @Test(.requiresFixtureVenv) func typeIsAppliedAfterTheRowPermutationAsQuantizingTheConvertedFileWould() throws {
        let original = try TinyLlama.tiedSmall.get()
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = try ModelFile(path: original.path)
        let plain = folder.appendingPathComponent("f32.gguf").path
        try LlamaConversion.convertToGGUF(source, destination: plain, options: ConversionOptions(fallbackVocabulary: Self.noFallback))
        let quantized = folder.appendingPathComponent("quantized.gguf").path
        try Converter.quantize(source: plain, destination: quantized, options: ConversionOptions(type: .q8_0, threads: 2))

        let direct = folder.appendingPathComponent("direct.gguf").path
        try LlamaConversion.convertToGGUF(
            source, destination: direct, options: ConversionOptions(type: .q8_0, threads: 2, fallbackVocabulary: Self.noFallback))

        let expected = try GGUFFile(path: quantized), found = try GGUFFile(path: direct)
        #expect(found.tensors.map(\.name) == expected.tensors.map(\.name))
        for (want, got) in zip(expected.tensors, found.tensors) {
            #expect(got.type == want.type && got.shape == want.shape, "\(got.name): \(got.type) \(got.shape), expected \(want.type) \(want.shape)")
            let same = try got.data.source.bytes(offset: got.data.offset, length: got.data.count)
                == want.data.source.bytes(offset: want.data.offset, length: want.data.count)
            #expect(same, "\(got.name): bytes differ from quantizing the converted F32 file")
        }
        #expect(found.metadata["general.file_type"] == .uint32(7))
    }

    @Test func aFolderWithoutConfigJSONIsCopiedAsAContainer() throws {
        let source = try ModelFile(path: TestSupport.fixture("formats/sharded").path)
        #expect(try LlamaConversion.direction(for: source, to: .gguf("x.gguf")) == nil)
    }

    @Test(.requiresFixtureVenv) func anInconsistentLayoutIsRefusedWithTheProblem() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let edited = try TinyLlama.copy(try TinyLlama.tiedSmall.get(), editingConfig: {
            $0.replacingOccurrences(of: "\"num_key_value_heads\": 2", with: "\"num_key_value_heads\": 3")
        }, into: folder)
        let output = folder.appendingPathComponent("out.gguf").path
        #expect {
            try LlamaConversion.convertToGGUF(try ModelFile(path: edited.path), destination: output, options: ConversionOptions(fallbackVocabulary: Self.noFallback))
        } throws: { error in
            let text = "\(error)"
            return text.contains("consistent Llama layout") && text.contains("num_key_value_heads")
        }
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test(.requiresFixtureVenv) func aVocabularyLargerThanTheEmbeddingIsRefused() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let edited = try TinyLlama.copy(try TinyLlama.tiedSmall.get(), editingConfig: { $0 }, into: folder)
        try FileManager.default.removeItem(at: edited.appendingPathComponent("tokenizer.json"))
        #expect {
            try LlamaConversion.convertToGGUF(
                try ModelFile(path: edited.path), destination: folder.appendingPathComponent("out.gguf").path,
                options: ConversionOptions(fallbackVocabulary: Self.officialVocabulary))
        } throws: { error in
            "\(error)".contains("128256 ids but the model's embedding has 1256 rows")
        }
    }

    @Test(.requiresFixtureVenv) func aSpecialTokenIDOutsideTheVocabularyIsRefused() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // llama.cpp's converter takes bos from tokenizer_config.json's name, else config.json's id
        // (generation_config.json is not read), so the bad id goes in config.json.
        let edited = try TinyLlama.copy(try TinyLlama.tiedSmall.get(), editingConfig: { config in
            let cleared = config.replacingOccurrences(of: #""bos_token_id": *[0-9]+,?"#, with: "", options: .regularExpression)
            return cleared.replacingOccurrences(of: "{", with: #"{"bos_token_id": 5000, "#, options: .anchored)
        }, into: folder)
        try? FileManager.default.removeItem(at: edited.appendingPathComponent("tokenizer_config.json"))
        #expect {
            try LlamaConversion.convertToGGUF(
                try ModelFile(path: edited.path), destination: folder.appendingPathComponent("out.gguf").path,
                options: ConversionOptions(fallbackVocabulary: Self.noFallback))
        } throws: { error in
            "\(error)".contains("bos_token_id 5000 is outside the vocabulary of 1256 ids")
        }
    }
}
