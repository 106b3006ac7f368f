import Foundation

/// Reads the float32 C-order .npy files the fixture script writes with numpy.save (format 1.0:
/// magic, version, u16 header length, a Python dict literal, then the raw values).
struct NumpyFloatArray {
    let shape: [Int]
    let values: [Float]

    init(contentsOf url: URL) throws {
        let bytes = [UInt8](try Data(contentsOf: url))
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1..<6]) == Array("NUMPY".utf8) else {
            throw NumpyError("\(url.path): not a .npy file")
        }
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        let header = String(decoding: bytes[10..<(10 + headerLength)], as: UTF8.self)
        guard header.contains("'descr': '<f4'"), header.contains("'fortran_order': False"),
            let open = header.range(of: "'shape': ("), let close = header[open.upperBound...].firstIndex(of: ")")
        else { throw NumpyError("\(url.path): expected little-endian float32 in C order, header \(header)") }
        shape = header[open.upperBound..<close].split(separator: ",").compactMap {
            Int($0.trimmingCharacters(in: .whitespaces))
        }
        let data = bytes[(10 + headerLength)...]
        let count = shape.reduce(1, *)
        guard data.count == count * 4 else { throw NumpyError("\(url.path): \(data.count) bytes for shape \(shape)") }
        values = data.withUnsafeBytes { raw in
            (0..<count).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
        }
    }
}

struct NumpyError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
