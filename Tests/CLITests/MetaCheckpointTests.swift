import Foundation
import ModelIO
import Testing
import TestSupport

/// Meta's original folder (params.json, consolidated.NN.pth, tokenizer.model) written by torch.save
/// with 1 and 2 model-parallel ranks (Fixtures/pytorch/make_meta_checkpoints.py): inspected,
/// converted to GGUF and to an HF folder, each checked by independent tools (gguf-py, safetensors,
/// transformers) and by transformers' logits.
@Suite(.requiresFixtureVenv) struct MetaCheckpointTests {
    static func fixtures() throws -> URL {
        try TestSupport.generatedFolder(
            script: "pytorch/make_meta_checkpoints.py", arguments: [TestSupport.officialVocabulary.path])
    }

    static func json(_ result: ProcessResult) throws -> JSONValue {
        try JSONParser.parse(Array(result.stdout), file: "stdout")
    }

    /// `llama3 logits` of `model` on the fixture's ids equals transformers' within 1e-4.
    static func expectTransformersLogits(_ model: String, fixtures: URL, scratch: URL) throws {
        let out = scratch.appendingPathComponent("logits-\(UUID().uuidString).npy").path
        let result = try runLlama3(["logits", model, "--ids", fixtures.appendingPathComponent("ids.json").path, "--out", out, "--threads", "2"])
        #expect(result.status == 0, "\(result)")
        let check = try runPython(["-c", """
            import sys, numpy as np
            ours = np.load(sys.argv[1]); theirs = np.load(sys.argv[2])
            assert ours.shape == theirs.shape == (12, 128256), (ours.shape, theirs.shape)
            difference = float(np.abs(ours - theirs).max())
            assert difference <= 1e-4, difference
            """, out, fixtures.appendingPathComponent("logits.npy").path])
        #expect(check.status == 0, "\(model): \(check)")
    }

    @Test(arguments: ["meta-1", "meta-2"])
    func inspectNamesTheFolderAndItsParameters(folder: String) throws {
        let fixtures = try Self.fixtures()
        let result = try runLlama3(["inspect", fixtures.appendingPathComponent(folder).path, "--json"])
        #expect(result.status == 0, "\(result)")
        let report = try Self.json(result)
        let config = try JSONParser.parse(Array(try Data(contentsOf: fixtures.appendingPathComponent("hf/config.json"))), file: "config.json")
        #expect(report["format"]?["name"] == "meta-checkpoint")
        #expect(report["format"]?["ranks"]?.arrayValue?.count == (folder == "meta-2" ? 2 : 1))
        let model = try #require(report["model"])
        #expect(model["naming"] == "meta")
        #expect(model["hyperparameters_from"] == "params.json")
        for (ours, theirs) in [("layers", "num_hidden_layers"), ("dim", "hidden_size"), ("heads", "num_attention_heads"),
                               ("kv_heads", "num_key_value_heads"), ("ffn", "intermediate_size"), ("vocab", "vocab_size"),
                               ("context_length", "max_position_embeddings")] {
            #expect(model[ours] == config[theirs], "\(ours): \(model[ours].map { "\($0)" } ?? "nil") vs config.json \(theirs)")
        }
        // transformers 4 writes rope_scaling, 5 rope_parameters.
        let scaling = config["rope_scaling"] ?? config["rope_parameters"]
        #expect(model["rope"]?["scaling"]?["factor"]?.doubleValue == scaling?["factor"]?.doubleValue, "\(scaling.map { "\($0)" } ?? "nil")")
        #expect(report["problems"]?.arrayValue?.isEmpty == true, "\(report)")
    }

    @Test(arguments: ["meta-1", "meta-2"])
    func convertsToAGGUFEqualToTransformersConversion(folder: String) throws {
        let fixtures = try Self.fixtures()
        let scratch = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let gguf = scratch.appendingPathComponent("model.gguf").path
        let result = try runLlama3(["convert", fixtures.appendingPathComponent(folder).path, gguf])
        #expect(result.status == 0, "\(result)")
        #expect(result.stderrText.contains("Meta -> GGUF") && result.stderrText.contains("eos <|end_of_text|> (128001"), "\(result)")
        // check_converted.py: names, q/k rows as llama.cpp's converter permutes HF's, F32 norms,
        // llama.* and tokenizer keys, rope_freqs, all against the same model saved by transformers.
        let check = try runPython([TestSupport.fixture("llama-convert/check_converted.py").path, "gguf",
                                   fixtures.appendingPathComponent("hf").path, gguf])
        #expect(check.status == 0, "\(check)")
        try Self.expectTransformersLogits(gguf, fixtures: fixtures, scratch: scratch)
    }

    @Test(arguments: ["meta-1", "meta-2"])
    func convertsToAnHFFolderTransformersLoads(folder: String) throws {
        let fixtures = try Self.fixtures()
        let scratch = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let hf = scratch.appendingPathComponent("hf").path
        let result = try runLlama3(["convert", fixtures.appendingPathComponent(folder).path, hf, "--quiet"])
        #expect(result.status == 0, "\(result)")
        // check_converted.py back: every tensor byte-identical to transformers' own save,
        // config.json agrees, transformers loads the folder and gives the same logits.
        let check = try runPython([TestSupport.fixture("llama-convert/check_converted.py").path, "back",
                                   fixtures.appendingPathComponent("hf").path, hf])
        #expect(check.status == 0, "\(check)")
        try Self.expectTransformersLogits(hf, fixtures: fixtures, scratch: scratch)
    }

