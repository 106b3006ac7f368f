import Foundation
import Testing
import TestSupport

/// vocab/install.sh installs only a tokenizer.model whose sha256 is the pinned one.
@Suite struct VocabularyInstallTests {
    @Test(.requiresFixtureVenv) func wrongDigestStopsAndInstallsNothing() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let wheel = folder.appendingPathComponent("llama_models-0.3.0-py3-none-any.whl")
        let make = try runPython([
            "-c", "import sys, zipfile; zipfile.ZipFile(sys.argv[1], 'w').writestr('llama_models/llama3/tokenizer.model', b'IQ== 0\\n')",
            wheel.path,
        ])
        #expect(make.status == 0, "\(make)")
        let data = folder.appendingPathComponent("data")
        let result = try runProcess(
            URL(fileURLWithPath: "/bin/bash"),
            [TestSupport.repositoryRoot.appendingPathComponent("vocab/install.sh").path],
            environment: ["XDG_DATA_HOME": data.path, "HOME": folder.path, "PATH": "/usr/bin:/bin",
                          "LLAMA3_VOCAB_WHEEL": wheel.path])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderrText.contains("expected 82e9d31979e92ab929cd544440f129d9ecd797b69e327f80f17e1c50d5551b55"), "\(result)")
        #expect(!FileManager.default.fileExists(atPath: data.appendingPathComponent("llama3").path))
    }

    @Test func installedVocabularyHasThePinnedDigest() throws {
        let result = try runProcess(URL(fileURLWithPath: "/usr/bin/sha256sum"), [TestSupport.officialVocabulary.path])
        #expect(result.stdoutText.hasPrefix("82e9d31979e92ab929cd544440f129d9ecd797b69e327f80f17e1c50d5551b55 "), "\(result)")
    }
}
