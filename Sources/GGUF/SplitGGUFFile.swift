import FoundationEssentials
import ModelIO

/// A model stored as several GGUF files by llama.cpp's gguf-split convention: parts named
/// `NAME-00001-of-00003.gguf`, each a complete GGUF holding some of the tensors (data offsets
/// relative to its own data section), each with `split.no` (0-based), `split.count` and
/// `split.tensors.count`. The model's metadata is in part 1 only, as gguf-split and gguf-py
/// write it; the other parts carry the split keys (and, from this project, their checksums).
public struct SplitGGUFFile: Sendable {
    public static let numberKey = "split.no"
    public static let countKey = "split.count"
    public static let tensorCountKey = "split.tensors.count"
    /// The keys that describe the split rather than the model.
    public static func isSplitKey(_ key: String) -> Bool { key.hasPrefix("split.") }

    /// The parts, in order: `parts[0]` holds the model's metadata.
    public let parts: [GGUFFile]

    public var first: GGUFFile { parts[0] }
    /// Every tensor of every part, part by part.
    public var tensors: [GGUFTensorInfo] { parts.flatMap(\.tensors) }

    /// Opens every part of the split that `path` (any part) belongs to, found by name beside it.
    public init(anyPart path: String) throws {
        try self.init(anyPart: try GGUFFile(path: path))
    }

    /// Opens the other parts of the split that `part` belongs to. A missing part, a part of the
    /// same name with another count, or split keys that disagree are errors naming the file.
    public init(anyPart part: GGUFFile) throws {
        let path = part.source.name
        guard let name = SplitPartName(path: path) else {
            throw FileError(
                file: path,
                "a split GGUF part (\(Self.describe(part))) whose name does not end in -NNNNN-of-NNNNN.gguf, "
                    + "so its other parts cannot be found")
        }
        try Self.refuseStrayParts(of: name)
        var parts: [GGUFFile] = []
        for number in 1...name.count {
            let partPath = name.path(ofPart: number)
            if number == name.number {
                parts.append(part)
                continue
            }
            guard FileManager.default.fileExists(atPath: partPath) else {
                throw FileError(file: path, "part \(number) of \(name.count) of this split GGUF is missing: expected \(partPath)")
            }
            parts.append(try GGUFFile(path: partPath))
        }
        try Self.checkSplitKeys(parts, count: name.count)
        self.parts = parts
    }

    /// Whether `file` says it is one part of several.
    public static func isPart(_ file: GGUFFile) -> Bool {
        (file.metadata[countKey]?.integer ?? 1) > 1
    }

    static func describe(_ part: GGUFFile) -> String {
        let number = part.metadata[numberKey]?.integer.map { "\($0 + 1)" } ?? "?"
        let count = part.metadata[countKey]?.integer.map(String.init) ?? "?"
        return "part \(number) of \(count)"
    }

    /// Each part says which it is, all agree on the count and the tensor total, and that total is
    /// the tensors found; a tensor name in two parts is refused.
    static func checkSplitKeys(_ parts: [GGUFFile], count: Int) throws {
        let total = parts.reduce(0) { $0 + $1.tensors.count }
        var names = Set<String>()
        for (index, part) in parts.enumerated() {
            let file = part.source.name
            let expectations: [(key: String, expected: Int)] = [(numberKey, index), (countKey, count), (tensorCountKey, total)]
            for (key, expected) in expectations {
                guard let found = part.metadata[key] else {
                    throw FileError(file: file, "expected \(key) = \(expected) in this split GGUF part, found no such key")
                }
                guard found.integer == expected else {
                    throw FileError(file: file, "expected \(key) = \(expected) (from the parts' names and tensors), found \(found)")
                }
            }
            for tensor in part.tensors where !names.insert(tensor.name).inserted {
                throw FileError(file: file, "tensor \(tensor.name) is in an earlier part too; expected each tensor in one part")
            }
        }
    }

    /// A file beside the parts with the same NAME but another part count (an earlier split left
    /// behind, or a part from another download) would make "the model" ambiguous: refused by name.
    static func refuseStrayParts(of name: SplitPartName) throws {
        let folder = PathText.deletingLastComponent(name.prefix)
        let stem = PathText.lastComponent(name.prefix)
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder.isEmpty ? "." : folder)) ?? []
        for entry in entries.sorted() {
            let entryPath = folder.isEmpty ? entry : folder + "/" + entry
            guard let other = SplitPartName(path: entryPath), PathText.lastComponent(other.prefix) == stem else { continue }
            if other.count != name.count || other.number > other.count {
                throw FileError(
                    file: entryPath,
                    "an extra part beside a split GGUF of \(name.count) parts (\(name.path(ofPart: 1))); expected only its parts")
            }
        }
    }
}

/// A part's file name split into what gguf-split joins: `PREFIX-%05d-of-%05d.gguf`.
public struct SplitPartName: Sendable, Equatable {
    public let prefix: String
    /// 1-based, as in the name.
    public let number: Int
    public let count: Int

    public init(prefix: String, number: Int, count: Int) {
        self.prefix = prefix
        self.number = number
        self.count = count
    }

    public init?(path: String) {
        let suffix = ".gguf"
        guard path.hasSuffix(suffix) else { return nil }
        let stem = Array(path.utf8.dropLast(suffix.utf8.count))
        // "-00001-of-00003" is 15 bytes: dash, five digits, "-of-", five digits.
        guard stem.count > 15 else { return nil }
        let tail = Array(stem.suffix(15))
        let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        guard tail[0] == UInt8(ascii: "-"), tail[6...9] == Array("-of-".utf8)[...],
            tail[1...5].allSatisfy(isDigit), tail[10...14].allSatisfy(isDigit)
        else { return nil }
        let number = Int(String(decoding: tail[1...5], as: UTF8.self))!
        let count = Int(String(decoding: tail[10...14], as: UTF8.self))!
        guard number >= 1, count >= 1 else { return nil }
        self.init(prefix: String(decoding: stem.dropLast(15), as: UTF8.self), number: number, count: count)
    }

    public func path(ofPart number: Int) -> String {
        prefix + "-" + partNumbering(number, of: count) + ".gguf"
    }
}
