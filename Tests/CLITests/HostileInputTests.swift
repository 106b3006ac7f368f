import Foundation
import GGUF
import Testing
import TestSupport

/// Inputs that once hung, aborted or misled a command (issue 14's "Seen" list), each kept here
/// as the bytes that failed before the fix.
@Suite struct HostileInputTests {
    /// A GGUF with no tensors whose only key is `general.alignment`, a UINT64.
    static func ggufWithAlignment(_ alignment: UInt64) -> Data {
        var bytes = Data("GGUF".utf8)
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
        func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
        u32(3)
        u64(0)
        u64(1)
        let key = Data("general.alignment".utf8)
        u64(UInt64(key.count))
        bytes.append(key)
        u32(10)  // UINT64
        u64(alignment)
        return bytes
    }

    @Test(arguments: [UInt64(1) << 40, UInt64(1) << 28])
    func absurdAlignmentIsRefusedByQuantizeAndConvertWithoutWritingAnything(alignment: UInt64) throws {
        let folder = try TestSupport.temporaryFolder("hostile-alignment")
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("aligned.gguf").path
        try Self.ggufWithAlignment(alignment).write(to: URL(fileURLWithPath: input))
        let output = folder.appendingPathComponent("out.gguf").path
        for command in [["quantize", input, output, "--type", "q8_0"], ["convert", input, output]] {
            let result = try runLlama3(command)
            #expect(result.status == 1, "\(command[0]): \(result)")
            #expect(result.stderrText == "llama3: \(input): expected general.alignment to be at most 1048576 (1 MiB), found \(alignment)\n")
            #expect(!FileManager.default.fileExists(atPath: output))
        }
    }

    @Test func alignmentAtTheCeilingIsCopiedWithPaddingOfOneAlignment() throws {
        let folder = try TestSupport.temporaryFolder("hostile-alignment")
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("aligned.gguf").path
        try Self.ggufWithAlignment(1 << 20).write(to: URL(fileURLWithPath: input))
        let output = folder.appendingPathComponent("out.gguf").path
        let result = try runLlama3(["convert", input, output])
        #expect(result.status == 0, "\(result)")
        let written = try FileManager.default.attributesOfItem(atPath: output)[.size] as? Int
        #expect(written == 1 << 20, "the header, padded to one alignment")
        #expect(try runLlama3(["inspect", output]).status == 0)
    }

    static let smallVocabulary = TestSupport.fixture("tokenizer/small-tokenizer.json").path

    static func makeFIFO(_ path: String) throws {
        try #require(mkfifo(path, 0o600) == 0, "mkfifo \(path): errno \(errno)")
    }

    /// Runs llama3 with a short time limit: these commands once blocked forever.
    static func runBriefly(_ arguments: [String], environment: [String: String]? = nil) throws -> ProcessResult {
        try runProcess(TestSupport.llama3Binary, arguments, environment: environment, timeout: 20)
    }

    @Test func fifoAsModelIsRefusedWithoutBlocking() throws {
        let folder = try TestSupport.temporaryFolder("hostile-fifo")
        defer { try? FileManager.default.removeItem(at: folder) }
        let fifo = folder.appendingPathComponent("f.gguf").path
        try Self.makeFIFO(fifo)
        for command in [["inspect", fifo], ["checksum", fifo], ["quantize", fifo, folder.appendingPathComponent("out.gguf").path, "--type", "q8_0"]] {
            let result = try Self.runBriefly(command)
            #expect(result.status == 1, "\(command[0]): \(result)")
            #expect(result.stderrText == "llama3: \(fifo): expected a regular file, found a FIFO\n", "\(command[0])")
        }
    }

    @Test func fifoAsVocabularyFlagOrVariableIsRefusedWithoutBlocking() throws {
        let folder = try TestSupport.temporaryFolder("hostile-fifo")
        defer { try? FileManager.default.removeItem(at: folder) }
        let fifo = folder.appendingPathComponent("tokenizer.model").path
        try Self.makeFIFO(fifo)
        let cache = ["XDG_CACHE_HOME": folder.path, "HOME": folder.path]
        let fromFlag = try Self.runBriefly(["count", "--vocab", fifo, "-"], environment: cache)
        let fromVariable = try Self.runBriefly(["count", "-"], environment: cache.merging(["LLAMA3_VOCAB": fifo]) { a, _ in a })
        let dataFolder = folder.appendingPathComponent("data/llama3")
        try FileManager.default.createDirectory(at: dataFolder, withIntermediateDirectories: true)
        let defaultFIFO = dataFolder.appendingPathComponent("tokenizer.model").path
        try Self.makeFIFO(defaultFIFO)
        let fromDefault = try Self.runBriefly(
            ["count", "-"], environment: cache.merging(["XDG_DATA_HOME": folder.path + "/data"]) { a, _ in a })
        for (result, path) in [(fromFlag, fifo), (fromVariable, fifo), (fromDefault, defaultFIFO)] {
            #expect(result.status == 1, "\(result)")
            #expect(result.stderrText.contains("\(path): expected a regular file, found a FIFO"), "\(result)")
        }
    }

