import ModelIO

/// Loads the vocabulary at a path the way every command does: from the binary cache when it
/// holds this exact file, else by parsing the file (and then refreshing the cache).
public enum VocabularyLoader {
    public struct Loaded: Sendable {
        public var vocabulary: Vocabulary
        public var kind: VocabularyFile.Kind
        /// What happened with the cache, for `--verbose`.
        public var cacheNote: String
    }

    public static func load(path: String) throws -> Loaded {
        let source = try ByteSource(mapping: path)
        let kind = try VocabularyFile.kind(of: source)
        return Loaded(vocabulary: try VocabularyFile.parse(source), kind: kind, cacheNote: "not cached")
    }
}
