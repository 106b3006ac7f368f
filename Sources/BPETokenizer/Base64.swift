/// Standard base64 (RFC 4648, `+` and `/`, `=` padding), as tiktoken files write piece bytes.
enum Base64 {
    /// The decoded bytes of `text[start ..< end]`, or nil if it is not canonical base64.
    static func decode(_ text: [UInt8], _ start: Int, _ end: Int) -> [UInt8]? {
        let length = end - start
        guard length % 4 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(length / 4 * 3)
        var index = start
        while index < end {
            let last = index + 4 == end
            guard let a = value(text[index]), let b = value(text[index + 1]) else { return nil }
            out.append(a << 2 | b >> 4)
            let third = text[index + 2], fourth = text[index + 3]
            if last && third == UInt8(ascii: "=") {
                guard fourth == UInt8(ascii: "="), b & 0x0F == 0 else { return nil }
                return out
            }
            guard let c = value(third) else { return nil }
            out.append(b << 4 | c >> 2)
            if last && fourth == UInt8(ascii: "=") {
                guard c & 0x03 == 0 else { return nil }
                return out
            }
            guard let d = value(fourth) else { return nil }
            out.append(c << 6 | d)
            index += 4
        }
        return out
    }

    @inline(__always)
    private static func value(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return character - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return character - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return character - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): return 62
        case UInt8(ascii: "/"): return 63
        default: return nil
        }
    }
}
