import Foundation
import GGUF
import ModelIO
import Testing
import TestSupport

/// Split GGUF (gguf-split's NAME-00001-of-00003.gguf) read as one model by every command that reads
/// a GGUF. The parts and the same model whole are written by gguf-py (Fixtures/split-gguf/make_split.py).
@Suite(.requiresFixtureVenv) struct SplitGGUFReadingTests {
    static func fixture() throws -> URL {
        try TestSupport.generatedFolder(script: "split-gguf/make_split.py", arguments: [])
    }

    static func part(_ number: Int, in folder: URL) -> String {
        folder.appendingPathComponent("tiny-0000\(number)-of-00003.gguf").path
    }

    @Test(arguments: [1, 2, 3]) func anyPartIsInspectedAsTheWholeModel(part: Int) throws {
        let folder = try Self.fixture()
        let result = try runLlama3(["inspect", Self.part(part, in: folder), "--json"])
        #expect(result.status == 0, "\(result)")
        let report = try JSONParser.parse(Array(result.stdout), file: "stdout")
        let whole = try GGUFFile(path: folder.appendingPathComponent("tiny.gguf").path)
        #expect(report["format"]?["name"] == "gguf-split")
        #expect(report["format"]?["parts"]?.arrayValue?.count == 3)
        #expect(report["tensors"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == whole.tensors.map(\.name))
        let keys = report["metadata"]?.objectValue?.map(\.key) ?? []
        #expect(keys == whole.metadata.keys, "the model's keys, without the split's")
        #expect(report["model"]?["layers"] == 2, "\(report["model"] ?? .null)")
    }

    @Test func convertsToOneFileWithTheWholeModelsTensors() throws {
        let folder = try Self.fixture()
        let scratch = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let output = scratch.appendingPathComponent("joined.gguf").path
        let result = try runLlama3(["convert", Self.part(1, in: folder), output, "--keep-names", "--quiet"])
        #expect(result.status == 0, "\(result)")
        let joined = try GGUFFile(path: output)
        let whole = try GGUFFile(path: folder.appendingPathComponent("tiny.gguf").path)
        #expect(joined.tensors.map(\.name) == whole.tensors.map(\.name))
        for (mine, theirs) in zip(joined.tensors, whole.tensors) {
            #expect(mine.type == theirs.type && mine.shape == theirs.shape, "\(mine.name)")
            #expect(mine.data.bytes == theirs.data.bytes, "\(mine.name)")
        }
        #expect(!joined.metadata.keys.contains { $0.hasPrefix("split.") })
        #expect(joined.metadata["general.name"] == whole.metadata["general.name"])
        #expect(try runLlama3(["verify", output]).status == 0)
    }

    @Test func checksumAndQuantizeReadEveryPart() throws {
        let folder = try Self.fixture()
        let split = try runLlama3(["checksum", Self.part(3, in: folder), "--json"])
        let whole = try runLlama3(["checksum", folder.appendingPathComponent("tiny.gguf").path, "--json"])
        #expect(split.status == 0 && whole.status == 0, "\(split)\n\(whole)")
        let digests = { (result: ProcessResult) throws -> [String] in
            let tensors = try JSONParser.parse(Array(result.stdout), file: "stdout")["tensors"]?.arrayValue ?? []
            return tensors.map { "\($0["name"]?.stringValue ?? "?") \($0["xxh3_64"]?.stringValue ?? "?")" }
        }
        #expect(try digests(split).count == 21)
        #expect(try digests(split) == digests(whole))

        let scratch = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let output = scratch.appendingPathComponent("q8.gguf").path
        let quantized = try runLlama3(["quantize", Self.part(2, in: folder), output, "--type", "q8_0", "--quiet"])
        #expect(quantized.status == 0, "\(quantized)")
        #expect(try GGUFFile(path: output).tensors.count == 21)
    }

    @Test func aMissingPartIsNamed() throws {
        let folder = try Self.fixture()
        let scratch = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        for number in [1, 3] {
            try FileManager.default.copyItem(atPath: Self.part(number, in: folder), toPath: Self.part(number, in: scratch))
        }
        let result = try runLlama3(["inspect", Self.part(1, in: scratch)])
        #expect(result.status == 1)
        #expect(result.stderrText.contains("part 2 of 3") && result.stderrText.contains("tiny-00002-of-00003.gguf"), "\(result)")
    }

    @Test func anExtraPartIsNamed() throws {
        let folder = try Self.fixture()
        let scratch = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        for number in 1...3 {
            try FileManager.default.copyItem(atPath: Self.part(number, in: folder), toPath: Self.part(number, in: scratch))
        }
        let stray = scratch.appendingPathComponent("tiny-00004-of-00004.gguf").path
        try FileManager.default.copyItem(atPath: Self.part(3, in: folder), toPath: stray)
        let result = try runLlama3(["checksum", Self.part(2, in: scratch)])
        #expect(result.status == 1)
        #expect(result.stderrText.contains("tiny-00004-of-00004.gguf") && result.stderrText.contains("extra part"), "\(result)")
    }
}

/// `--split-max-size` / `--split-max-tensors`: parts as gguf-split writes them, read back by gguf-py
/// (Fixtures/split-gguf/check_split.py) against the whole model gguf-py wrote.
@Suite(.requiresFixtureVenv) struct SplitGGUFWritingTests {
    static func check(whole: String, parts: [String], limits: [String]) throws -> JSONValue {
        let result = try runPython([TestSupport.fixture("split-gguf/check_split.py").path, whole] + parts + limits)
        #expect(result.status == 0, "\(result)")
        return try JSONParser.parse(Array(result.stdout), file: "check_split.py")
    }

