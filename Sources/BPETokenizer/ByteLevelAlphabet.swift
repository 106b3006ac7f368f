/// GPT-2's byte-to-character mapping, in which Hugging Face tokenizer.json files and GGUF
/// `tokenizer.ggml.tokens` / `.merges` spell byte-level pieces (a piece's bytes, not always valid
/// UTF-8 on their own, then fit in a string): the printable bytes 33...126, 161...172 and
/// 174...255 stand for themselves, and the other 68 bytes (controls, space, 127...160, 173)
/// become U+0100, U+0101, ... in byte order (so the space byte is "Ġ", U+0120, and a newline "Ċ").
public enum ByteLevelAlphabet {
    /// The character of each byte.
    public static let characters: [Unicode.Scalar] = {
        var next: UInt32 = 0x100
        return (0...255).map { (byte: Int) -> Unicode.Scalar in
            if standsForItself(byte) { return Unicode.Scalar(UInt8(byte)) }
            defer { next += 1 }
            return Unicode.Scalar(next) ?? "?"  // 0x100 + at most 67: always a scalar
        }
    }()

    /// The byte of each character, for scalars 0 ..< 0x144 (every character of the alphabet);
    /// -1 for the others. One lookup per character: GGUF files spell 128K pieces this way.
    private static let byteOfCharacter: [Int16] = {
        var table = [Int16](repeating: -1, count: 0x144)
        for (byte, character) in characters.enumerated() { table[Int(character.value)] = Int16(byte) }
        return table
    }()

    private static func standsForItself(_ byte: Int) -> Bool {
        (33...126).contains(byte) || (161...172).contains(byte) || (174...255).contains(byte)
    }

    /// A piece's bytes spelled in the alphabet.
    public static func spell(_ bytes: some Sequence<UInt8>) -> String {
        var text = String.UnicodeScalarView()
        for byte in bytes { text.append(characters[Int(byte)]) }
        return String(text)
    }

    /// The bytes a spelled piece stands for, or nil if it holds a character outside the alphabet
    /// (it is then not a byte-level piece: a special token's name, say).
    public static func bytes(of text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            let value = Int(scalar.value)
            guard value < byteOfCharacter.count, byteOfCharacter[value] >= 0 else { return nil }
            bytes.append(UInt8(byteOfCharacter[value]))
        }
        return bytes
    }
}
