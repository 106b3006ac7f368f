import Testing
@testable import BPETokenizer

/// The order of Docs/CLI.md: --vocab, then $LLAMA3_VOCAB, then ${XDG_DATA_HOME:-~/.local/share}/llama3/tokenizer.model.
@Suite struct VocabularyLocationTests {
    @Test func flagWinsOverEnvironment() {
        let location = VocabularyLocation.resolve(flag: "a.model", environment: ["LLAMA3_VOCAB": "b.model", "HOME": "/h"])
        #expect(location == VocabularyLocation(path: "a.model", origin: .flag))
    }

    @Test func environmentWinsOverDefault() {
        let location = VocabularyLocation.resolve(flag: nil, environment: ["LLAMA3_VOCAB": "b.model", "HOME": "/h"])
        #expect(location == VocabularyLocation(path: "b.model", origin: .environment))
    }

    @Test func defaultFollowsXDGDataHome() {
        #expect(VocabularyLocation.resolve(flag: nil, environment: ["XDG_DATA_HOME": "/data", "HOME": "/h"]).path
            == "/data/llama3/tokenizer.model")
        #expect(VocabularyLocation.resolve(flag: nil, environment: ["HOME": "/h"]).path == "/h/.local/share/llama3/tokenizer.model")
        // A relative XDG value is invalid per the spec and ignored.
        #expect(VocabularyLocation.resolve(flag: "", environment: ["XDG_DATA_HOME": "rel", "HOME": "/h/"]).path
            == "/h/.local/share/llama3/tokenizer.model")
    }

    @Test func cacheFolderFollowsXDGCacheHome() {
        #expect(VocabularyLocation.cacheFolder(environment: ["XDG_CACHE_HOME": "/c", "HOME": "/h"]) == "/c/llama3")
        #expect(VocabularyLocation.cacheFolder(environment: ["HOME": "/h"]) == "/h/.cache/llama3")
    }
}