    @Test func fifoAtTheVocabularyCachePathIsPassedOver() throws {
        let folder = try TestSupport.temporaryFolder("hostile-fifo")
        defer { try? FileManager.default.removeItem(at: folder) }
        let environment = ["XDG_CACHE_HOME": folder.path, "HOME": folder.path]
        let text = folder.appendingPathComponent("text.txt")
        try Data("Hello".utf8).write(to: text)
        let arguments = ["count", "--vocab", Self.smallVocabulary, text.path]
        let first = try Self.runBriefly(arguments, environment: environment)
        #expect(first.status == 0, "\(first)")
        let cacheFolder = folder.appendingPathComponent("llama3")
        let cacheName = try #require(try FileManager.default.contentsOfDirectory(atPath: cacheFolder.path).first)
        let cachePath = cacheFolder.appendingPathComponent(cacheName).path
        try FileManager.default.removeItem(atPath: cachePath)
        try Self.makeFIFO(cachePath)
        let again = try Self.runBriefly(arguments, environment: environment)
        #expect(again.status == 0, "\(again)")
        #expect(again.stdout == first.stdout)
    }

    @Test func textInputsStillAcceptPipesAndProcessSubstitution() throws {
        let folder = try TestSupport.temporaryFolder("hostile-fifo")
        defer { try? FileManager.default.removeItem(at: folder) }
        let fifo = folder.appendingPathComponent("text.fifo").path
        try Self.makeFIFO(fifo)
        let binary = TestSupport.llama3Binary.path
        let script = """
            printf Hello > '\(fifo)' &
            '\(binary)' count --vocab '\(Self.smallVocabulary)' '\(fifo)'
            '\(binary)' count --vocab '\(Self.smallVocabulary)' <(printf Hello)
            printf Hello | '\(binary)' count --vocab '\(Self.smallVocabulary)' /dev/stdin
            """
        let result = try runProcess(
            URL(fileURLWithPath: "/bin/bash"), ["-c", script],
            environment: ["XDG_CACHE_HOME": folder.path, "HOME": folder.path], timeout: 20)
        #expect(result.status == 0, "\(result)")
        let counts = result.stdoutText.split(separator: "\n").map { $0.split(separator: "\t").first.map(String.init) }
        #expect(counts == ["3", "3", "3"], "\(result)")
    }

    /// A GGUF whose key and tensor names hold an ESC sequence and a newline.
    static func writeGGUFWithControlCharacters(to path: String) throws {
        var metadata = GGUFMetadata()
        metadata.insert("general.architecture", .string("llama"))
        metadata.insert("evil\u{1B}[31m.key", .string("red"))
        var header = GGUFHeader(for: path, metadata: metadata)
        try header.addTensor(name: "t\nforged line", type: .f32, shape: [4])
        try header.addTensor(name: "u\u{1B}]0;title\u{07}", type: .f32, shape: [4])
        let writer = try GGUFWriter.begin(destination: path, header: header)
        for _ in 0..<2 { try writer.writeTensor { try $0.write([UInt8](repeating: 0, count: 16)) } }
        try writer.finish()
    }

    static func hasControlCharacter(_ text: String, besidesNewline: Bool = true) -> Bool {
        text.unicodeScalars.contains { ($0.value < 0x20 && !(besidesNewline && $0 == "\n")) || $0.value == 0x7F }
    }

