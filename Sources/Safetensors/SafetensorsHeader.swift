import ModelIO

/// Step one of writing a safetensors file: `__metadata__` and the tensors, in the order their
/// data will be written, as a plain value. Hand it to `SafetensorsWriter.begin`.
/// The writer records `ChecksumKeys.safetensors(tensor:)` keys itself: keys with that prefix given here are dropped.
public struct SafetensorsHeader: Sendable {
    /// The file (or checkpoint folder) this header will start, which the errors of its declarations name.
    public let destination: String
    public var metadata: [(key: String, value: String)] {
        didSet { metadata.removeAll { $0.key.hasPrefix(ChecksumKeys.safetensorsPrefix) } }
    }
    public private(set) var tensors: [SafetensorsTensorDeclaration] = []
    private var names = Set<String>()

    public init(for destination: String, metadata: [(key: String, value: String)] = []) {
        self.destination = destination
        self.metadata = metadata.filter { !$0.key.hasPrefix(ChecksumKeys.safetensorsPrefix) }
    }

    /// Declares the next tensor (shape row-major, outermost first).
    public mutating func addTensor(name: String, dtype: SafetensorsDType, shape: [Int]) throws {
        let declaration = try SafetensorsTensorDeclaration(name: name, dtype: dtype, shape: shape, file: destination)
        guard names.insert(name).inserted else {
            throw FileError(file: destination, "tensor \(name) declared twice; expected unique names")
        }
        tensors.append(declaration)
    }

    /// Bytes of all tensor data together.
    public var dataByteCount: Int { tensors.reduce(0) { $0 + $1.byteCount } }
}

public struct SafetensorsTensorDeclaration: Sendable, Equatable {
    public let name: String
    public let dtype: SafetensorsDType
    public let shape: [Int]
    public let byteCount: Int

    init(name: String, dtype: SafetensorsDType, shape: [Int], file: String) throws {
        let fail = { (message: String) in FileError(file: file, "tensor \(name): \(message)") }
        guard name != "__metadata__" else { throw fail("the name __metadata__ is reserved by the format") }
        guard let elements = checkedElementCount(shape) else {
            throw fail("expected non-negative dimensions whose product fits, found \(shape)")
        }
        guard let byteCount = dtype.byteCount(elements: elements) else {
            if dtype.byteCountOverflows(elements: elements) {
                throw fail("\(elements) \(dtype) elements take more bytes than a 64-bit size holds")
            }
            throw fail("expected \(elements) \(dtype) elements to fill whole bytes")
        }
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.byteCount = byteCount
    }
}
