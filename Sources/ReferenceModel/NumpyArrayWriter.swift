import ModelIO

/// Writes a float32 matrix as a NumPy .npy file (format 1.0), readable by `numpy.load`:
/// the magic "\x93NUMPY", version 1.0, a little-endian u16 header length, the header (a Python
/// dict literal giving dtype '<f4', C order and the shape, padded with spaces and ended by a
/// newline so the data starts at a multiple of 64 bytes), then the values, little-endian.
public enum NumpyArrayWriter {
    public static func header(rows: Int, columns: Int) -> [UInt8] {
        var dictionary = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(rows), \(columns)), }"
        let unpadded = 10 + dictionary.utf8.count + 1
        dictionary += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        let length = dictionary.utf8.count
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(length & 0xFF), UInt8(length >> 8)] + Array(dictionary.utf8)
    }

    /// Writes `matrix` to `path` atomically (nothing appears at `path` unless all of it was written).
    public static func write(_ matrix: Matrix, to path: String) throws {
        let writer = try AtomicFileWriter(destination: path)
        do {
            try writer.write(header(rows: matrix.rows, columns: matrix.columns))
            #if _endian(little)
            try matrix.values.withUnsafeBytes { try writer.write($0) }  // already '<f4'
            #else
            try matrix.values.map { $0.bitPattern.littleEndian }.withUnsafeBytes { try writer.write($0) }
            #endif
            try writer.commit()
        } catch {
            writer.discard()
            throw error
        }
    }
}