    @Test func controlCharactersInNamesAreEscapedInTextOutput() throws {
        let folder = try TestSupport.temporaryFolder("hostile-names")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("names.gguf").path
        try Self.writeGGUFWithControlCharacters(to: path)
        let inspect = try runLlama3(["inspect", path, "--tensors"])
        let checksum = try runLlama3(["checksum", path])
        let verify = try runLlama3(["verify", path])
        for result in [inspect, checksum, verify] {
            #expect(!Self.hasControlCharacter(result.stdoutText + result.stderrText), "\(result)")
        }
        #expect(inspect.stdoutText.contains("  evil\\x1B[31m.key = \"red\""), "\(inspect)")
        #expect(inspect.stdoutText.contains("  t\\nforged line"), "\(inspect)")
        let checksumLines = checksum.stdoutText.split(separator: "\n")
        #expect(checksumLines.count == 2 && checksumLines[0].hasSuffix("  t\\nforged line")
            && checksumLines[1].hasSuffix("  u\\x1B]0;title\\x07"), "\(checksum)")
    }

    @Test func controlCharactersInTheErrorLineAreEscaped() throws {
        let folder = try TestSupport.temporaryFolder("hostile-names")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("bad\u{1B}[2J\nname.gguf").path
        try Data("GGML".utf8).write(to: URL(fileURLWithPath: path))
        let result = try runLlama3(["inspect", path])
        #expect(result.status == 1)
        #expect(!Self.hasControlCharacter(result.stderrText), "\(result)")
        #expect(result.stderrText.hasPrefix("llama3: " + folder.path + "/bad\\x1B[2J\\nname.gguf: "), "\(result)")
        #expect(result.stderrText.split(separator: "\n").count == 1)
    }

    /// A safetensors file of one F32 [1] tensor whose entry says dtype twice.
    static func safetensorsWithDuplicateDType() -> Data {
        let header = #"{"t":{"dtype":"F32","dtype":"F16","shape":[1],"data_offsets":[0,4]}}"#
        var bytes = Data()
        withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(Data(header.utf8))
        bytes.append(Data(count: 4))
        return bytes
    }

    @Test func duplicateKeysAreRefusedInSafetensorsHeadersAndChatMessages() throws {
        let folder = try TestSupport.temporaryFolder("hostile-json")
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = folder.appendingPathComponent("dup.safetensors").path
        try Self.safetensorsWithDuplicateDType().write(to: URL(fileURLWithPath: model))
        let inspect = try runLlama3(["inspect", model])
        #expect(inspect.status == 1, "\(inspect)")
        #expect(inspect.stderrText == "llama3: \(model): at byte 28: found key \"dtype\" twice in one object; expected unique keys\n")
        let messages = folder.appendingPathComponent("chat.json").path
        try Data(#"[{"role": "user", "role": "system", "content": "hi"}]"#.utf8).write(to: URL(fileURLWithPath: messages))
        let chat = try runLlama3(
            ["chat", "--vocab", Self.smallVocabulary, messages], environment: ["XDG_CACHE_HOME": folder.path, "HOME": folder.path])
        #expect(chat.status == 1, "\(chat)")
        #expect(chat.stderrText == "llama3: \(messages): at byte 18: found key \"role\" twice in one object; expected unique keys\n")
    }

    static func safetensors(header: String, dataBytes: Int) -> Data {
        var bytes = Data()
        withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { bytes.append(contentsOf: $0) }
        return bytes + Data(header.utf8) + Data(count: dataBytes)
    }

    /// A GGUF with one F32 tensor of the given dimensions (innermost first) and no data.
    static func ggufWithTensor(dimensions: [UInt64]) -> Data {
        var bytes = Data("GGUF".utf8)
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
        func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
        u32(3); u64(1); u64(0)
        u64(1); bytes.append(UInt8(ascii: "t"))
        u32(UInt32(dimensions.count))
        for size in dimensions { u64(size) }
        u32(0); u64(0)  // F32, offset 0
        return bytes
    }

    @Test func smallerMessagesSayWhatIsWrong() throws {
        let folder = try TestSupport.temporaryFolder("hostile-small")
        defer { try? FileManager.default.removeItem(at: folder) }
        func inspectError(_ name: String, _ bytes: Data) throws -> String {
            let path = folder.appendingPathComponent(name).path
            try bytes.write(to: URL(fileURLWithPath: path))
            let result = try runLlama3(["inspect", path])
            #expect(result.status == 1, "\(result)")
            return result.stderrText.replacingOccurrences(of: folder.path + "/", with: "")
        }
        // A size overflow was reported as elements that do not "fill whole bytes".
        #expect(try inspectError("big.safetensors", Self.safetensors(
            header: #"{"t":{"dtype":"F32","shape":[4611686018427387904],"data_offsets":[0,4]}}"#, dataBytes: 4))
            == "llama3: big.safetensors: at byte 8: tensor t's 4611686018427387904 F32 elements take more bytes than a 64-bit size holds\n")
        #expect(try inspectError("big.gguf", Self.ggufWithTensor(dimensions: [1 << 62]))
            == "llama3: big.gguf: at byte 24: tensor t's 4611686018427387904 F32 elements take more bytes than a 64-bit size holds\n")
        // An alignment of the wrong type was printed as a dump of the reader's Swift value.
        var alignment = Self.ggufWithAlignment(0)
        alignment.removeLast(12)  // the UINT64 type and value
        for word: UInt32 in [9, 5] { withUnsafeBytes(of: word.littleEndian) { alignment.append(contentsOf: $0) } }  // ARRAY of INT32
        withUnsafeBytes(of: UInt64(1).littleEndian) { alignment.append(contentsOf: $0) }
        withUnsafeBytes(of: Int32(32).littleEndian) { alignment.append(contentsOf: $0) }
        #expect(try inspectError("array.gguf", alignment)
            == "llama3: array.gguf: expected general.alignment to be a non-zero power of two, found an ARRAY of 1 INT32\n")
    }

    @Test func tooLongTensorNameNamesTheFileAndTheTensor() throws {
        let folder = try TestSupport.temporaryFolder("hostile-small")
        defer { try? FileManager.default.removeItem(at: folder) }
        let name = String(repeating: "x", count: 70)
        let input = folder.appendingPathComponent("long.safetensors").path, output = folder.appendingPathComponent("long.gguf").path
        try Self.safetensors(header: #"{"\#(name)":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, dataBytes: 4)
            .write(to: URL(fileURLWithPath: input))
        let result = try runLlama3(["convert", input, output])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderrText == "llama3: \(output): tensor \(name): expected a name of at most 63 bytes (llama.cpp's limit), found 70\n")
    }
}
