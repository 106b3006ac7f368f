import Foundation
import ModelIO
import Testing
import TestSupport

/// `inspect`'s file_type on GGUFs that llama.cpp quantized itself, named as llama.cpp's loader
/// printed them (Fixtures/llamacpp-quantized/names.json, both from make_llamacpp_quantized.py):
/// the name, no warning for llama.cpp's own mixes, llama.cpp's guess without the key, and one
/// warning line when the key claims a mix the tensors do not have.
@Suite struct InspectFileTypeTests {
    static let files = ["model-Q4_K_M.gguf", "model-Q5_K_M.gguf", "model-Q2_K.gguf"]

    static func names() throws -> JSONValue {
        let bytes = try Data(contentsOf: TestSupport.fixture("llamacpp-quantized/names.json"))
        return try JSONParser.parse(Array(bytes), file: "names.json")
    }

    static func inspect(_ path: String) throws -> (ProcessResult, JSONValue) {
        let result = try runLlama3(["inspect", path, "--json"])
        return (result, try JSONParser.parse(Array(result.stdout), file: "stdout"))
    }

    static func mixWarnings(_ report: JSONValue) -> [String] {
        (report["warnings"]?.arrayValue ?? []).compactMap(\.stringValue).filter { $0.hasPrefix("general.file_type") }
    }

    /// A copy of the committed Q2_K file with its general.file_type key changed in place: the
    /// value (a UINT32 after the key's name and its type) set to `value`, or the name's last
    /// letter changed so the key is gone.
    static func patchedQ2K(value: UInt32? = nil) throws -> (folder: URL, path: String) {
        var bytes = [UInt8](try Data(contentsOf: TestSupport.fixture("llamacpp-quantized/model-Q2_K.gguf")))
        let key = Array("general.file_type".utf8)
        let start = try #require((0...(bytes.count - key.count)).first { Array(bytes[$0..<($0 + key.count)]) == key })
        let valueOffset = start + key.count + 4
        #expect(bytes[(valueOffset - 4)..<valueOffset] == [4, 0, 0, 0], "the key should hold a UINT32")
        if let value {
            bytes.replaceSubrange(valueOffset..<(valueOffset + 4), with: withUnsafeBytes(of: value.littleEndian, Array.init))
        } else {
            bytes[start + key.count - 1] = UInt8(ascii: "X")
        }
        let folder = try TestSupport.temporaryFolder("llama3-file-type")
        let path = folder.appendingPathComponent("patched.gguf").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return (folder, path)
    }

    @Test(arguments: files)
    func llamaCppFilesAreNamedAsLlamaCppNamesThemWithoutAWarning(file: String) throws {
        let (result, report) = try Self.inspect(TestSupport.fixture("llamacpp-quantized/\(file)").path)
        #expect(result.status == 0, "\(result)")
        let expected = try #require(try Self.names()["committed"]?[file]?.stringValue)
        #expect(report["file_type"]?["name"]?.stringValue == expected)
        #expect(report["file_type"]?["matches_mix"] == true && report["file_type"]?["mismatched_tensors"] == 0)
        #expect(Self.mixWarnings(report) == [])
        let text = try runLlama3(["inspect", TestSupport.fixture("llamacpp-quantized/\(file)").path])
        #expect(text.stdoutText.contains("file type:   \(expected) (general.file_type "), "\(text.stdoutText)")
    }

    @Test func withoutTheKeyTheNameIsLlamaCppsGuess() throws {
        let (folder, path) = try Self.patchedQ2K()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (result, report) = try Self.inspect(path)
        #expect(result.status == 0, "\(result)")
        let expected = try #require(try Self.names()["model-Q2_K.gguf without general.file_type"]?.stringValue)
        #expect(report["file_type"]?["name"]?.stringValue == expected)
        #expect(report["file_type"]?["value"] == nil as JSONValue && report["file_type"]?["matches_mix"] == nil as JSONValue)
        #expect(Self.mixWarnings(report) == [])
    }

    @Test func aFileClaimingAnotherMixGetsOneWarningNamingTheFirstTensorThatDiffers() throws {
        let (folder, path) = try Self.patchedQ2K(value: 15)  // LLAMA_FTYPE_MOSTLY_Q4_K_M
        defer { try? FileManager.default.removeItem(at: folder) }
        let (result, report) = try Self.inspect(path)
        #expect(result.status == 0, "a mix that differs is a warning, not a problem: \(result)")
        #expect(report["file_type"]?["name"] == "Q4_K - Medium" && report["file_type"]?["matches_mix"] == false)
        // llama.cpp writes output.weight first (Q6_K in both mixes), then output_norm, then the
        // token embedding: Q2_K in llama.cpp's Q2_K file, Q4_K in its Q4_K_M mix.
        let warnings = Self.mixWarnings(report)
        #expect(warnings.count == 1)
        #expect(warnings.first?.hasPrefix("general.file_type says Q4_K - Medium, but tensor token_embd.weight is Q2_K where llama-quantize's Q4_K_M mix") == true, "\(warnings)")
        #expect(warnings.first?.contains("puts Q4_K (") == true, "\(warnings)")
        let first = report["file_type"]?["first_mismatch"]
        #expect(first?["tensor"] == "token_embd.weight" && first?["type"] == "Q2_K" && first?["expected"] == "Q4_K")
        let text = try runLlama3(["inspect", path])
        #expect(text.stdoutText.split(separator: "\n").filter { $0.hasPrefix("warning: general.file_type") }.count == 1)
    }

    @Test func safetensorsHaveNoFileType() throws {
        let (_, report) = try Self.inspect(TestSupport.fixture("formats/sharded").path)
        #expect(report["file_type"] == nil)
    }
}
