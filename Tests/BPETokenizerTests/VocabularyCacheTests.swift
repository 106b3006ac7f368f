@testable import BPETokenizer
import Foundation
import ModelIO
import Testing
import TestSupport

/// The binary cache: the same vocabulary back, and a bad or foreign cache is never used.
@Suite struct VocabularyCacheTests {
    static let small = TestSupport.fixture("tokenizer/small-tokenizer.json").path

    @Test func secondLoadReadsTheCacheAndGivesTheSameVocabulary() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try VocabularyLoader.load(path: Self.small, cacheFolder: folder.path)
        let second = try VocabularyLoader.load(path: Self.small, cacheFolder: folder.path)
        #expect(first.cacheNote.contains("cache written"), "\(first.cacheNote)")
        #expect(second.cacheNote.contains("read from"), "\(second.cacheNote)")
        #expect(second.kind == .tokenizerJSON)
        #expect((0..<1000).allSatisfy { first.vocabulary.pieceBytes(rank: $0) == second.vocabulary.pieceBytes(rank: $0) })
        #expect(first.vocabulary.specialTokens == second.vocabulary.specialTokens)
        #expect(first.vocabulary.specialTokenNaming == second.vocabulary.specialTokenNaming)
    }

    @Test func corruptedCacheIsRebuilt() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try VocabularyLoader.load(path: Self.small, cacheFolder: folder.path)
        let cacheFile = try #require(try FileManager.default.contentsOfDirectory(atPath: folder.path).first)
        let url = folder.appendingPathComponent(cacheFile)
        var bytes = try Data(contentsOf: url)
        bytes[bytes.count / 2] ^= 0x55
        try bytes.write(to: url)
        let again = try VocabularyLoader.load(path: Self.small, cacheFolder: folder.path)
        #expect(again.cacheNote.contains("cache written"), "a corrupted cache was used: \(again.cacheNote)")
        #expect(Tokenizer(vocabulary: again.vocabulary).encode("Hello") == [39, 301, 385])
    }

    @Test func cacheOfAnotherFileIsNotUsed() throws {
        let vocabulary = try VocabularyFile.parse(ByteSource(mapping: Self.small))
        var digest = XXH3.hash128(Array("other".utf8))
        let bytes = VocabularyCache.encode(vocabulary, kind: .tokenizerJSON, digest: digest)
        #expect(VocabularyCache.decode(ByteSource(bytes: bytes), digest: digest) != nil)
        digest.low ^= 1
        #expect(VocabularyCache.decode(ByteSource(bytes: bytes), digest: digest) == nil)
        #expect(VocabularyCache.decode(ByteSource(bytes: bytes.dropLast(9)), digest: digest) == nil)
    }

    @Test func unwritableCacheFolderStillLoads() throws {
        let loaded = try VocabularyLoader.load(path: Self.small, cacheFolder: "/proc/llama3-no-such-folder")
        #expect(loaded.vocabulary.rankCount == 1000)
        #expect(loaded.cacheNote.contains("could not write"), "\(loaded.cacheNote)")
    }
}
