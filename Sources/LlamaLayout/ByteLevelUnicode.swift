/// GPT-2's byte-to-unicode mapping, the form byte-level BPE tokens take in tokenizer.json and in
/// GGUF `tokenizer.ggml.tokens` / `.merges`: each byte becomes one printable character, so a
/// token's bytes (not always valid UTF-8 on their own) can be stored as a string.
///
/// Bytes that are printable Latin-1 ('!'...'~', '¡'...'¬', '®'...'ÿ') stand for themselves; the
/// other 68 (controls, space, DEL, NBSP, soft hyphen...) take U+0100, U+0101, ... in byte order.
/// So a space is 'Ġ' (U+0120) and a newline 'Ċ' (U+010A).
public enum ByteLevelUnicode {
    /// The character of each byte, indexed by the byte.
    public static let scalarOfByte: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: " ", count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            if standsForItself(UInt8(byte)) {
                table[byte] = Unicode.Scalar(UInt8(byte))
            } else {
                // 256 + at most 68: always a valid scalar.
                table[byte] = Unicode.Scalar(next) ?? " "
                next += 1
            }
        }
        return table
    }()

    /// The byte of each character, for scalars 0 ..< 0x144 (the whole range the mapping uses).
    private static let byteOfScalar: [Int16] = {
        var table = [Int16](repeating: -1, count: 0x144)
        for (byte, scalar) in scalarOfByte.enumerated() { table[Int(scalar.value)] = Int16(byte) }
        return table
    }()

    private static func standsForItself(_ byte: UInt8) -> Bool {
        (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
    }

    /// A token's bytes as the string tokenizer.json and GGUF store.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var text = String.UnicodeScalarView()
        for byte in bytes { text.append(scalarOfByte[Int(byte)]) }
        return String(text)
    }

    /// The bytes a stored token string stands for; nil when some character is outside the
    /// mapping (the string is then not a byte-level token, such as a special token's name).
    public static func decode(_ text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            let value = Int(scalar.value)
            guard value < byteOfScalar.count, byteOfScalar[value] >= 0 else { return nil }
            bytes.append(UInt8(byteOfScalar[value]))
        }
        return bytes
    }
}
