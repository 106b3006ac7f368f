import Foundation
import Testing
import TestSupport

/// `llama3 tokenize`: ids on one line (tiktoken's for "hello world" are 15339 1917).
@Suite struct TokenizeTests {
    @Test func printsIdsOnOneLine() throws {
        let result = try runLlama3(["tokenize"], stdin: Data("hello world".utf8))
        #expect(result.status == 0, "\(result)")
        #expect(result.stdoutText == "15339 1917\n")
    }

    @Test func jsonIsAnArray() throws {
        let result = try runLlama3(["tokenize", "--json", "--bos", "--eos"], stdin: Data("hello world".utf8))
        #expect(result.stdoutText == "[128000,15339,1917,128001]\n", "\(result)")
    }

    @Test func specialTokenTextIsOrdinaryUnlessAsked() throws {
        let plain = try runLlama3(["tokenize"], stdin: Data("<|eot_id|>".utf8))
        let parsed = try runLlama3(["tokenize", "--special"], stdin: Data("<|eot_id|>".utf8))
        #expect(plain.stdoutText.split(separator: " ").count > 1, "\(plain)")
        #expect(parsed.stdoutText == "128009\n", "\(parsed)")
    }

    @Test func invalidUTF8NamesTheOffset() throws {
        let result = try runLlama3(["tokenize"], stdin: Data([0x61, 0x62, 0xFF, 0x63]))
        #expect(result.status == 1)
        #expect(result.stderrText.contains("<stdin>: at byte 2: expected UTF-8 text"), "\(result)")
        let lossy = try runLlama3(["tokenize", "--lossy"], stdin: Data([0x61, 0x62, 0xFF, 0x63]))
        #expect(lossy.status == 0, "\(lossy)")
    }

    @Test func missingDefaultVocabularySaysHowToInstallIt() throws {
        let home = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: home) }
        let result = try runLlama3(["tokenize"], stdin: Data("x".utf8), environment: ["HOME": home.path, "PATH": "/usr/bin:/bin"])
        #expect(result.status == 1)
        #expect(result.stderrText.contains("bash vocab/install.sh"), "\(result)")
    }

    @Test func verboseNamesTheVocabularyAndTheSpecialTokenNames() throws {
        let result = try runLlama3(["tokenize", "--verbose", "--vocab", TestSupport.officialVocabulary.path], stdin: Data("x".utf8))
        #expect(result.stderrText.contains(TestSupport.officialVocabulary.path), "\(result)")
        #expect(result.stderrText.contains("llama-models 0.3.0"), "\(result)")
    }
}

extension TokenizeTests {
    /// --meta-chunking cuts a run of over 25,000 non-space characters as Meta's encoder does.
    @Test func metaChunkingCutsHugeRuns() throws {
        // "abc" * 10,000: Meta cuts after 25,000 characters, inside an "abc".
        let run = Data(String(repeating: "abc", count: 10_000).utf8)
        let plain = try runLlama3(["tokenize"], stdin: run)
        let chunked = try runLlama3(["tokenize", "--meta-chunking"], stdin: run)
        let first = try runLlama3(["tokenize"], stdin: Data((String(repeating: "abc", count: 8_333) + "a").utf8))
        let rest = try runLlama3(["tokenize"], stdin: Data(("bc" + String(repeating: "abc", count: 1_666)).utf8))
        #expect(chunked.stdoutText == first.stdoutText.dropLast() + " " + rest.stdoutText, "\(chunked)")
        #expect(chunked.stdoutText != plain.stdoutText)
    }
}

extension TokenizeTests {
    @Test func bosOnTextThatStartsWithBosWarns() throws {
        let result = try runLlama3(["tokenize", "--special", "--bos"], stdin: Data("<|begin_of_text|>hi".utf8))
        #expect(result.stdoutText == "128000 128000 6151\n", "\(result)")
        #expect(result.stderrText.contains("--bos adds a second one"), "\(result)")
        let quiet = try runLlama3(["tokenize", "--special", "--bos", "--quiet"], stdin: Data("<|begin_of_text|>hi".utf8))
        #expect(quiet.stderrText.isEmpty, "\(quiet)")
    }
}
