import Foundation

extension TestSupport {
    /// The folder a Fixtures/ generator script writes when run as `SCRIPT ARGUMENTS... FOLDER`,
    /// for inputs too big to commit (a tiny transformers checkpoint). Kept under the system
    /// temporary folder, named by a digest of the script's text and the arguments, so reruns
    /// reuse it, a changed script makes a new one, and runs do not pile up copies. The script
    /// writes into a scratch folder that is renamed into place only when it succeeded.
    public static func generatedFolder(script: String, arguments: [String]) throws -> URL {
        let scriptURL = fixture(script)
        var digest = FNV1a64()
        digest.add(Array(try Data(contentsOf: scriptURL)))
        for argument in arguments { digest.add(Array(("\u{0}" + argument).utf8)) }
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("llama3-generated-\(String(digest.value, radix: 16))")
        if FileManager.default.fileExists(atPath: folder.path) { return folder }
        let scratch = try temporaryFolder("llama3-generating")
        let result = try runPython([scriptURL.path] + arguments + [scratch.path])
        guard result.status == 0 else {
            try? FileManager.default.removeItem(at: scratch)
            throw GeneratedFixtureError(message: "\(script) \(arguments.joined(separator: " ")) failed:\n\(result)")
        }
        do {
            try FileManager.default.moveItem(at: scratch, to: folder)
        } catch where FileManager.default.fileExists(atPath: folder.path) {
            try? FileManager.default.removeItem(at: scratch)  // another run made it first
        }
        return folder
    }
}

public struct GeneratedFixtureError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// FNV-1a, 64 bits: a stable digest for naming cached folders (Swift's Hasher is seeded per process).
struct FNV1a64 {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ bytes: [UInt8]) {
        for byte in bytes {
            value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
    }
}
