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
    /// slot, or past the last rank), or whose piece starts fall or leave the piece bytes, is not
    /// used: the encoder's lookups rely on every slot and start.
    @Test func slotsNamingNoRankAreRefusedEvenWithAGoodDigest() throws {
        let vocabulary = try VocabularyFile.parse(ByteSource(mapping: Self.small))
        let digest = XXH3.hash128(Array("source".utf8))
        let encoded = VocabularyCache.encode(vocabulary, kind: .tokenizerJSON, digest: digest)
        let table = vocabulary.table
        // The tables follow the 56-byte header: starts, then slots.
        let startsOffset = 56
        let slotsOffset = startsOffset + (table.rankCount + 1) * 4
        let occupied = try #require(table.slots.firstIndex { $0 != 0 })
        let empty = try #require(table.slots.firstIndex(of: 0))

        func decoded(settingU32At offset: Int, to value: UInt32) -> Bool {
            var bytes = encoded
            for byte in 0..<4 { bytes[offset + byte] = UInt8(truncatingIfNeeded: value >> (8 * byte)) }
            let body = bytes.count - 8
            let sum = XXH3.hash64(Array(bytes[..<body]))
            for byte in 0..<8 { bytes[body + byte] = UInt8(truncatingIfNeeded: sum >> (8 * UInt64(byte))) }
            return VocabularyCache.decode(ByteSource(bytes: bytes), digest: digest) != nil
        }
        func decoded(settingSlot index: Int, to value: UInt32) -> Bool {
            decoded(settingU32At: slotsOffset + index * 4, to: value)
        }
        #expect(VocabularyCache.decode(ByteSource(bytes: encoded), digest: digest) != nil)
        #expect(decoded(settingSlot: occupied, to: table.slots[occupied]))  // unchanged: still used
        #expect(decoded(settingSlot: empty, to: 1))  // a sound rank in an empty slot
        #expect(!decoded(settingSlot: occupied, to: 0x0100_0000))  // occupied, rank 0
        #expect(!decoded(settingSlot: occupied, to: UInt32(table.rankCount + 1)))
        #expect(!decoded(settingSlot: occupied, to: 0x00FF_FFFF))
        #expect(decoded(settingSlot: occupied, to: UInt32(table.rankCount)))  // the last rank is a rank

        // Starts: unchanged, still used; rank 1's above rank 2's (a fall) or far past the
        // bytes, or a first start other than 0, refused.
        #expect(decoded(settingU32At: startsOffset + 4, to: table.starts[1]))
        #expect(!decoded(settingU32At: startsOffset + 4, to: table.starts[2] + 1))
        #expect(!decoded(settingU32At: startsOffset + 4, to: UInt32.max))
        #expect(!decoded(settingU32At: startsOffset, to: 1))
    }

    /// The starts check alone: rising starts from 0 to the byte count give the longest piece;
    /// a fall, a start past the bytes, or steps that wrap around 2^32 back to the byte count do not.
    @Test func startsMustRiseWithinThePieceBytes() {
        func longest(_ starts: [UInt32], _ byteCount: Int) -> Int? {
            VocabularyCache.longestPiece(starts: UInt32Table(starts), pieceByteCount: byteCount)
        }
        #expect(longest([0, 1, 3, 3, 7], 7) == 4)
        #expect(longest([0, 7], 7) == 7)
        #expect(longest([0, 3, 2, 7], 7) == nil)  // a fall
        #expect(longest([0, 9, 7], 7) == nil)  // past the bytes, back
        #expect(longest([0, 1, 7], 8) == nil)  // the last start is not the byte count
        #expect(longest([1, 3, 7], 7) == nil)  // the first is not 0
        // 2^20-byte steps all the way round 2^32, back to 2^20: every step alone looks sound.
        let step: UInt32 = 1 << 20
        let wrapping = (0...4097).map { UInt32(truncatingIfNeeded: UInt64($0) * UInt64(step)) }
        #expect(wrapping.last == step)
        #expect(longest(wrapping, Int(step)) == nil)
    }

    /// The tables read from a cache point into it (nothing copied), and lookups through them give
    /// the ranks of the vocabulary they were written from.
    @Test func tablesReadFromTheCacheGiveTheSameRanks() throws {
        let vocabulary = try VocabularyFile.parse(ByteSource(mapping: Self.small))
        let digest = XXH3.hash128(Array("source".utf8))
        let encoded = VocabularyCache.encode(vocabulary, kind: .tokenizerJSON, digest: digest)
        let (read, _) = try #require(VocabularyCache.decode(ByteSource(bytes: encoded), digest: digest))
        #expect(read.table.longestPiece == vocabulary.table.longestPiece)
        for rank in 0..<vocabulary.rankCount {
            let piece = vocabulary.pieceBytes(rank: rank)
            #expect(read.pieceBytes(rank: rank) == piece)
            #expect(read.rank(of: piece) == rank)
        }
        #expect(read.rank(of: Array("no such piece at all".utf8)) == nil)
        #expect(try Tokenizer(vocabulary: read).decode([39, 301, 385]) == Array("Hello".utf8))
    }
}
