import ModelIO

/// Lays a `SafetensorsHeader` out as the file's first bytes: the 8-byte length, then the JSON
/// `{"__metadata__": {...}, NAME: {"dtype", "shape", "data_offsets"}, ...}` with tensors in data
/// order, padded with spaces to a multiple of 8 bytes (as the safetensors package pads).
/// Each tensor's checksum value is 16 zeros whose file offset is remembered, to be filled later.
struct SafetensorsHeaderEncoder {
    let bytes: [UInt8]
    /// File offset of each tensor's 16 checksum digits, in tensor order.
    let checksumOffsets: [Int]

    init(_ header: SafetensorsHeader) {
        var checksumPositions: [Int] = []
        var json = "{"
        if !header.metadata.isEmpty || !header.tensors.isEmpty {
            // The metadata object goes first, so the placeholders' positions are known as it is built.
            json += "\"__metadata__\":{"
            json += header.metadata.map { Self.quoted($0.key) + ":" + Self.quoted($0.value) }.joined(separator: ",")
            var needsComma = !header.metadata.isEmpty
            for tensor in header.tensors {
                if needsComma { json += "," }
                json += Self.quoted(ChecksumKeys.safetensors(tensor: tensor.name)) + ":\""
                checksumPositions.append(SafetensorsFile.headerStart + json.utf8.count)
                json += String(repeating: "0", count: 16) + "\""
                needsComma = true
            }
            json += "}"
        }
        var begin = 0
        for tensor in header.tensors {
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            json += "," + Self.quoted(tensor.name) + ":{\"dtype\":" + Self.quoted(tensor.dtype.name)
                + ",\"shape\":[\(shape)],\"data_offsets\":[\(begin),\(begin + tensor.byteCount)]}"
            begin += tensor.byteCount
        }
        json += "}"
        var body = Array(json.utf8)
        body += repeatElement(UInt8(ascii: " "), count: padding(after: body.count, toMultipleOf: Self.headerAlignment))
        var out: [UInt8] = []
        out.appendLittleEndian(UInt64(body.count))
        bytes = out + body
        checksumOffsets = checksumPositions
    }

    /// The JSON is padded so the data starts 8-byte aligned (8 + a multiple of 8), as the safetensors package writes it.
    static let headerAlignment = 8

    static func quoted(_ text: String) -> String {
        JSONValue.string(text).serialized()
    }
}
