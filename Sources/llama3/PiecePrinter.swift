import BPETokenizer
import ModelIO

/// `tokenize --pieces`: one line per id, `ID<TAB>PIECE`, as llama.cpp's llama-tokenize shows them.
/// A piece is its bytes as text where they are printable UTF-8; a backslash, a control character
/// and every byte that is not part of a valid UTF-8 character (a piece may hold part of one) are
/// escaped: `\\`, `\n`, `\t`, `\r`, `\xNN`, `\u{NNNN}`, so the line is unambiguous.
final class PiecePrinter {
    private let tokenizer: Tokenizer
    private var buffer: [UInt8] = []

    init(tokenizer: Tokenizer) { self.tokenizer = tokenizer }

    func print(_ ids: [Int]) throws {
        for id in ids {
            buffer.append(contentsOf: "\(id)\t\(Self.escaped(try tokenizer.decode([id])))\n".utf8)
        }
        if buffer.count > 1 << 16 { try flush() }
    }

    func finish() throws { try flush() }

    private func flush() throws {
        try StandardStream.output.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    static func escaped(_ bytes: [UInt8]) -> String {
        var out = ""
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                offset += encoded.count
                out += escaped(Unicode.UTF8.decode(encoded))
            case .error(let length):
                for byte in bytes[offset..<offset + length] { out += "\\x" + hex(byte) }
                offset += length
            case .emptyInput:
                return out
            }
        }
    }

    static func escaped(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\\": return "\\\\"
        case "\n": return "\\n"
        case "\t": return "\\t"
        case "\r": return "\\r"
        default:
            guard scalar.properties.generalCategory == .control else { return String(scalar) }
            return scalar.isASCII ? "\\x" + hex(UInt8(scalar.value)) : "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
        }
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }
}
