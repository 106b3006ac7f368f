/// Why values could not be converted. Kernels know element positions, not tensor names: the
/// pipelines that call them add the tensor and file.
public enum QuantizationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A NaN or infinity reached a quantizer, whose blocks cannot represent it (ggml would write
    /// garbage scales). `index` is the first such element of the input, counted from 0.
    case nonFinite(index: Int, value: Float)
    /// The input is not a whole number of elements or blocks of its format.
    case partialBlock(format: ElementFormat, bytes: Int)
    /// A row of `length` values cannot be cut into blocks of 32.
    case rowNotMultipleOfBlock(format: ElementFormat, length: Int)

    public var description: String {
        switch self {
        case .nonFinite(let index, let value):
            "element \(index) is \(value), which cannot be quantized (only finite values can)"
        case .partialBlock(let format, let bytes):
            "expected whole \(format) blocks of \(format.bytesPerBlock) bytes, found \(bytes) bytes"
        case .rowNotMultipleOfBlock(let format, let length):
            "row length \(length) is not a multiple of \(format)'s block of \(format.elementsPerBlock) values"
        }
    }

    public static func == (a: Self, b: Self) -> Bool {
        switch (a, b) {
        case let (.nonFinite(i, x), .nonFinite(j, y)): i == j && x.bitPattern == y.bitPattern
        case let (.partialBlock(f, n), .partialBlock(g, m)): f == g && n == m
        case let (.rowNotMultipleOfBlock(f, n), .rowNotMultipleOfBlock(g, m)): f == g && n == m
        default: false
        }
    }
}
