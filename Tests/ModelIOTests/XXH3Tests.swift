import Foundation
import Testing
import TestSupport
@testable import ModelIO

/// XXH3 digests equal the `xxhsum` tool's on the same bytes.
@Suite struct XXH3Tests {
    static let inputs: [[UInt8]] = [
        [], Array("hello".utf8), [UInt8](repeating: 0, count: 240), [UInt8](repeating: 0xAB, count: 241),
        (0..<1_000_003).map { UInt8(truncatingIfNeeded: $0 &* 40503) },
    ]

    @Test(arguments: inputs)
    func digestsMatchXxhsum(_ bytes: [UInt8]) throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("data")
        try Data(bytes).write(to: file)
        let h3 = try runProcess(URL(fileURLWithPath: "/usr/bin/xxhsum"), ["-H3", file.path]).stdoutText
        let h2 = try runProcess(URL(fileURLWithPath: "/usr/bin/xxhsum"), ["-H2", file.path]).stdoutText
        // -H3 prints "XXH3 (path) = hex"; -H2 prints "hex  path".
        let expected64 = h3.split(separator: " ").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        let expected128 = h2.split(separator: " ").first.map(String.init)
        #expect(hex16(XXH3.hash64(bytes)) == expected64)
        #expect(XXH3.hash128(bytes).description == expected128)

        let stream64 = XXH3Stream64()
        for start in stride(from: 0, to: bytes.count, by: 65_537) {
            let piece = Array(bytes[start..<min(bytes.count, start + 65_537)])
            stream64.update(piece)
        }
        #expect(hex16(stream64.digest) == expected64)
    }
}
