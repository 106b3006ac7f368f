#if canImport(Glibc)
import Glibc
#endif

/// Finding bytes in buffers with libc's memchr, which reads a word or a vector at a time
/// (splitting JSON lines byte by byte cost as much as parsing them).
public enum ByteSearch {
    /// The ranges between the `separator` bytes of `bytes`, separators left out: n separators
    /// make n + 1 ranges, the last one empty when `bytes` ends with a separator.
    public static func split(_ bytes: [UInt8], at separator: UInt8) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            var start = 0
            while true {
                let found = memchr(base + start, Int32(separator), raw.count - start)
                let end = found.map { base.distance(to: UnsafeRawPointer($0)) } ?? raw.count
                ranges.append(start..<end)
                guard found != nil else { return }
                start = end + 1
            }
        }
        return ranges.isEmpty ? [0..<0] : ranges
    }
}