    /// Quantized, the row-parallel tensors' rows are gathered from both ranks before the blocks
    /// are made: the file equals the one made from transformers' own save of the same model.
    @Test func q8_0FromTwoRanksEqualsQ8_0FromTheHFCheckpoint() throws {
        let fixtures = try Self.fixtures()
        let scratch = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let fromMeta = scratch.appendingPathComponent("meta.gguf").path
        let fromHF = scratch.appendingPathComponent("hf.gguf").path
        let meta = try runLlama3(["convert", fixtures.appendingPathComponent("meta-2").path, fromMeta, "--type", "q8_0", "--quiet"])
        let hf = try runLlama3([
            "convert", fixtures.appendingPathComponent("hf").path, fromHF, "--type", "q8_0", "--quiet",
            "--vocab", TestSupport.officialVocabulary.path,
        ])
        #expect(meta.status == 0 && hf.status == 0, "\(meta)\n\(hf)")
        // Two paths to the same bytes: each tensor's XXH3-64 (`llama3 checksum`, in name order) must agree.
        let digests = try [fromMeta, fromHF].map { path -> String in
            let result = try runLlama3(["checksum", path])
            #expect(result.status == 0, "\(result)")
            return result.stdoutText.split(separator: "\n").sorted { $0.split(separator: " ").last ?? "" < $1.split(separator: " ").last ?? "" }.joined(separator: "\n")
        }
        #expect(!digests[0].isEmpty && digests[0] == digests[1], "\(digests[0])\n---\n\(digests[1])")

    }

    /// The reference model reads a one-rank folder as it is (Meta's q/k rows pair like GGUF's);
    /// a folder of several ranks must be converted first.
    @Test func logitsReadAOneRankFolderAndRefuseMergedRanks() throws {
        let fixtures = try Self.fixtures()
        let scratch = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        try Self.expectTransformersLogits(fixtures.appendingPathComponent("meta-1").path, fixtures: fixtures, scratch: scratch)
        let merged = try runLlama3(["logits", fixtures.appendingPathComponent("meta-2").path, "--text", "hello"])
        #expect(merged.status == 1 && merged.stderrText.contains("merged from model-parallel ranks"), "\(merged)")
    }

    @Test func eosOptionIsWrittenAndInspectShowsIt() throws {
        let fixtures = try Self.fixtures()
        let scratch = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let gguf = scratch.appendingPathComponent("instruct.gguf").path
        let result = try runLlama3(["convert", fixtures.appendingPathComponent("meta-1").path, gguf, "--eos", "<|eot_id|>"])
        #expect(result.status == 0 && result.stderrText.contains("eos <|eot_id|>"), "\(result)")
        let read = try runPython(["-c", """
            import sys
            from gguf import GGUFReader
            reader = GGUFReader(sys.argv[1])
            eos = reader.fields["tokenizer.ggml.eos_token_id"].contents()
            print(reader.fields["tokenizer.ggml.tokens"].contents()[eos])
            """, gguf])
        #expect(read.status == 0 && read.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "<|eot_id|>", "\(read)")
        let inspect = try runLlama3(["inspect", gguf])
        #expect(inspect.stdoutText.contains("eos:") && inspect.stdoutText.contains("<|eot_id|>"), "\(inspect)")
        let unknown = try runLlama3(["convert", fixtures.appendingPathComponent("meta-1").path, gguf + "-2.gguf", "--eos", "<|nope|>"])
        #expect(unknown.status == 1 && unknown.stderrText.contains("<|nope|>"), "\(unknown)")
    }

    @Test func aHostilePickleIsRefusedWithoutRunningIt() throws {
        let marker = "/tmp/llama3-tests-hostile-pickle-ran"
        try? FileManager.default.removeItem(atPath: marker)
        let path = try Self.fixtures().appendingPathComponent("hostile.pth").path
        for command in [["inspect", path], ["convert", path, path + "-out.gguf"]] {
            let result = try runLlama3(command)
            #expect(result.status == 1, "\(result)")
            #expect(result.stderrText.contains("os.system") && result.stderrText.contains("at byte"), "\(result)")
        }
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    @Test func ranksThatDisagreeOnANormAreRefused() throws {
        let fixtures = try Self.fixtures()
        let scratch = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let folder = scratch.appendingPathComponent("meta-2")
        try FileManager.default.copyItem(at: fixtures.appendingPathComponent("meta-2"), to: folder)
        // Rank 1's copy of a replicated norm changed: the copies no longer agree.
        let edit = try runPython(["-c", """
            import sys, torch
            state = torch.load(sys.argv[1])
            state["layers.1.ffn_norm.weight"] = state["layers.1.ffn_norm.weight"] * 2
            torch.save(state, sys.argv[1])
            """, folder.appendingPathComponent("consolidated.01.pth").path])
        try #require(edit.status == 0, "\(edit)")
        let result = try runLlama3(["inspect", folder.path])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderrText.contains("layers.1.ffn_norm.weight differs from rank 0's copy"), "\(result)")
    }
}
