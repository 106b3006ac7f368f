import ModelIO

/// The key-value pairs of a GGUF header, in file order, with lookup by key.
public struct GGUFMetadata: Sendable, Equatable {
    public private(set) var entries: [(key: String, value: GGUFValue)] = []
    private var indexByKey: [String: Int] = [:]

    public init() {}

    public var count: Int { entries.count }
    public var keys: [String] { entries.map(\.key) }

    public subscript(key: String) -> GGUFValue? {
        indexByKey[key].map { entries[$0].value }
    }

    /// Adds a key; false (and no change) when the key is already there.
    @discardableResult
    public mutating func insert(_ key: String, _ value: GGUFValue) -> Bool {
        guard indexByKey[key] == nil else { return false }
        indexByKey[key] = entries.count
        entries.append((key, value))
        return true
    }

    /// Sets a key, replacing its value in place when present.
    public mutating func set(_ key: String, _ value: GGUFValue) {
        if let index = indexByKey[key] { entries[index].value = value } else { insert(key, value) }
    }

    public mutating func remove(_ key: String) {
        guard let index = indexByKey.removeValue(forKey: key) else { return }
        entries.remove(at: index)
        for position in index..<entries.count { indexByKey[entries[position].key] = position }
    }

    public static func == (lhs: GGUFMetadata, rhs: GGUFMetadata) -> Bool {
        lhs.entries.count == rhs.entries.count
            && zip(lhs.entries, rhs.entries).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}
