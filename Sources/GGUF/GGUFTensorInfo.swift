import ModelIO

/// One tensor of a GGUF file as its tensor info describes it, with a view of its data.
public struct GGUFTensorInfo: Sendable {
    public let name: String
    /// Dimensions as GGUF stores them: innermost (fastest-varying) first, ggml's `ne`.
    public let dimensions: [Int]
    public let type: GGMLType
    /// Offset from the start of the data section, as stored (a multiple of the alignment).
    public let relativeOffset: Int
    /// The tensor's bytes in the file (padding excluded): a view, not a copy.
    public let data: ByteSlice

    /// Row-major shape, outermost first (numpy's and safetensors' order): `dimensions` reversed.
    public var shape: [Int] { dimensions.reversed() }

    public var elementCount: Int { dimensions.reduce(1, *) }

    /// Absolute offset of the data in the file.
    public var fileOffset: Int { data.offset }

    public var byteCount: Int { data.count }
}
