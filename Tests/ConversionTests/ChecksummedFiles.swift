import Foundation
import ModelIO
import TestSupport

/// Files that record checksums, written by gguf-py and safetensors with digests from xxhsum
/// (Fixtures/quantization/make-checksummed-files.py), and the script's manifest of them.
struct ChecksummedFiles {
    struct Tensor: Sendable {
        let name: String
        let xxh3: String
        let offset: Int
        let bytes: Int
    }

    let folder: URL
    let tensorsByFile: [String: [Tensor]]

    static let names = ["checksummed.gguf", "checksummed.safetensors"]

    /// The script runs once per test process; each test gets its own copy of its files.
    static func make() throws -> ChecksummedFiles {
        let generated = try GeneratedInputs.once(script: "quantization/make-checksummed-files.py")
        let script = TestSupport.fixture("quantization/make-checksummed-files.py").path
        let result = generated.result
        guard result.status == 0 else { throw FileError(file: script, "failed: \(result)") }
        let folder = try generated.freshCopy("checksums")
        let manifest = try JSONParser.parse(Array(result.stdout), file: "manifest")
        var tensorsByFile: [String: [Tensor]] = [:]
        for member in manifest.objectValue ?? [] {
            let entries: [JSONValue] = member.value.arrayValue ?? []
            tensorsByFile[member.key] = entries.map(tensor(from:))
        }
        return ChecksummedFiles(folder: folder, tensorsByFile: tensorsByFile)
    }

    static func tensor(from entry: JSONValue) -> Tensor {
        let name = entry["name"]?.stringValue ?? ""
        let digest = entry["xxh3_64"]?.stringValue ?? ""
        let offset = Int(entry["offset"]?.int64Value ?? -1)
        let bytes = Int(entry["bytes"]?.int64Value ?? -1)
        return Tensor(name: name, xxh3: digest, offset: offset, bytes: bytes)
    }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// A copy of `name` with one byte of `tensor`'s data inverted.
    func copy(_ name: String, flippingByteOf tensor: Tensor) throws -> String {
        var data = try Data(contentsOf: URL(fileURLWithPath: path(name)))
        let spot = tensor.offset + tensor.bytes / 2
        data[spot] ^= 0xFF
        let copy = folder.appendingPathComponent("flipped-\(tensor.name)-\(name)")
        try data.write(to: copy)
        return copy.path
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}
