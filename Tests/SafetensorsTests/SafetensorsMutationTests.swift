import Foundation
import ModelIO
import Safetensors
import Testing
import TestSupport

/// Random damage to a real header: every mutated file either opens or fails with a FileError.
@Suite struct SafetensorsMutationTests {
    @Test func mutatedHeadersOpenOrFailWithAFileError() throws {
        let original = Array(try Data(contentsOf: TestSupport.fixture("formats/all-dtypes.safetensors")))
        let headerEnd = try SafetensorsFile(source: ByteSource(bytes: original)).dataOffset
        let interesting = Array("0123456789[]{},:\"-eE. ".utf8) + [0x00, 0xFF, 0xC3]
        var random = SplitMix64(seed: 8)
        for round in 0..<3000 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                bytes[Int.random(in: 0..<headerEnd, using: &random)] = interesting.randomElement(using: &random) ?? 0
            }
            do {
                let file = try SafetensorsFile(source: ByteSource(bytes: bytes, name: "mutated.safetensors"))
                for tensor in file.tensors { _ = XXH3.hash64(tensor.data) }
            } catch let error as FileError {
                #expect(error.file == "mutated.safetensors", "round \(round): \(error)")
            }
        }
    }
}
