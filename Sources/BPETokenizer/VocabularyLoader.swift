import ModelIO

/// Loads the vocabulary at a path the way every command does: from the binary cache when it
/// holds this exact file (VocabularyCache), else by parsing the file and refreshing the cache.
public enum VocabularyLoader {
    public struct Loaded: Sendable {
        public var vocabulary: Vocabulary
        public var kind: VocabularyFile.Kind
        /// What happened with the cache, for `--verbose`.
        public var cacheNote: String
    }

    /// - Parameter cacheFolder: where compiled vocabularies are kept (nil: no cache).
    public static func load(path: String, cacheFolder: String?) throws -> Loaded {
        let source = try ByteSource(mapping: path)
        let digest = try source.withUnsafeBytes(offset: 0, length: source.count) { XXH3.hash128($0) }
        guard let cacheFolder else {
            return Loaded(vocabulary: try VocabularyFile.parse(source), kind: try VocabularyFile.kind(of: source), cacheNote: "not used")
        }
        let cachePath = cacheFolder + "/" + VocabularyCache.fileName(for: digest)
        if let cache = try? ByteSource(mapping: cachePath), let (vocabulary, kind) = VocabularyCache.decode(cache, digest: digest) {
            return Loaded(vocabulary: vocabulary, kind: kind, cacheNote: "read from \(cachePath)")
        }
        let kind = try VocabularyFile.kind(of: source)
        let vocabulary = try VocabularyFile.parse(source)
        let stored = VocabularyCache.store(
            VocabularyCache.encode(vocabulary, kind: kind, digest: digest), folder: cacheFolder, digest: digest)
        let note = stored.map { "parsed the file, cache written to \($0)" } ?? "parsed the file (could not write a cache in \(cacheFolder))"
        return Loaded(vocabulary: vocabulary, kind: kind, cacheNote: note)
    }
}
