import Foundation
import Testing
import TestSupport

/// `llama3 vocab install FILE` and `llama3 vocab path`: the default vocabulary set up without the
/// source checkout, its sha256 checked first.
@Suite struct VocabCommandTests {
    static func environment(data: URL, home: URL) -> [String: String] {
        ["XDG_DATA_HOME": data.path, "HOME": home.path, "XDG_CACHE_HOME": home.path + "/cache"]
    }

    @Test func installsTheOfficialFileWhereCommandsFindIt() throws {
        let home = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: home) }
        let data = home.appendingPathComponent("data")
        let environment = Self.environment(data: data, home: home)
        let target = data.path + "/llama3/tokenizer.model"
        let installed = try runLlama3(["vocab", "install", TestSupport.officialVocabulary.path], environment: environment)
        #expect(installed.status == 0, "\(installed)")
        #expect(installed.stdoutText == "installed the Llama 3 vocabulary: \(target)\n")
        #expect(try Data(contentsOf: URL(fileURLWithPath: target)) == Data(contentsOf: TestSupport.officialVocabulary))
        #expect(try runLlama3(["vocab", "path"], environment: environment).stdoutText == target + "\n")
        #expect(try runLlama3(["count"], stdin: Data("hello world".utf8), environment: environment).stdoutText == "2\n")
    }

    /// 56 bytes: the length where SHA-256's padding needs a second block.
    @Test func anotherFileIsRefusedNamingItsDigest() throws {
        let home = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: home) }
        let file = home.appendingPathComponent("tokenizer.model")
        try Data(String(repeating: "x", count: 56).utf8).write(to: file)
        let sha256sum = try runProcess(URL(fileURLWithPath: "/usr/bin/sha256sum"), [file.path])
        let digest = try #require(sha256sum.stdoutText.split(separator: " ").first.map(String.init))
        let data = home.appendingPathComponent("data")
        let result = try runLlama3(["vocab", "install", file.path], environment: Self.environment(data: data, home: home))
        #expect(result.status == 1, "\(result)")
        #expect(result.stderrText == "llama3: \(file.path): sha256 is \(digest), expected 82e9d31979e92ab929cd544440f129d9ecd797b69e327f80f17e1c50d5551b55 (the official Llama 3 tokenizer.model); nothing installed\n", "\(result)")
        #expect(!FileManager.default.fileExists(atPath: data.path + "/llama3"))
    }

    /// A wheel-like archive made by Python's zipfile, the vocabulary deflated as pip's wheels hold it.
    static func makeWheel(at wheel: URL, member: URL) throws {
        let make = try runPython([
            "-c",
            "import sys, zipfile\nwith zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:\n"
                + "    z.writestr('llama_models/__init__.py', b'')\n    z.write(sys.argv[2], 'llama_models/llama3/tokenizer.model')\n"
                + "    z.writestr('llama_models-0.3.0.dist-info/RECORD', b'')",
            wheel.path, member.path,
        ])
        #expect(make.status == 0, "\(make)")
    }

    @Test(.requiresFixtureVenv) func installsTheVocabularyOutOfTheWheel() throws {
        let home = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: home) }
        let wheel = home.appendingPathComponent("llama_models-0.3.0-py3-none-any.whl")
        try Self.makeWheel(at: wheel, member: TestSupport.officialVocabulary)
        let data = home.appendingPathComponent("data")
        let environment = Self.environment(data: data, home: home)
        let installed = try runLlama3(["vocab", "install", wheel.path], environment: environment)
        #expect(installed.status == 0, "\(installed)")
        #expect(installed.stdoutText == "installed the Llama 3 vocabulary: \(data.path)/llama3/tokenizer.model\n")
        #expect(try Data(contentsOf: data.appendingPathComponent("llama3/tokenizer.model")) == Data(contentsOf: TestSupport.officialVocabulary))
        #expect(try runLlama3(["count"], stdin: Data("hello world".utf8), environment: environment).stdoutText == "2\n")
    }

    @Test(.requiresFixtureVenv) func aWheelWithAnotherVocabularyIsRefusedNamingTheMember() throws {
        let home = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: home) }
        let other = home.appendingPathComponent("other.model")
        try Data(String(repeating: "x", count: 56).utf8).write(to: other)
        let wheel = home.appendingPathComponent("llama_models-0.3.0-py3-none-any.whl")
        try Self.makeWheel(at: wheel, member: other)
        let data = home.appendingPathComponent("data")
        let result = try runLlama3(["vocab", "install", wheel.path], environment: Self.environment(data: data, home: home))
        #expect(result.status == 1, "\(result)")
        #expect(result.stderrText.hasPrefix("llama3: \(wheel.path): llama_models/llama3/tokenizer.model: sha256 is "), "\(result)")
        #expect(!FileManager.default.fileExists(atPath: data.path + "/llama3"))
    }

    @Test func aBrokenZipIsAnErrorAtItsEnd() throws {
        let home = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: home) }
        let wheel = home.appendingPathComponent("llama_models-0.3.0-py3-none-any.whl")
        try Data([0x50, 0x4B, 0x03, 0x04] + [UInt8](repeating: 0, count: 60)).write(to: wheel)
        let result = try runLlama3(["vocab", "install", wheel.path], environment: Self.environment(data: home, home: home))
        #expect(result.status == 1, "\(result)")
        #expect(result.stderrText == "llama3: \(wheel.path): at byte 42: expected a zip archive's end of central directory record (signature PK\\5\\6) in the last 64 bytes\n", "\(result)")
    }

    @Test(.requiresFixtureVenv) func aZipWithoutTheVocabularyNamesTheMember() throws {
        let home = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: home) }
        let wheel = home.appendingPathComponent("other-1.0-py3-none-any.whl")
        let make = try runPython(["-c", "import sys, zipfile; zipfile.ZipFile(sys.argv[1], 'w').writestr('other/__init__.py', b'')", wheel.path])
        #expect(make.status == 0, "\(make)")
        let result = try runLlama3(["vocab", "install", wheel.path], environment: Self.environment(data: home, home: home))
        #expect(result.status == 1, "\(result)")
        #expect(result.stderrText == "llama3: \(wheel.path): is a zip archive without llama_models/llama3/tokenizer.model (expected the llama-models 0.3.0 wheel); nothing installed\n", "\(result)")
    }

    @Test func pathJSONSaysWhereThePathCameFrom() throws {
        let home = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: home) }
        let missing = home.appendingPathComponent("no-such.model").path
        let result = try runLlama3(["vocab", "path", "--json"], environment: ["LLAMA3_VOCAB": missing, "HOME": home.path])
        #expect(result.status == 0, "\(result)")
        let expected = #"{"path":"\#(missing)","origin":"$LLAMA3_VOCAB","exists":false,"default_path":"\#(home.path)/.local/share/llama3/tokenizer.model","cache_folder":"\#(home.path)/.cache/llama3"}"#
        #expect(result.stdoutText == expected + "\n", "\(result)")
    }
}
