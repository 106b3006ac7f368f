import ModelFiles
import LlamaLayout
import Quantization

/// How the stored rows of one element type become f32 inside the matrix products.
///
/// A weight is never converted as a whole: each product decodes a block of rows into a scratch
/// buffer, multiplies it, and moves on, so an 8.5 GB Q8_0 file stays 8.5 GB of mapped pages
/// plus a few hundred KiB per thread. Each stored type is one conformance; types with larger
/// blocks (the k-quants' 256-element super-blocks) add theirs without touching the products.
public protocol RowDecoder: Sendable {
    /// The type's name as files spell it ("Q8_0").
    var name: String { get }
    /// Bytes of one row of `columns` elements; nil when such a row does not fill whole blocks.
    func rowBytes(columns: Int) -> Int?
    /// Decodes whole rows: `bytes` holds exactly `values.count` elements (a multiple of the row
    /// length, checked by the caller against `rowBytes`).
    func decode(_ bytes: UnsafeRawBufferPointer, into values: UnsafeMutableBufferPointer<Float>)
}

/// F32, F16, BF16, Q8_0, Q4_0 and Q4_1 through the Quantization module's element kernels.
struct ElementFormatRows: RowDecoder {
    let format: ElementFormat

    /// The C kernels' name for the format, when they read it directly.
    var kernelFormat: KernelFormat? { KernelFormat(format) }

    var name: String { format.rawValue.uppercased() }

    func rowBytes(columns: Int) -> Int? { format.byteCount(elements: columns) }

    func decode(_ bytes: UnsafeRawBufferPointer, into values: UnsafeMutableBufferPointer<Float>) {
        format.decode(bytes, into: values)
    }
}

public enum RowDecoders {
    /// The types the reference model reads, by the names GGUF and safetensors give them.
    public static let supported: [String] = ElementFormat.allCases.map { $0.rawValue.uppercased() }

    /// The decoder for a tensor's dtype, or nil for a type the products cannot read yet.
    /// The format's own name is the key, in any case: GGUF and safetensors spell F32, F16 and
    /// BF16 alike, and GGUF writes Q4_K where the kernels say q4_K.
    public static func decoder(for dtype: ModelDType) -> (any RowDecoder)? {
        let name = dtype.name.lowercased()
        return ElementFormat.allCases.first { $0.rawValue.lowercased() == name }.map { ElementFormatRows(format: $0) }
    }
}
