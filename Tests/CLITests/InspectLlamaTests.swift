import Foundation
import ModelIO
import Testing
import TestSupport

/// `llama3 inspect` on Llama-shaped files with real headers and no real weights, written by
/// gguf-py and by the safetensors format (Fixtures/llama-layout/make_sparse_model.py): the
/// 8B and 70B files are 16 GB and 141 GB sparse files that take a few KB of disk.
@Suite(.requiresFixtureVenv) struct InspectLlamaTests {
    static let script = TestSupport.fixture("llama-layout/make_sparse_model.py").path

    /// Writes a sparse model with the fixture script; returns its path.
    static func make(_ name: String, _ arguments: [String]) throws -> (folder: URL, path: String) {
        let folder = try TestSupport.temporaryFolder("llama3-inspect")
        let path = folder.appendingPathComponent(name).path
        let result = try runPython([script, path] + arguments)
        guard result.status == 0 else { throw FileError(file: script, "failed: \(result)") }
        return (folder, path)
    }

    static func inspect(_ path: String, _ extra: [String] = []) throws -> (ProcessResult, JSONValue) {
        let result = try runLlama3(["inspect", path, "--json"] + extra)
        return (result, try JSONParser.parse(Array(result.stdout), file: "stdout"))
    }

    struct Known: Sendable, CustomStringConvertible {
        var arguments: [String]
        var variant: String
        var parameters: Int64
        var kvHeads: Int64
        var gqaSaving: Int64
        var f16BytesPerToken: Int64
        var description: String { arguments.joined(separator: " ") }
    }

    static let known: [Known] = [
        Known(arguments: ["--variant", "8b", "--format", "gguf"], variant: "Llama 3 8B",
              parameters: 8_030_261_248, kvHeads: 8, gqaSaving: 4, f16BytesPerToken: 131_072),
        Known(arguments: ["--variant", "8b", "--format", "folder", "--rope-scaling"], variant: "Llama 3.1 8B",
              parameters: 8_030_261_248, kvHeads: 8, gqaSaving: 4, f16BytesPerToken: 131_072),
        Known(arguments: ["--variant", "70b", "--format", "gguf", "--rope-scaling"], variant: "Llama 3.1 70B",
              parameters: 70_553_706_496, kvHeads: 8, gqaSaving: 8, f16BytesPerToken: 327_680),
        Known(arguments: ["--variant", "70b", "--format", "sharded"], variant: "Llama 3 70B",
              parameters: 70_553_706_496, kvHeads: 8, gqaSaving: 8, f16BytesPerToken: 327_680),
        Known(arguments: ["--variant", "1b", "--format", "safetensors"], variant: "Llama 3.2 1B",
              parameters: 1_235_814_400, kvHeads: 8, gqaSaving: 4, f16BytesPerToken: 32_768),
    ]

    @Test(arguments: known)
    func sparseModelIsNamedWithExactParameters(_ known: Known) throws {
        let isFolder = known.arguments.contains("folder") || known.arguments.contains("sharded")
        let (folder, path) = try Self.make(isFolder ? "model" : "model.file", known.arguments)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (result, report) = try Self.inspect(path)
        let model = try #require(report["model"], "\(result)")
        #expect(model["variant"] == .string(known.variant))
        if known.arguments.contains("--rope-scaling") {
            // config.json states it; a GGUF's rope_freqs divisors (written from transformers) reveal it.
            #expect(model["rope"]?["scaling"]?["factor"] == 8, "\(String(describing: model["rope"]))")
        }
        #expect(model["parameters"] == .int(known.parameters))
        #expect(model["kv_heads"] == .int(known.kvHeads))
        #expect(model["kv_cache"]?["gqa_saving"] == .int(known.gqaSaving))
        #expect(model["kv_cache"]?["f16_bytes_per_token"] == .int(known.f16BytesPerToken))
        #expect(report["problems"] == .array([]), "\(result)")
        #expect(result.status == 0, "\(result)")
    }

    struct Broken: Sendable, CustomStringConvertible {
        var arguments: [String]
        var problems: [String]
        var description: String { arguments.joined(separator: " ") }
    }

    static let broken: [Broken] = [
        Broken(arguments: ["--format", "gguf", "--defect", "k-heads-32"], problems: [
            "blk.3.attn_k.weight: shape [4096, 4096] (32 KV heads instead of 8), expected [1024, 4096] (KV heads 8 x head_dim 128, by dim)",
        ]),
        Broken(arguments: ["--format", "folder", "--defect", "k-heads-32"], problems: [
            "model.layers.3.self_attn.k_proj.weight: shape [4096, 4096] (32 KV heads instead of 8), expected [1024, 4096] (KV heads 8 x head_dim 128, by dim)",
        ]),
        Broken(arguments: ["--format", "gguf", "--defect", "missing-layer-17"], problems: [
            "layer 17: missing: no blk.17.* tensors",
        ]),
        Broken(arguments: ["--format", "gguf", "--defect", "ffn-11008"], problems: [
            "blk.5.ffn_gate.weight: shape [11008, 4096] (FFN 11008 instead of 14336), expected [14336, 4096] (FFN x dim)",
        ]),
        Broken(arguments: ["--format", "gguf", "--defect", "kv-heads-6"], problems: [
            "llama.attention.head_count_kv: 32 heads are not a multiple of 6 KV heads: grouped-query attention shares each KV head among the same number of query heads",
        ]),
        Broken(arguments: ["--format", "gguf", "--defect", "metadata-heads-16"], problems: [
            "llama.attention.head_count: is 16 but the attn_q tensors hold 32 heads of 128 (4096 rows)",
        ]),
        Broken(arguments: ["--format", "folder", "--defect", "stray-bias"], problems: [
            "model.layers.0.self_attn.q_proj.bias: stray tensor: not part of the Llama layout",
        ]),
    ]

    @Test(arguments: broken)
    func brokenModelListsEveryProblemAndExitsOne(_ broken: Broken) throws {
        let isFolder = broken.arguments.contains("folder")
        let (folder, path) = try Self.make(isFolder ? "model" : "model.gguf", ["--variant", "8b"] + broken.arguments)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (result, report) = try Self.inspect(path)
        #expect(result.status == 1, "\(result)")
        #expect(report["problems"] == .array(broken.problems.map { .string($0) }))
        let stderrLines = result.stderrText.split(separator: "\n")
        #expect(stderrLines.count == 1 && stderrLines[0].contains(broken.problems[0]), "\(result.stderrText)")
    }

    @Test func textReportNamesTheModelAndListsProblems() throws {
        let (folder, path) = try Self.make("model.gguf", ["--variant", "8b", "--defect", "k-heads-32", "--defect", "ffn-11008"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try runLlama3(["inspect", path])
        #expect(result.status == 1)
        let lines = result.stdoutText.split(separator: "\n").map(String.init)
        #expect(lines.contains("model:       Llama 3 8B (GGUF tensor names, hyper-parameters from GGUF metadata)"), "\(result)")
        #expect(lines.contains("parameters:  8,029,212,672 (8.03B)"), "\(result)")
        #expect(lines.filter { $0.hasPrefix("problem: ") }.count == 2, "\(result)")
    }

    @Test func missingTokenizerIsAWarningNotAFailure() throws {
        let (folder, path) = try Self.make("model", ["--variant", "8b", "--format", "folder", "--no-tokenizer"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let (result, report) = try Self.inspect(path)
        #expect(result.status == 0, "\(result)")
        #expect(report["warnings"] == [
            "tokenizer: the file carries no vocabulary", "chat template: none in the file (base models have none)",
        ])
    }
}
