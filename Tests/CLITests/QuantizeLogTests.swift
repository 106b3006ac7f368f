import Foundation
import ModelIO
import Testing
import TestSupport

/// `quantize --verbose` and the closing sizes against llama.cpp's own log of the same work:
/// llama_model_quantize's lines for Fixtures/quantization/make_kquant_model.py's llama.gguf,
/// recorded in Fixtures/llamacpp-quantized/quantize-log.json by make_llamacpp_quantized.py.
@Suite(.requiresFixtureVenv) struct QuantizeLogTests {
    static let types = ["q4_k_m", "q2_k", "q8_0"]

    static func llamaCppLog(_ type: String) throws -> [String] {
        let bytes = try Data(contentsOf: TestSupport.fixture("llamacpp-quantized/quantize-log.json"))
        let log = try JSONParser.parse(Array(bytes), file: "quantize-log.json")
        let lines = log["llama.gguf"]?[type]?.arrayValue?.compactMap { $0.stringValue }
        return try #require(lines)
    }

    /// A tensor line without its "[  N/  39] " number: llama.cpp visits tensors in another order.
    static func unnumbered(_ line: Substring) -> String {
        guard line.hasPrefix("["), let close = line.firstIndex(of: "]") else { return String(line) }
        return String(line[line.index(close, offsetBy: 2)...])
    }

    /// The figures of llama.cpp's "model size  =     6.51 MiB (32.00 BPW)" line: "6.51 MiB (32.00 BPW)".
    static func figures(_ line: String) -> String? {
        guard let equals = line.firstIndex(of: "=") else { return nil }
        return line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
    }

    static func quantize(_ type: String, _ extra: [String]) throws -> (folder: URL, result: ProcessResult) {
        let inputs = try GeneratedInputs.once(script: "quantization/make_kquant_model.py")
        try #require(inputs.result.status == 0, "\(inputs.result)")
        let folder = try inputs.freshCopy("quantize-log")
        let result = try runLlama3(
            ["quantize", folder.appendingPathComponent("llama.gguf").path, folder.appendingPathComponent("out.gguf").path,
             "--type", type] + extra)
        return (folder, result)
    }

    @Test(arguments: types)
    func verboseLinesAreLlamaQuantizesLines(type: String) throws {
        let (folder, result) = try Self.quantize(type, ["--verbose"])
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(result.status == 0, "\(result)")
        let ours = result.stderrText.split(separator: "\n")
        let theirs = try Self.llamaCppLog(type).filter { $0.hasPrefix("[") }
        #expect(ours.count == theirs.count, "\(result.stderrText)")
        #expect(ours.map(Self.unnumbered).sorted() == theirs.map { Self.unnumbered(Substring($0)) }.sorted())
        #expect(ours.enumerated().allSatisfy { $1.hasPrefix(String(format: "[%4d/%4d] ", $0 + 1, theirs.count)) })
    }

    @Test(arguments: types)
    func summaryEndsWithLlamaQuantizesSizesAndBitsPerWeight(type: String) throws {
        let (folder, result) = try Self.quantize(type, [])
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(result.status == 0, "\(result)")
        let log = try Self.llamaCppLog(type)
        let model = try #require(log.first { $0.contains("model size") }.flatMap(Self.figures))
        let quant = try #require(log.first { $0.contains("quant size") }.flatMap(Self.figures))
        #expect(result.stdoutText.hasSuffix("; model size = \(model), quant size = \(quant)\n"), "\(result.stdoutText)")
    }

    @Test func jsonHasTheBitsPerWeightAndEachTensorsShape() throws {
        let (folder, result) = try Self.quantize("q4_k_m", ["--json"])
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(result.status == 0, "\(result)")
        let summary = try JSONParser.parse(Array(result.stdout), file: "stdout")
        let quant = try #require(try Self.llamaCppLog("q4_k_m").first { $0.contains("quant size") })
        let bitsPerWeight = try #require(summary["bits_per_weight"]?.doubleValue)
        #expect(quant.hasSuffix("(\(String(format: "%.2f", bitsPerWeight)) BPW)"), "\(bitsPerWeight) against \(quant)")
        #expect(summary["input_bits_per_weight"] == 32.0)
        let embedding = summary["tensor_list"]?.arrayValue?.first { $0["name"] == "token_embd.weight" }
        #expect(embedding?["shape"] == [256, 256] && embedding?["elements"] == 65536)
        #expect(summary["elements"]?.int64Value == summary["tensor_list"]?.arrayValue?.reduce(0) { $0 + ($1["elements"]?.int64Value ?? 0) })
    }

    @Test func convertWithATypeLogsAndEndsAsQuantizeDoes() throws {
        let (folder, quantized) = try Self.quantize("q4_k_m", ["--verbose"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let converted = try runLlama3(
            ["convert", folder.appendingPathComponent("llama.gguf").path, folder.appendingPathComponent("c.gguf").path,
             "--type", "q4_k_m", "--verbose"])
        #expect(converted.status == 0, "\(converted)")
        let lines = converted.stderrText.split(separator: "\n")
        let summary = try #require(lines.last)
        #expect(lines.dropLast() == quantized.stderrText.split(separator: "\n")[...])
        let quant = try #require(try Self.llamaCppLog("q4_k_m").first { $0.contains("quant size") }.flatMap(Self.figures))
        #expect(summary.hasSuffix("quant size = \(quant)"), "\(summary)")
    }

    @Test func verboseAndQuietTogetherAreAUsageError() throws {
        let result = try runLlama3(["quantize", "a.gguf", "b.gguf", "--type", "q8_0", "--verbose", "--quiet"])
        #expect(result.status == 2, "\(result)")
    }
}
