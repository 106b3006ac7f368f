@testable import BPETokenizer
import Foundation
import ModelIO
import TestSupport
import Testing

/// Blocks read from a file end at safe cuts of the whole text (RestartPoints), wherever the
/// reads happen to end: inside a letter, or inside special-token text.
@Suite struct TextBlocksTests {
    static func blocks(of text: [UInt8], blockSize: Int, specials: SpecialTokenMatcher?) throws -> [TextBlock] {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("text.txt")
        try Data(text).write(to: file)
        var reader = TextBlocks(
            input: try InputStream(path: file.path), blockSize: blockSize, lossy: false, whole: false, specials: specials)
        var blocks: [TextBlock] = []
        while let block = try reader.next() { blocks.append(block) }
        return blocks
    }

    /// A run of letters has no cut, whatever the reads: one block. (A read that ended after the
    /// first byte of a letter made the letter before look like the end of a word, and the run
    /// was cut there; " ми" + "р" then gave other ids than " мир".) The prefixes move the ends
    /// of the reads across every byte of a 2-, 3- and 4-byte letter.
    @Test(arguments: ["ж", "中", "𝐀"], [0, 1, 2, 3])
    func runsOfLettersStayWhole(_ letter: String, _ prefix: Int) throws {
        let text = Array((String(repeating: "x", count: prefix) + String(repeating: letter, count: 600_000 / letter.utf8.count)).utf8)
        let blocks = try Self.blocks(of: text, blockSize: 4096, specials: nil)
        #expect(blocks.count == 1)
        #expect(blocks.flatMap(\.bytes) == text)
    }

    /// With special tokens parsed, no block ends inside one, wherever a read ends in it.
    @Test(arguments: 0..<11)
    func blocksNeverEndInsideSpecialTokenText(_ prefix: Int) throws {
        let specials = Goldens.tokenizer.specials
        let text = Array((String(repeating: "y", count: prefix) + String(repeating: "x<|eot_id|>", count: 50_000)).utf8)
        let blocks = try Self.blocks(of: text, blockSize: 4096, specials: specials)
        #expect(blocks.count > 1)
        #expect(blocks.flatMap(\.bytes) == text)
        var offset = 0
        for block in blocks.dropLast() {
            offset += block.bytes.count
            let safe = RestartPoints.isSafe(text, at: offset, start: 0, end: text.count)
            let insideSpecial = specials.spans(text, point: offset, start: 0, end: text.count)
            #expect(safe && !insideSpecial, "a block ends at \(offset), inside a word or special-token text")
        }
    }
}
