/// Token ids by a 64-bit FNV-1a hash of the stored token string's UTF-8.
///
/// Checking Llama 3's 280K merges takes 840K lookups; with the bytes themselves as keys the
/// dictionary's probing (each key comparison a pointer chase) was most of the 0.5 s that reading a
/// GGUF vocabulary took. Integer keys stay inline in the table. FNV-1a runs left to right, so one
/// pass over "left right" gives the hashes of left, of right and of left+right (the piece the merge
/// makes) without building any string. A hash shared by two tokens makes `init` fail, and the
/// caller then compares bytes exactly; a merge half that is not a token but shares a token's hash
/// could pass the check, which only validates (the merges are not used to tokenize).
struct TokenHashIndex {
    private var idOfHash: [UInt64: Int] = [:]

    private static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    private static let prime: UInt64 = 0x0000_0100_0000_01b3

    init?(tokens: ArraySlice<String>) {
        idOfHash.reserveCapacity(tokens.count)
        for (id, token) in zip(tokens.indices, tokens) {
            let hash = Self.hash(token.utf8, from: Self.offsetBasis)
            guard idOfHash.updateValue(id, forKey: hash) == nil else { return nil }
        }
    }

    func id(_ hash: UInt64) -> Int? { idOfHash[hash] }

    static func hash(_ bytes: some Sequence<UInt8>, from start: UInt64) -> UInt64 {
        var hash = start
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* prime }
        return hash
    }

    /// The hashes of left, right and left+right for a merge "left right"; nil unless there is
    /// exactly one space with something on both sides.
    static func hashes(ofMerge merge: String) -> (left: UInt64, right: UInt64, joined: UInt64)? {
        var left = offsetBasis, right = offsetBasis, joined = offsetBasis
        var spaces = 0, leftCount = 0, rightCount = 0
        for byte in merge.utf8 {
            if byte == UInt8(ascii: " ") {
                spaces += 1
                continue
            }
            joined = (joined ^ UInt64(byte)) &* prime
            if spaces == 0 {
                left = joined
                leftCount += 1
            } else {
                right = (right ^ UInt64(byte)) &* prime
                rightCount += 1
            }
        }
        guard spaces == 1, leftCount > 0, rightCount > 0 else { return nil }
        return (left, right, joined)
    }
}
