/// Finds special-token text (such as `<|eot_id|>`) in bytes, for `--special`: where tiktoken's
/// `encode(allowed_special="all")` would turn it into the special id. The leftmost occurrence
/// wins, and of several names starting at one place, the longest.
struct SpecialTokenMatcher: Sendable {
    /// Names by first byte, longest first.
    private let candidates: [[(bytes: [UInt8], id: UInt32)]]
    let longestName: Int

    init(_ tokens: [SpecialToken]) {
        var candidates = [[(bytes: [UInt8], id: UInt32)]](repeating: [], count: 256)
        var longest = 0
        for token in tokens where !token.name.isEmpty {
            let bytes = Array(token.name.utf8)
            candidates[Int(bytes[0])].append((bytes, UInt32(token.id)))
            longest = max(longest, bytes.count)
        }
        self.candidates = candidates.map { $0.sorted { $0.bytes.count > $1.bytes.count } }
        longestName = longest
    }

    /// The first special token in `text[start ..< end]`: where it starts, ends, and its id.
    func firstMatch(in text: [UInt8], from start: Int, to end: Int) -> (start: Int, end: Int, id: UInt32)? {
        var position = start
        while position < end {
            if let (length, id) = match(text, at: position, end: end) { return (position, position + length, id) }
            position += 1
        }
        return nil
    }

    /// Whether a special token that starts before `point` ends after it (so text must not be cut there).
    func spans(_ text: [UInt8], point: Int, start: Int, end: Int) -> Bool {
        var position = max(start, point - longestName + 1)
        while position < point {
            if let (length, _) = match(text, at: position, end: end), position + length > point { return true }
            position += 1
        }
        return false
    }

    @inline(__always)
    private func match(_ text: [UInt8], at position: Int, end: Int) -> (Int, UInt32)? {
        for candidate in candidates[Int(text[position])] {
            let length = candidate.bytes.count
            guard position + length <= end else { continue }
            var equal = true
            for offset in 1..<length where text[position + offset] != candidate.bytes[offset] {
                equal = false
                break
            }
            if equal { return (length, candidate.id) }
        }
        return nil
    }
}
