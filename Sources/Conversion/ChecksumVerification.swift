import ModelFiles
import ModelIO

/// The outcome of recomputing the digests a file records (`llama3 verify`).
public struct ChecksumVerification: Sendable {
    public struct Mismatch: Sendable, Equatable {
        public let name: String
        public let recorded: UInt64
        public let computed: UInt64
    }

    public let path: String
    /// Tensors whose recorded digest equals the recomputed one.
    public let matched: [String]
    public let mismatched: [Mismatch]
    /// Tensors of a file that records digests, but not for these.
    public let unrecorded: [String]
    /// Recorded digests naming no tensor of the file.
    public let unknown: [String]

    /// True when the file records digests at all.
    public var hasChecksums: Bool { !matched.isEmpty || !mismatched.isEmpty || !unknown.isEmpty }
    public var passed: Bool { hasChecksums && mismatched.isEmpty && unrecorded.isEmpty && unknown.isEmpty }

    public static func verify(
        _ file: ModelFile, threads: Int, progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }
    ) throws -> ChecksumVerification {
        let recorded = try ChecksumFields.recorded(in: file)
        guard !recorded.isEmpty else {
            return ChecksumVerification(path: file.path, matched: [], mismatched: [], unrecorded: [], unknown: [])
        }
        let computed = try TensorChecksums.compute(file, threads: threads, progress: progress)
        var matched: [String] = [], mismatched: [Mismatch] = [], unrecorded: [String] = []
        for checksum in computed {
            guard let expected = recorded[checksum.name] else {
                unrecorded.append(checksum.name)
                continue
            }
            if expected == checksum.xxh3 {
                matched.append(checksum.name)
            } else {
                mismatched.append(Mismatch(name: checksum.name, recorded: expected, computed: checksum.xxh3))
            }
        }
        let names = Set(computed.map(\.name))
        let unknown = recorded.keys.filter { !names.contains($0) }.sorted()
        return ChecksumVerification(path: file.path, matched: matched, mismatched: mismatched, unrecorded: unrecorded, unknown: unknown)
    }

    /// One line per problem, then a verdict (stdout of `llama3 verify`).
    public var text: String {
        var lines: [String] = []
        for mismatch in mismatched {
            lines.append("MISMATCH \(mismatch.name): recorded \(hex16(mismatch.recorded)), computed \(hex16(mismatch.computed))")
        }
        for name in unrecorded { lines.append("UNRECORDED \(name): the file records no checksum for this tensor") }
        for name in unknown { lines.append("UNKNOWN \(name): a checksum is recorded for a tensor the file does not have") }
        if passed { lines.append("OK: \(matched.count) tensors match their recorded XXH3-64 checksums") }
        return lines.map { $0.escapingControlCharacters() + "\n" }.joined()
    }

    /// JSON for `llama3 verify --json`.
    public var json: JSONValue {
        .object([
            JSONMember("path", .string(path)),
            JSONMember("has_checksums", .bool(hasChecksums)),
            JSONMember("passed", .bool(passed)),
            JSONMember("matched", .integer(matched.count)),
            JSONMember("mismatched", .array(mismatched.map { mismatch in
                .object([
                    JSONMember("name", .string(mismatch.name)),
                    JSONMember("recorded", .string(hex16(mismatch.recorded))),
                    JSONMember("computed", .string(hex16(mismatch.computed))),
                ])
            })),
            JSONMember("unrecorded", .array(unrecorded.map(JSONValue.string))),
            JSONMember("unknown", .array(unknown.map(JSONValue.string))),
        ])
    }

    /// The one-line reason for exit status 1, or nil when verification passed.
    public var failureSummary: String? {
        guard hasChecksums else {
            return "\(path): carries no checksums (\(ChecksumKeys.gguf) in GGUF, \(ChecksumKeys.safetensorsPrefix)NAME in safetensors); nothing was verified"
        }
        var parts: [String] = []
        if !mismatched.isEmpty {
            parts.append("\(mismatched.count) tensor(s) do not match their recorded checksums: " + mismatched.map(\.name).joined(separator: ", "))
        }
        if !unrecorded.isEmpty { parts.append("\(unrecorded.count) tensor(s) have no recorded checksum: " + unrecorded.joined(separator: ", ")) }
        if !unknown.isEmpty { parts.append("\(unknown.count) recorded checksum(s) name no tensor: " + unknown.joined(separator: ", ")) }
        return parts.isEmpty ? nil : "\(path): " + parts.joined(separator: "; ")
    }
}
