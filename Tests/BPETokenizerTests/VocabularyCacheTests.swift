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

    /// A cache whose digest is right but whose hash slots name no rank (rank 0 in an occupied
    /// slot, or past the last rank) is not used: the encoder's lookups rely on every slot.
    @Test func slotsNamingNoRankAreRefusedEvenWithAGoodDigest() throws {
        let vocabulary = try VocabularyFile.parse(ByteSource(mapping: Self.small))
        let digest = XXH3.hash128(Array("source".utf8))
        let encoded = VocabularyCache.encode(vocabulary, kind: .tokenizerJSON, digest: digest)
        let table = vocabulary.table
        let specialBytes = vocabulary.specialTokens.reduce(0) { $0 + 8 + $1.name.utf8.count }
        let slotsOffset = 56 + vocabulary.specialTokenNaming.utf8.count + specialBytes + (table.rankCount + 1) * 4
        let occupied = try #require(table.slots.firstIndex { $0 != 0 })
        let empty = try #require(table.slots.firstIndex(of: 0))

        func decoded(settingSlot index: Int, to value: UInt32) -> Bool {
            var bytes = encoded
            for byte in 0..<4 { bytes[slotsOffset + index * 4 + byte] = UInt8(truncatingIfNeeded: value >> (8 * byte)) }
            let body = bytes.count - 8
            let sum = XXH3.hash64(Array(bytes[..<body]))
            for byte in 0..<8 { bytes[body + byte] = UInt8(truncatingIfNeeded: sum >> (8 * UInt64(byte))) }
            return VocabularyCache.decode(ByteSource(bytes: bytes), digest: digest) != nil
        }
        #expect(VocabularyCache.decode(ByteSource(bytes: encoded), digest: digest) != nil)
        #expect(decoded(settingSlot: occupied, to: table.slots[occupied]))  // unchanged: still used
        #expect(decoded(settingSlot: empty, to: 1))  // a sound rank in an empty slot
        #expect(!decoded(settingSlot: occupied, to: 0x0100_0000))  // occupied, rank 0
        #expect(!decoded(settingSlot: occupied, to: UInt32(table.rankCount + 1)))
        #expect(!decoded(settingSlot: occupied, to: 0x00FF_FFFF))
        #expect(decoded(settingSlot: occupied, to: UInt32(table.rankCount)))  // the last rank is a rank
    }
}
