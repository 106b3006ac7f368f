/// GPT-2's byte-to-character mapping, in which Hugging Face tokenizer.json files and GGUF
/// `tokenizer.ggml.tokens` spell byte-level pieces: the printable bytes 33...126, 161...172 and
/// 174...255 stand for themselves, and the other 68 bytes (controls, space, 127...160, 173)
/// become U+0100, U+0101, ... in byte order (so the space byte is "Ġ", U+0120).
public enum ByteLevelAlphabet {
    /// The character of each byte.
    public static let characters: [Unicode.Scalar] = {
        var next: UInt32 = 0x100
        return (0...255).map { (byte: Int) -> Unicode.Scalar in
            if standsForItself(byte) { return Unicode.Scalar(UInt8(byte)) }
            defer { next += 1 }
            return Unicode.Scalar(next) ?? "?"
        }
    }()

    private static func standsForItself(_ byte: Int) -> Bool {
        (33...126).contains(byte) || (161...172).contains(byte) || (174...255).contains(byte)
    }

    /// A piece's bytes spelled in the alphabet.
    public static func spell(_ bytes: [UInt8]) -> String {
        var text = String.UnicodeScalarView()
        for byte in bytes { text.append(characters[Int(byte)]) }
        return String(text)
    }

    /// The bytes a spelled piece stands for, or nil if it holds a character outside the alphabet.
    public static func bytes(of text: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 256, standsForItself(Int(value)) {
                bytes.append(UInt8(value))
            } else if let byte = byteOfShifted[Int(value &- 0x100), default: nil] {
                bytes.append(byte)
            } else {
                return nil
            }
        }
        return bytes
    }

    /// The byte of U+0100 + index, for the 68 shifted characters.
    private static let byteOfShifted: [UInt8?] = {
        var table = [UInt8?](repeating: nil, count: 68)
        var index = 0
        for byte in 0...255 where !standsForItself(byte) {
            table[index] = UInt8(byte)
            index += 1
        }
        return table
    }()
}

extension Array {
    fileprivate subscript(index: Int, default fallback: Element) -> Element {
        indices.contains(index) ? self[index] : fallback
    }
}
