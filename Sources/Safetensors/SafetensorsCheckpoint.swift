import FoundationEssentials
import ModelIO

/// A Hugging Face checkpoint folder: one `model.safetensors`, or shards listed by
/// `model.safetensors.index.json`, whose `weight_map` (tensor name -> shard file) is the truth.
///
/// Opening a sharded checkpoint opens every shard named by the index and checks that index and
/// shards agree both ways: each mapped tensor is in its shard, and each shard tensor is mapped there.
public struct SafetensorsCheckpoint: Sendable {
    public static let indexFileName = "model.safetensors.index.json"
    public static let singleFileName = "model.safetensors"

    public let folder: String
    /// The index file, when the checkpoint is sharded.
    public let indexPath: String?
    /// The index's `metadata` object (`total_size` and whatever else the writer put there).
    public let indexMetadata: [JSONMember]
    /// Shards in file-name order (one for an unsharded checkpoint).
    public let shards: [SafetensorsFile]
    /// Every tensor with the shard it lives in, shard by shard in data order.
    public let tensors: [(shard: Int, tensor: SafetensorsTensorInfo)]

    public init(folder: String) throws {
        self.folder = folder
        let indexPath = folder + "/" + Self.indexFileName
        if FileManager.default.fileExists(atPath: indexPath) {
            self.indexPath = indexPath
            let index = try Self.readIndex(indexPath)
            indexMetadata = index.metadata
            let shardNames = Array(Set(index.weightMap.map(\.shard))).sorted()
            shards = try shardNames.map { try SafetensorsFile(path: folder + "/" + $0) }
            tensors = try Self.matchIndex(index.weightMap, shardNames: shardNames, shards: shards, indexPath: indexPath)
            try Self.refuseMissingShards(shardNames, indexPath: indexPath)
        } else {
            self.indexPath = nil
            indexMetadata = []
            let single = try Self.singleFile(in: folder)
            shards = [try SafetensorsFile(path: folder + "/" + single)]
            tensors = shards[0].tensors.map { (0, $0) }
        }
    }

    /// `NAME-00002-of-00006.safetensors` -> (2, 6): the shard's number and how many its name says there are.
    public static func shardNumbering(_ name: String) -> (number: Int, count: Int)? {
        let suffix = ".safetensors"
        guard name.hasSuffix(suffix) else { return nil }
        let stem = Array(name.utf8.dropLast(suffix.utf8.count))
        // "-00001-of-00006" is 15 bytes: dash, five digits, "-of-", five digits.
        guard stem.count >= 15 else { return nil }
        let tail = Array(stem[(stem.count - 15)...])
        let isDigit = { (byte: UInt8) in (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
        guard tail[0] == UInt8(ascii: "-"), tail[6...9] == Array("-of-".utf8)[...],
              tail[1...5].allSatisfy(isDigit), tail[10...14].allSatisfy(isDigit),
              let number = Int(String(decoding: tail[1...5], as: UTF8.self)),
              let count = Int(String(decoding: tail[10...14], as: UTF8.self)),
              number >= 1, number <= count else { return nil }
        return (number, count)
    }

    /// An index whose shard names say `-of-N` must name all N of them: a writer stopped part-way,
    /// or an old index over new shards, is an incomplete checkpoint, not a smaller model.
    static func refuseMissingShards(_ shardNames: [String], indexPath: String) throws {
        let numbered = shardNames.compactMap(shardNumbering)
        guard let count = numbered.first?.count else { return }
        let numbers = Set(numbered.filter { $0.count == count }.map(\.number))
        guard numbered.count == shardNames.count, numbers.count == count else {
            throw FileError(
                file: indexPath,
                "incomplete checkpoint: the shard names say -of-\(partNumbering(count, of: count).suffix(5)) "
                    + "but weight_map names \(shardNames.count) shard files (\(shardNames.joined(separator: ", ")))")
        }
    }

    /// `model.safetensors`, or the only `.safetensors` file of the folder.
    static func singleFile(in folder: String) throws -> String {
        if FileManager.default.fileExists(atPath: folder + "/" + singleFileName) { return singleFileName }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".safetensors") }.sorted()
        } catch {
            throw FileError(file: folder, "expected a readable folder")
        }
        if let sharded = names.first(where: { shardNumbering($0) != nil }), let numbering = shardNumbering(sharded) {
            throw FileError(
                file: folder,
                "incomplete checkpoint: \(sharded) is shard \(numbering.number) of \(numbering.count), "
                    + "but the folder has no \(indexFileName) (\(names.count) of \(numbering.count) shard files found)")
        }
        guard names.count == 1 else {
            throw FileError(
                file: folder,
                names.isEmpty
                    ? "expected \(singleFileName) or \(indexFileName) in the folder, found neither"
                    : "found \(names.count) .safetensors files but no \(indexFileName) saying which tensor is where")
        }
        return names[0]
    }

    struct Index {
        var metadata: [JSONMember]
        var weightMap: [(name: String, shard: String)]
    }

    static func readIndex(_ path: String) throws -> Index {
        try readIndex(try ByteSource(mapping: path))
    }

    /// The index in `source` (its name is the path errors give): read from memory by the fuzzer.
    static func readIndex(_ source: ByteSource) throws -> Index {
        let path = source.name
        let json = try JSONParser.parse(try source.slice(offset: 0, length: source.count))
        let fail = { (message: String) in FileError(file: path, message) }
        guard case .object = json, let map = json["weight_map"]?.objectValue else {
            throw fail("expected an object with a \"weight_map\" object")
        }
        var seen = Set<String>()
        let weightMap = try map.map { member -> (name: String, shard: String) in
            guard let shard = member.value.stringValue else { throw fail("expected a shard file name for \(member.key) in weight_map") }
            guard !shard.contains("/"), shard != "..", shard != "." , !shard.isEmpty else {
                throw fail("expected a file name in the checkpoint folder for \(member.key), found \"\(shard)\"")
            }
            guard seen.insert(member.key).inserted else { throw fail("found \(member.key) twice in weight_map") }
            return (member.key, shard)
        }
        return Index(metadata: json["metadata"]?.objectValue ?? [], weightMap: weightMap)
    }

    /// Pairs index entries with shard tensors; any tensor on one side only is an error.
    static func matchIndex(
        _ weightMap: [(name: String, shard: String)], shardNames: [String], shards: [SafetensorsFile], indexPath: String
    ) throws -> [(shard: Int, tensor: SafetensorsTensorInfo)] {
        var mapped: [String: String] = [:]
        for entry in weightMap { mapped[entry.name] = entry.shard }
        var result: [(shard: Int, tensor: SafetensorsTensorInfo)] = []
        var found = Set<String>()
        for (shardIndex, shard) in shards.enumerated() {
            for tensor in shard.tensors {
                guard mapped[tensor.name] == shardNames[shardIndex] else {
                    let place = mapped[tensor.name].map { "maps it to \($0)" } ?? "does not list it"
                    throw FileError(
                        file: indexPath,
                        "shards and index disagree: \(shardNames[shardIndex]) holds tensor \(tensor.name), but weight_map \(place)")
                }
                found.insert(tensor.name)
                result.append((shardIndex, tensor))
            }
        }
        if let missing = weightMap.first(where: { !found.contains($0.name) }) {
            throw FileError(
                file: indexPath,
                "shards and index disagree: weight_map puts tensor \(missing.name) in \(missing.shard), which does not hold it")
        }
        return result
    }
}
