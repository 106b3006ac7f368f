import Foundation
import Testing
import TestSupport

/// `llama3 quantize` as a shell user runs it, on GGUFs written by gguf-py
/// (Fixtures/quantization/make-quantize-inputs.py).
@Suite struct QuantizeCommandTests {
    /// The script runs once per test process; each test gets its own copy of its files.
    static func makeInputs() throws -> URL {
        let inputs = try GeneratedInputs.once(script: "quantization/make-quantize-inputs.py")
        let result = inputs.result
        #expect(result.status == 0, "\(result)")
        return try inputs.freshCopy("quantize-cli")
    }

    @Test(.requiresFixtureVenv) func quantizesAndPrintsASummaryWithoutProgressWhenPiped() throws {
        let folder = try Self.makeInputs()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out.gguf").path
        let result = try runLlama3(["quantize", folder.appendingPathComponent("input.gguf").path, output, "--type", "q4_0", "--pure", "--threads", "2"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdoutText.hasPrefix("wrote \(output): 6 tensors as Q4_0, 3 kept (1 converted to F32)"))
        #expect(result.stderrText.isEmpty, "no progress on a pipe")
        #expect(try runLlama3(["verify", output]).status == 0)
    }

    @Test(.requiresFixtureVenv) func badTensorExitsOneNamingItAndWritesNothing() throws {
        let folder = try Self.makeInputs()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("nan.gguf").path
        let output = folder.appendingPathComponent("out.gguf").path
        let result = try runLlama3(["quantize", input, output, "--type", "q8_0"])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderrText.hasPrefix("llama3: \(input): at byte "))
        #expect(result.stderrText.contains("tensor blk.0.attn_q.weight: element 1000 (row 3, column 232) is nan"))
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func unknownTypeIsAUsageError() throws {
        let result = try runLlama3(["quantize", "a.gguf", "b.gguf", "--type", "q5_k"])
        #expect(result.status == 2, "usage errors exit 2 (Docs/CLI.md): \(result)")
        #expect(result.stderrText.contains("q5_k"))
    }

    @Test(.requiresFixtureVenv) func refusesToOverwriteItsInput() throws {
        let folder = try Self.makeInputs()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("input.gguf").path
        let before = try Data(contentsOf: URL(fileURLWithPath: input))
        let result = try runLlama3(["quantize", input, input, "--type", "q8_0"])
        #expect(result.status == 1, "\(result)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: input)) == before)
    }

    @Test(.requiresFixtureVenv) func convertWithATypeWritesWhatQuantizeWrites() throws {
        let folder = try Self.makeInputs()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("input.gguf").path
        let quantized = folder.appendingPathComponent("q.gguf").path, converted = folder.appendingPathComponent("c.gguf").path
        #expect(try runLlama3(["quantize", input, quantized, "--type", "q4_1"]).status == 0)
        let result = try runLlama3(["convert", input, converted, "--type", "q4_1", "--quiet"])
        #expect(result.status == 0, "\(result)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: converted)) == Data(contentsOf: URL(fileURLWithPath: quantized)))
    }

    @Test(.requiresFixtureVenv) func convertingToABlockTypeInSafetensorsExitsOne() throws {
        let folder = try Self.makeInputs()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("out.safetensors").path
        let result = try runLlama3(["convert", folder.appendingPathComponent("input.gguf").path, output, "--type", "q8_0"])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderrText.contains("tensor token_embd.weight: safetensors has no Q8_0 dtype; write a .gguf to quantize, or pass --type f32, f16 or bf16"))
        #expect(!FileManager.default.fileExists(atPath: output))
    }
}
