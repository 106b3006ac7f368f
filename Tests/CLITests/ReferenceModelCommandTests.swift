import Foundation
import ModelIO
import Testing
import TestSupport

/// `llama3 logits`, `compare`, `perplexity` and `generate` on a tiny random Llama written by
/// transformers at test time (Fixtures/reference-model/make_tiny_models.py), checked with numpy
/// and transformers (Fixtures/reference-model/transformers_check.py), never with this project's
/// own figures.
@Suite(.requiresFixtureVenv) struct ReferenceModelCommandTests {
    static func folder(_ variant: String = "tied") throws -> URL {
        try TestSupport.generatedFolder(script: "reference-model/make_tiny_models.py", arguments: [variant])
    }

    static func json(_ result: ProcessResult) throws -> JSONValue {
        try JSONParser.parse(Array(result.stdout), file: "stdout")
    }

    /// transformers' figure for `mode` (perplexity or generate), as the script prints it.
    static func transformers(_ mode: String, folder: URL, ids: String, _ number: Int) throws -> String {
        let result = try runPython([TestSupport.fixture("reference-model/transformers_check.py").path, mode, folder.path, ids, String(number)])
        try #require(result.status == 0, "transformers_check.py \(mode) failed:\n\(result)")
        return result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// 300 ids in 0..<1000 (ordinary tokens of the tiny vocabulary), fixed.
    static func longIDs(in scratch: URL) throws -> String {
        var generator = SplitMix64(seed: 7)
        let ids = (0..<300).map { _ in String(generator.next() % 1000) }
        let path = scratch.appendingPathComponent("ids.txt").path
        try Data(ids.joined(separator: " ").utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func logitsOutIsANumpyFileEqualToTransformersLogits() throws {
        let model = try Self.folder()
        let scratch = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("logits.npy").path
        let result = try runLlama3(["logits", model.path, "--ids", model.appendingPathComponent("ids.json").path, "--out", out, "--threads", "2"])
        #expect(result.status == 0 && result.stdout.isEmpty, "\(result)")
        let check = try runPython(["-c", """
            import sys, numpy as np
            ours = np.load(sys.argv[1]); theirs = np.load(sys.argv[2])
            assert ours.dtype == np.dtype('<f4') and ours.flags['C_CONTIGUOUS'], ours.dtype
            assert ours.shape == theirs.shape == (40, 1256), (ours.shape, theirs.shape)
            difference = float(np.abs(ours - theirs).max())
            assert difference <= 1e-4, difference
            """, out, model.appendingPathComponent("logits.npy").path])
        #expect(check.status == 0, "\(check)")
    }

    @Test func logitsJSONListsTheTopIDsOfEveryPositionInOrder() throws {
        let model = try Self.folder()
        let result = try runLlama3(["logits", model.path, "--text", "Hello world", "--top", "3", "--json"])
        #expect(result.status == 0, "\(result)")
        let positions = try Self.json(result)["positions"]?.arrayValue ?? []
        #expect(positions.first?["id"] == 1000, "the text starts with <|begin_of_text|>")
        #expect(positions.count > 1)
        for position in positions {
            let top = position["top"]?.arrayValue ?? []
            #expect(top.count == 3)
            let logits = top.compactMap { $0["logit"]?.doubleValue }
            #expect(logits == logits.sorted(by: >), "top logits out of order: \(logits)")
            #expect(top.allSatisfy { $0["piece"]?.stringValue != nil && $0["id"]?.int64Value != nil })
        }
    }

    @Test func logitsTopIDsAreTransformersTopIDs() throws {
        let model = try Self.folder()
        let result = try runLlama3(["logits", model.path, "--ids", model.appendingPathComponent("ids.json").path, "--top", "3", "--json"])
        #expect(result.status == 0, "\(result)")
        let ours = (try Self.json(result)["positions"]?.arrayValue ?? []).map { position in
            (position["top"]?.arrayValue ?? []).compactMap { $0["id"]?.int64Value.map(Int.init) }
        }
        let check = try runPython(["-c", "import sys, json, numpy as np; print(json.dumps(np.argsort(-np.load(sys.argv[1]), axis=-1, kind='stable')[:, :3].tolist()))",
                                   model.appendingPathComponent("logits.npy").path])
        try #require(check.status == 0, "\(check)")
        let theirs = try IDRows.parse(check.stdoutText)
        #expect(ours == theirs, "top-3 ids differ from transformers' logits")
    }

    @Test func compareOfAModelWithItselfIsZeroKLAndFullAgreement() throws {
        let model = try Self.folder().path
        let result = try runLlama3(["compare", model, model, "--tokens", "1000 17 300 42 999", "--json"])
        #expect(result.status == 0, "\(result)")
        let report = try Self.json(result)
        #expect(report.objectValue?.map(\.key) == ["kl_mean", "kl_max", "top1_agreement", "max_abs_diff", "perplexity_a", "perplexity_b", "positions"])
        #expect(report["kl_mean"]?.doubleValue == 0)
        #expect(report["top1_agreement"]?.doubleValue == 1)
        #expect(report["positions"] == 5)
        #expect(report["perplexity_a"] == report["perplexity_b"])
    }

    @Test func compareOfAFolderWithItsQ8GGUFShowsSmallButNonZeroDivergence() throws {
        let model = try Self.folder()
        let scratch = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let gguf = scratch.appendingPathComponent("q8.gguf").path
        let conversion = try runLlama3(["convert", model.path, gguf, "--type", "q8_0", "--quiet"])
        try #require(conversion.status == 0, "\(conversion)")
        let result = try runLlama3(["compare", model.path, gguf, "--ids", model.appendingPathComponent("ids.json").path, "--json"])
        #expect(result.status == 0, "\(result)")
        let report = try Self.json(result)
        let kl = report["kl_mean"]?.doubleValue ?? -1
        #expect(kl > 0 && kl < 0.01, "Q8_0 should cost little: kl_mean \(kl)")
        #expect((report["top1_agreement"]?.doubleValue ?? 0) >= 0.9)
        #expect(report["positions"] == 40)
    }

    @Test func compareRefusesModelsWhoseVocabulariesDiffer() throws {
        let model = try Self.folder()
        let scratch = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let other = scratch.appendingPathComponent("other")
        try FileManager.default.copyItem(at: model, to: other)
        // The same weights under a vocabulary whose token 5 is another piece.
        let tokenizer = other.appendingPathComponent("tokenizer.json")
        var text = try String(contentsOf: tokenizer, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"<|begin_of_text|>\"", with: "\"<|begin_of_txt|>\"")
        try Data(text.utf8).write(to: tokenizer)
        let result = try runLlama3(["compare", model.path, other.path, "--tokens", "1 2 3"])
        #expect(result.status == 1)
        #expect(result.stderrText.contains("token 1000 is \"<|begin_of_txt|>\"") && result.stderrText.contains("same vocabulary"), "\(result)")
    }

    @Test func perplexityEqualsTransformersWithLlamaCppWindows() throws {
        let model = try Self.folder()
        let scratch = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let ids = try Self.longIDs(in: scratch)
        let result = try runLlama3(["perplexity", model.path, "--ids", ids, "--context", "64", "--json"])
        #expect(result.status == 0, "\(result)")
        let report = try Self.json(result)
        #expect(report["windows"] == 4 && report["scored_tokens"] == 124)
        #expect(result.stderrText.contains("window 4/4"))
        let ours = report["perplexity"]?.doubleValue ?? 0
        let theirs = try #require(Double(try Self.transformers("perplexity", folder: model, ids: ids, 64)))
        #expect(abs(ours - theirs) <= 0.005 * theirs, "perplexity \(ours), transformers \(theirs)")
    }

    @Test func perplexityNeedsTwoWindows() throws {
        let model = try Self.folder()
        let scratch = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let result = try runLlama3(["perplexity", model.path, "--ids", try Self.longIDs(in: scratch), "--context", "256"])
        #expect(result.status == 1)
        #expect(result.stderrText.contains("has 300 tokens; perplexity with a context of 256 needs at least 512"), "\(result)")
    }

    @Test func greedyGenerationEqualsTransformersGenerate() throws {
        let model = try Self.folder()
        let scratch = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        // Without a vocabulary the ids themselves are printed.
        let bare = scratch.appendingPathComponent("bare")
        try FileManager.default.createDirectory(at: bare, withIntermediateDirectories: true)
        for name in ["config.json", "model.safetensors"] {
            try FileManager.default.copyItem(at: model.appendingPathComponent(name), to: bare.appendingPathComponent(name))
        }
        let ids = model.appendingPathComponent("ids.json").path
        let result = try runLlama3(["generate", bare.path, "--ids", ids, "--max-tokens", "12"])
        #expect(result.status == 0, "\(result)")
        let expected = try Self.transformers("generate", folder: model, ids: ids, 12)
        #expect(result.stdoutText == expected + "\n")
    }

    @Test func aSeedRepeatsItsSampleAndAnotherSeedDiffers() throws {
        let model = try Self.folder().path
        func sample(_ seed: Int) throws -> String {
            let result = try runLlama3(["generate", model, "--tokens", "1000 5 6", "--max-tokens", "16", "--ignore-eos",
                                        "--temperature", "1.5", "--seed", String(seed), "--threads", "1"])
            #expect(result.status == 0, "\(result)")
            return result.stdoutText
        }
        let first = try sample(1)
        #expect(try sample(1) == first)
        #expect(try sample(2) != first)
    }

    @Test func textNeedsAVocabulary() throws {
        let model = try Self.folder()
        let scratch = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        for name in ["config.json", "model.safetensors"] {
            try FileManager.default.copyItem(at: model.appendingPathComponent(name), to: scratch.appendingPathComponent(name))
        }
        let result = try runLlama3(["logits", scratch.path, "--text", "hello"])
        #expect(result.status == 1)
        #expect(result.stderrText.contains("carries no vocabulary") && result.stderrText.contains("--tokens or --ids"), "\(result)")
    }

    @Test func exactlyOneSourceOfIDsIsAUsageError() throws {
        let model = try Self.folder().path
        let result = try runLlama3(["logits", model, "--tokens", "1", "--text", "x"])
        #expect(result.status == 2, "\(result)")
    }
}

/// A JSON array of arrays of ids, as the numpy check prints it.
enum IDRows {
    static func parse(_ text: String) throws -> [[Int]] {
        let value = try JSONParser.parse(Array(text.utf8), file: "numpy")
        return (value.arrayValue ?? []).map { row in (row.arrayValue ?? []).compactMap { $0.int64Value.map(Int.init) } }
    }
}

