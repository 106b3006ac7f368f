import ModelIO

/// Step one of writing a GGUF: everything that goes before the tensor data, as a plain value.
///
/// Build it (metadata, then tensor declarations in the order their data will be written), then
/// hand it to `GGUFWriter.begin`, which writes it and from then on accepts only tensor data.
/// The writer records `ChecksumKeys.gguf` itself: a key of that name given here is dropped.
public struct GGUFHeader: Sendable {
    /// The file this header will start, which the errors of its declarations name.
    public let destination: String
    public var metadata: GGUFMetadata {
        didSet { metadata.remove(ChecksumKeys.gguf) }
    }
    public private(set) var tensors: [GGUFTensorDeclaration] = []
    private var names = Set<String>()

    public init(for destination: String, metadata: GGUFMetadata = GGUFMetadata()) {
        self.destination = destination
        var cleaned = metadata
        cleaned.remove(ChecksumKeys.gguf)
        self.metadata = cleaned
    }

    /// `general.alignment` when set (must be a power of two), else 32.
    public func alignment() throws -> Int {
        try GGUFFile.alignment(in: metadata, file: destination)
    }

    /// Declares the next tensor. `shape` is row-major, outermost first (it is stored reversed).
    public mutating func addTensor(name: String, type: GGMLType, shape: [Int]) throws {
        let declaration = try GGUFTensorDeclaration(name: name, type: type, shape: shape, file: destination)
        guard names.insert(name).inserted else {
            throw FileError(file: destination, "tensor \(name) declared twice; expected unique names")
        }
        tensors.append(declaration)
    }
}

/// A tensor the header announces: name, type, dimensions, and so its byte count.
public struct GGUFTensorDeclaration: Sendable, Equatable {
    public let name: String
    public let type: GGMLType
    /// Innermost first, as GGUF stores them.
    public let dimensions: [Int]
    public let byteCount: Int

    public var shape: [Int] { dimensions.reversed() }

    /// ggml's GGML_MAX_NAME is 64 bytes with the terminating NUL; llama.cpp refuses longer names.
    public static let maximumNameBytes = 63

    init(name: String, type: GGMLType, shape: [Int], file: String) throws {
        let fail = { (message: String) in FileError(file: file, "tensor \(name): \(message)") }
        guard name.utf8.count <= Self.maximumNameBytes else {
            throw fail("expected a name of at most \(Self.maximumNameBytes) bytes (llama.cpp's limit), found \(name.utf8.count)")
        }
        guard shape.count <= GGUFFile.maximumDimensions else {
            throw fail("expected at most \(GGUFFile.maximumDimensions) dimensions, found \(shape.count)")
        }
        guard let elements = checkedElementCount(shape) else {
            throw fail("expected non-negative dimensions whose product fits, found \(shape)")
        }
        guard let byteCount = type.byteCount(elements: elements, innermost: shape.last ?? 1) else {
            if type.byteCountOverflows(elements: elements) {
                throw fail("\(elements) \(type) elements take more bytes than a 64-bit size holds")
            }
            throw fail("expected the innermost dimension \(shape.last ?? 1) to be a multiple of \(type)'s block size \(type.blockSize)")
        }
        self.name = name
        self.type = type
        dimensions = shape.reversed()
        self.byteCount = byteCount
    }
}
