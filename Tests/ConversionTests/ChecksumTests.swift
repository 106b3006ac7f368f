import Foundation
import Testing
import TestSupport
import Conversion
import LlamaLayout
import ModelFiles
import ModelIO

/// `TensorChecksums` and `ChecksumVerification` on files written by gguf-py and safetensors,
/// whose recorded digests come from xxhsum.
@Suite(.serialized, .requiresFixtureVenv) struct ChecksumTests {
    let files: ChecksummedFiles

    init() throws { files = try ChecksummedFiles.make() }

    @Test(arguments: ChecksummedFiles.names)
    func digestsEqualXxhsumOfEveryTensor(name: String) throws {
        defer { files.remove() }
        let computed = try TensorChecksums.compute(try ModelFile(path: files.path(name)), threads: 2)
        let expected = Dictionary(uniqueKeysWithValues: (files.tensorsByFile[name] ?? []).map { ($0.name, $0.xxh3) })
        #expect(computed.count == expected.count)
        for checksum in computed {
            #expect(hex16(checksum.xxh3) == expected[checksum.name], "tensor \(checksum.name)")
        }
    }

    @Test(arguments: ChecksummedFiles.names)
    func verifyPassesOnAnIntactFile(name: String) throws {
        defer { files.remove() }
        let verification = try ChecksumVerification.verify(try ModelFile(path: files.path(name)), threads: 2)
        #expect(verification.passed, "\(verification.text)")
        #expect(verification.matched.count == files.tensorsByFile[name]?.count)
        #expect(verification.failureSummary == nil)
    }

    @Test(arguments: ChecksummedFiles.names)
    func aFlippedByteInAnyTensorIsNamed(name: String) throws {
        defer { files.remove() }
        for tensor in files.tensorsByFile[name] ?? [] {
            let damaged = try files.copy(name, flippingByteOf: tensor)
            let verification = try ChecksumVerification.verify(try ModelFile(path: damaged), threads: 2)
            #expect(verification.mismatched.map(\.name) == [tensor.name])
            #expect(!verification.passed)
            #expect(verification.failureSummary?.contains(tensor.name) == true)
        }
    }

    @Test func aFileWithoutChecksumsSaysSoAndFails() throws {
        defer { files.remove() }
        let verification = try ChecksumVerification.verify(try ModelFile(path: files.path("plain.gguf")), threads: 1)
        #expect(!verification.hasChecksums)
        #expect(!verification.passed)
        #expect(verification.failureSummary?.contains("carries no checksums") == true)
    }

    @Test(arguments: [
        ("wrong-type.gguf", "expected checksum.xxh3_64 to be an array of UINT64, found an array of INT32"),
        ("wrong-count.gguf", "expected checksum.xxh3_64 to hold one digest per tensor (5), found 4"),
    ])
    func malformedGGUFFieldIsAnErrorNamingTheKey(name: String, message: String) throws {
        defer { files.remove() }
        let error = #expect(throws: FileError.self) { try ChecksumVerification.verify(try ModelFile(path: files.path(name)), threads: 1) }
        #expect(error?.message.hasPrefix(message) == true, "\(String(describing: error))")
    }

    @Test func uppercaseSafetensorsDigestIsAnErrorNamingTheKey() throws {
        defer { files.remove() }
        let error = #expect(throws: FileError.self) {
            try ChecksumVerification.verify(try ModelFile(path: files.path("bad-hex.safetensors")), threads: 1)
        }
        #expect(error?.message.hasPrefix("expected checksum.xxh3_64.output.weight to be 16 lowercase hex digits, found \"") == true)
    }

    @Test func aFlippedByteInAShardOfACheckpointIsNamed() throws {
        defer { files.remove() }
        let folder = files.folder.appendingPathComponent("sharded").path
        let source = try ModelFile(path: files.path("checksummed.safetensors"))
        try ContainerConversion.convert(source, to: .checkpoint(folder: folder), options: ConversionOptions(maximumShardBytes: 4096))
        let written = try ModelFile(path: folder)
        #expect(Set(written.tensors.map(\.file)).count > 1, "expected several shards")
        #expect(try ChecksumVerification.verify(written, threads: 2).passed)
        let victim = try #require(written.tensors.last)
        var data = try Data(contentsOf: URL(fileURLWithPath: victim.file))
        data[victim.offset + victim.byteCount - 1] ^= 0x80
        try data.write(to: URL(fileURLWithPath: victim.file))
        let verification = try ChecksumVerification.verify(try ModelFile(path: folder), threads: 2)
        #expect(verification.mismatched.map(\.name) == [victim.name])
    }

    @Test func digestsDoNotDependOnThreadCount() throws {
        defer { files.remove() }
        let file = try ModelFile(path: files.path("checksummed.gguf"))
        #expect(try TensorChecksums.compute(file, threads: 1) == TensorChecksums.compute(file, threads: 3))
    }
}
