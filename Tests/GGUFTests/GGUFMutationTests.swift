import Foundation
import GGUF
import ModelIO
import Testing
import TestSupport

/// Random damage to a real header: every mutated file either opens (and then every tensor view
/// and metadata value can be read) or fails with a FileError. A crash fails the whole run.
@Suite struct GGUFMutationTests {
    @Test func mutatedHeadersOpenCompletelyOrFailWithAFileError() throws {
        let original = Array(try Data(contentsOf: TestSupport.fixture("formats/all-types.gguf")))
        let headerSize = try GGUFFile(source: ByteSource(bytes: original)).dataOffset
        var random = SplitMix64(seed: 2026)
        var opened = 0
        for round in 0..<3000 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let place = Int.random(in: 0..<headerSize, using: &random)
                bytes[place] = [0x00, 0xFF, 0x7F, 0x80, UInt8.random(in: 0...255, using: &random)].randomElement(using: &random) ?? 0
            }
            do {
                let file = try GGUFFile(source: ByteSource(bytes: bytes, name: "mutated.gguf"))
                opened += 1
                for entry in file.metadata.entries {
                    if let array = entry.value.array { _ = try array.elements() }
                }
                for tensor in file.tensors { _ = XXH3.hash64(tensor.data) }
            } catch let error as FileError {
                #expect(error.file == "mutated.gguf" || error.file.hasPrefix("mutated.gguf"), "round \(round): \(error)")
            }
        }
        #expect(opened > 0 && opened < 3000, "\(opened) of 3000 mutated files opened")
    }
}
