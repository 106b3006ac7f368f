import Foundation
import ModelIO
import Testing
import TestSupport

/// `llama3 checksum` and `llama3 verify` as a shell user runs them, on files written by gguf-py
/// and safetensors with digests from xxhsum (Fixtures/quantization/make-checksummed-files.py).
@Suite(.requiresFixtureVenv) struct ChecksumCommandTests {
    /// The script runs once per test process; each test gets its own copy of its files.
    static func makeFiles() throws -> URL {
        let files = try GeneratedInputs.once(script: "quantization/make-checksummed-files.py")
        let result = files.result
        #expect(result.status == 0, "\(result)")
        return try files.freshCopy("checksum-cli")
    }

    @Test func checksumPrintsOneXxhsumLinePerTensor() throws {
        let folder = try Self.makeFiles()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("checksummed.gguf").path
        let result = try runLlama3(["checksum", path])
        #expect(result.status == 0, "\(result)")
        let lines = result.stdoutText.split(separator: "\n")
        #expect(lines.count == 5)
        #expect(lines.first?.hasSuffix("  token_embd.weight") == true)
        let json = try runLlama3(["checksum", path, "--json"])
        #expect(json.stdoutText.contains("\"xxh3_64\""))
    }

    @Test func verifyPassesAndExitsZero() throws {
        let folder = try Self.makeFiles()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try runLlama3(["verify", folder.appendingPathComponent("checksummed.safetensors").path])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdoutText == "OK: 4 tensors match their recorded XXH3-64 checksums\n")
    }

    @Test func verifyNamesTheDamagedTensorAndExitsOne() throws {
        let folder = try Self.makeFiles()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("checksummed.gguf").path
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        data[data.count - 100] ^= 0x01  // inside output.weight, the last tensor
        try data.write(to: URL(fileURLWithPath: path))
        let result = try runLlama3(["verify", path])
        #expect(result.status == 1, "\(result)")
        #expect(result.stdoutText.hasPrefix("MISMATCH output.weight: recorded "))
        #expect(result.stderrText.hasPrefix("llama3: \(path): 1 tensor(s) do not match their recorded checksums: output.weight"))
        let json = try runLlama3(["verify", path, "--json"])
        #expect(json.status == 1, "\(json)")
        let report = try JSONParser.parse(Array(json.stdout), file: "stdout")
        #expect(report["passed"] == false && report["matched"] == 4)
        #expect(report["mismatched"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["output.weight"])
    }

    @Test func verifySaysSoWhenAFileRecordsNoChecksums() throws {
        let folder = try Self.makeFiles()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("plain.gguf").path
        let result = try runLlama3(["verify", path])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderrText.contains("\(path): carries no checksums"))
    }
}
