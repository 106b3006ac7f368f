import ModelIO
import Testing

/// The printf formatting and path text that replace Foundation's String(format:) and NSString
/// path methods (the binary no longer links Foundation).
@Suite struct NumberTextTests {
    @Test func formatsAsCPrintfDoes() {
        #expect(cFormat("%6ld", 256) == "   256")
        #expect(cFormat("[%4ld/%4ld] ", 3, 39) == "[   3/  39] ")
        #expect(cFormat("size = %8.3f MiB", 0.0009765625) == "size =    0.001 MiB")
        #expect(cFormat("%8.2f MiB -> %8.2f MiB", 0.25, 0.04296875) == "    0.25 MiB ->     0.04 MiB")
        #expect(cFormat("%.1f", 2.25) == "2.2")  // round half to even, as printf
        #expect(cFormat("%.2f", -1.005) == "-1.00")
        #expect(cFormat("%.3f s (%.1f tokens/s)", 1.5, 0.0) == "1.500 s (0.0 tokens/s)")
        let wide = cFormat("%300.1f", 1.0)
        #expect(wide.count == 300 && wide.hasSuffix(" 1.0"))  // longer than the first buffer
    }

    @Test func pathComponentsAsNSStringGaveThem() {
        #expect(PathText.lastComponent("a/b/c.gguf") == "c.gguf")
        #expect(PathText.lastComponent("a/b/") == "b")
        #expect(PathText.lastComponent("name") == "name")
        #expect(PathText.lastComponent("/") == "/")
        #expect(PathText.lastComponent("") == "")
        #expect(PathText.deletingLastComponent("a/b/c.gguf") == "a/b")
        #expect(PathText.deletingLastComponent("/c.gguf") == "/")
        #expect(PathText.deletingLastComponent("c.gguf") == "")
        #expect(PathText.deletingLastComponent("/a/b/") == "/a")
        #expect(PathText.lexicallyNormalized("./Llama-3.2-1B-hf/") == "Llama-3.2-1B-hf")
        #expect(PathText.lexicallyNormalized("a/./b/../c//") == "a/c")
        #expect(PathText.lexicallyNormalized(".") == ".")
        #expect(PathText.lexicallyNormalized("../x") == "../x")
        #expect(PathText.lexicallyNormalized("/../x/") == "/x")
        #expect(PathText.lexicallyNormalized("/") == "/")
    }
}
