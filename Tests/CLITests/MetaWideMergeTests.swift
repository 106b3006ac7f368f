import Foundation
import Testing
import TestSupport

/// The merge at Llama 3 70B's widths: 8 model-parallel ranks of dim 8192, 64 heads, 8 KV heads,
/// FFN 28672 and 2 layers (3.4 GB, written into the test's temporary folder by
/// Fixtures/pytorch/make_wide_meta.py and removed after), converted to GGUF and checked tensor by
/// tensor against the ranks' parts with torch and gguf-py.
@Suite(.requiresFixtureVenv) struct MetaWideMergeTests {
    @Test func seventyBWideRanksMergeAsTheReferenceCodeSplitsThem() throws {
        let scratch = try TestSupport.temporaryFolder("llama3-wide-meta")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let script = TestSupport.fixture("pytorch/make_wide_meta.py").path
        let meta = scratch.appendingPathComponent("meta").path
        let made = try runPython([script, "make", meta])
        try #require(made.status == 0, "\(made)")
        let gguf = scratch.appendingPathComponent("wide.gguf").path
        let converted = try runLlama3([
            "convert", meta, gguf, "--quiet", "--vocab", TestSupport.fixture("tokenizer/small-tokenizer.json").path,
        ])
        #expect(converted.status == 0, "\(converted)")
        let check = try runPython([script, "check", meta, gguf])
        #expect(check.status == 0 && check.stdoutText.hasPrefix("OK"), "\(check)")
    }
}