    static func parts(_ count: Int, named name: String, in folder: URL) -> [String] {
        (1...count).map { folder.appendingPathComponent("\(name)-0000\($0)-of-0000\(count).gguf").path }
    }

    @Test func maximumTensorsMakesPartsGGUFPyReads() throws {
        let fixture = try SplitGGUFReadingTests.fixture()
        let whole = fixture.appendingPathComponent("tiny.gguf").path
        let scratch = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let result = try runLlama3([
            "convert", whole, scratch.appendingPathComponent("out.gguf").path, "--keep-names", "--split-max-tensors", "8", "--quiet",
        ])
        #expect(result.status == 0, "\(result)")
        let written = try FileManager.default.contentsOfDirectory(atPath: scratch.path).sorted()
        #expect(written == ["out-00001-of-00003.gguf", "out-00002-of-00003.gguf", "out-00003-of-00003.gguf"])
        let summary = try Self.check(whole: whole, parts: Self.parts(3, named: "out", in: scratch), limits: ["--max-tensors", "8"])
        #expect(summary["tensors_per_part"] == [8, 8, 5])
        let verify = try runLlama3(["verify", Self.parts(3, named: "out", in: scratch)[1]])
        #expect(verify.status == 0 && verify.stdoutText.contains("OK: 21 tensors"), "\(verify)")
    }

    @Test func maximumSizeWithASuffixBoundsEachPart() throws {
        let fixture = try SplitGGUFReadingTests.fixture()
        let whole = fixture.appendingPathComponent("tiny.gguf").path
        let scratch = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let sized = try runLlama3(["convert", whole, scratch.appendingPathComponent("s.gguf").path, "--keep-names", "--split-max-size", "100000", "--quiet"])
        #expect(sized.status == 0, "\(sized)")
        let names = try FileManager.default.contentsOfDirectory(atPath: scratch.path).filter { $0.hasPrefix("s-") }.sorted()
        #expect(names.count > 1)
        _ = try Self.check(whole: whole, parts: names.map { scratch.appendingPathComponent($0).path }, limits: ["--max-bytes", "100000"])
        let fractional = try runLlama3(["convert", whole, scratch.appendingPathComponent("f.gguf").path, "--split-max-size", "0.1M"])
        #expect(fractional.status != 0 && fractional.stderrText.contains("--split-max-size"), "\(fractional)")
    }

    /// quantize reads a split as one model and writes one in parts: the parts hold the tensors of
    /// the same quantization written whole.
    @Test func quantizeWritesParts() throws {
        let fixture = try SplitGGUFReadingTests.fixture()
        let scratch = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let source = SplitGGUFReadingTests.part(2, in: fixture)
        let whole = scratch.appendingPathComponent("whole.gguf").path
        #expect(try runLlama3(["quantize", source, whole, "--type", "q8_0", "--quiet"]).status == 0)
        let split = try runLlama3([
            "quantize", source, scratch.appendingPathComponent("q.gguf").path, "--type", "q8_0", "--split-max-size", "1M",
            "--split-max-tensors", "10", "--quiet",
        ])
        #expect(split.status == 0, "\(split)")
        let summary = try Self.check(whole: whole, parts: Self.parts(3, named: "q", in: scratch), limits: ["--max-tensors", "10"])
        #expect(summary["tensors_per_part"] == [10, 10, 1])
    }

    @Test func aSplitDestinationMustBeAGGUF() throws {
        let scratch = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let output = scratch.appendingPathComponent("x.safetensors").path
        let result = try runLlama3(["convert", TestSupport.fixture("formats/plain-types.gguf").path, output, "--split-max-size", "1G"])
        #expect(result.status == 1 && result.stderrText.contains("--split-max-size"), "\(result)")
        #expect(!FileManager.default.fileExists(atPath: output))
    }
}

/// `--vocab` takes any part of a split GGUF: the vocabulary is in part 1.
@Suite(.requiresFixtureVenv) struct SplitGGUFVocabularyTests {
    @Test func anyPartGivesTheVocabularyOfPartOne() throws {
        let checkpoint = try TestSupport.generatedFolder(script: "llama-convert/make_tiny_llama.py", arguments: ["tied-small"])
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let whole = folder.appendingPathComponent("whole.gguf").path
        #expect(try runLlama3(["convert", checkpoint.path, whole, "--quiet"]).status == 0)
        let split = try runLlama3(["convert", checkpoint.path, folder.appendingPathComponent("m.gguf").path, "--split-max-tensors", "8", "--quiet"])
        #expect(split.status == 0, "\(split)")
        let text = Data("Hello world! It's 2024.".utf8)
        let fromWhole = try runLlama3(["tokenize", "--vocab", whole], stdin: text)
        let fromPart = try runLlama3(["tokenize", "--vocab", folder.appendingPathComponent("m-00003-of-00003.gguf").path], stdin: text)
        #expect(fromWhole.status == 0 && !fromWhole.stdoutText.isEmpty, "\(fromWhole)")
        #expect(fromPart.status == 0 && fromPart.stdoutText == fromWhole.stdoutText, "\(fromPart)")
    }
}
