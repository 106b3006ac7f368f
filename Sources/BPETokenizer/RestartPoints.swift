/// Places where text can be cut and its halves tokenized separately with the same result as the
/// whole: how `count` splits large input across threads, and how input is read in blocks.
///
/// Rule: a cut at `p` is safe when the scalar before `p` is a letter or a number and the scalar
/// at `p` is neither. Why:
/// - `p` is a piece boundary of the whole text. Every piece holding a letter ends at the end of
///   a letter run or of a contraction ('s, 'll...), and every piece holding a number is 1 to 3
///   numbers; neither can take in the non-letter, non-number scalar at `p`.
/// - The pieces after `p` are the same: the regex has no look-behind, and matching restarts at
///   the end of the previous piece.
/// - The pieces before `p` are the same when the text ends at `p`: the only alternative that
///   looks past its own end is `\s+(?!\S)`, and no white-space piece reaches the letter or
///   number at `p - 1`; letter and number runs stop at the end of the text as they stop at `p`.
/// With special tokens parsed, a cut must also not fall inside special-token text.
enum RestartPoints {
    /// Whether cutting `text` at `point` (strictly inside `start ..< end`) is safe.
    static func isSafe(
        _ text: [UInt8], at point: Int, start: Int, end: Int, classifier: ScalarClassifier = ScalarClassifier()
    ) -> Bool {
        guard point > start, point < end else { return false }
        let splitter = PreSplitter(text, end: end, classifier: classifier)
        let (after, _) = splitter.scalarClass(at: point)
        guard after != .letter, after != .number else { return false }
        var before = point - 1
        while before > start, text[before] & 0xC0 == 0x80, point - before < 4 { before -= 1 }
        let (previous, length) = splitter.scalarClass(at: before)
        return before + length == point && (previous == .letter || previous == .number)
    }

    /// The first safe cut at or after `target` and before `end`, scanning at most `limit` bytes.
    static func next(
        in text: [UInt8], from target: Int, start: Int, end: Int, limit: Int = 1 << 20,
        specials: SpecialTokenMatcher? = nil
    ) -> Int? {
        var point = max(target, start + 1)
        let stop = min(end, point + limit)
        let classifier = ScalarClassifier()
        while point < stop {
            // Cheap filter first: the scalar at a cut is never a continuation byte.
            if text[point] & 0xC0 != 0x80, isSafe(text, at: point, start: start, end: end, classifier: classifier),
                specials.map({ !$0.spans(text, point: point, start: start, end: end) }) ?? true
            {
                return point
            }
            point += 1
        }
        return nil
    }

    /// Cuts `start ..< end` into consecutive ranges of about `size` bytes at safe points.
    static func ranges(
        in text: [UInt8], start: Int, end: Int, size: Int, specials: SpecialTokenMatcher? = nil
    ) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var from = start
        while end - from > size {
            guard let cut = next(in: text, from: from + size, start: from, end: end, specials: specials) else { break }
            ranges.append(from..<cut)
            from = cut
        }
        ranges.append(from..<end)
        return ranges
    }
}
