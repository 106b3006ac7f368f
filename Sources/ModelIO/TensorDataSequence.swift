/// The part of streaming a model file that every format shares: the declared tensors' data
/// arrives one tensor at a time, in declared order, each through a `ChecksummingSink`, and must
/// be exactly the declared size. The digests, in that order, are what the file records.
public struct TensorDataSequence: Sendable {
    /// One declared tensor: its name, its byte count, and its element type as messages name it.
    public struct Declared: Sendable {
        public let name: String
        public let byteCount: Int
        public let elementType: String

        public init(name: String, byteCount: Int, elementType: String) {
            self.name = name
            self.byteCount = byteCount
            self.elementType = elementType
        }
    }

    private let declared: [Declared]
    /// XXH3-64 of each tensor written so far, in declared order.
    public private(set) var digests: [UInt64] = []

    public init(_ declared: [Declared]) { self.declared = declared }

    /// The position of the tensor whose data is expected next, nil when all have been written.
    public var nextIndex: Int? { digests.count < declared.count ? digests.count : nil }

    /// Gives `body` a sink over `output` for the next tensor, checks the bytes it wrote, and
    /// returns that tensor's position.
    public mutating func writeNext(to output: AtomicFileWriter, _ body: (ChecksummingSink) throws -> Void) throws -> Int {
        guard let index = nextIndex else {
            throw FileError(file: output.destination, "expected no more tensor data: all \(declared.count) tensors are written")
        }
        let tensor = declared[index]
        let sink = ChecksummingSink(output: output)
        try body(sink)
        guard sink.written == tensor.byteCount else {
            throw FileError(
                file: output.destination,
                "tensor \(tensor.name): expected \(tensor.byteCount) bytes of \(tensor.elementType) data, got \(sink.written)")
        }
        digests.append(sink.digest)
        return index
    }

    /// Throws unless every declared tensor has been written.
    public func requireComplete(_ output: AtomicFileWriter) throws {
        guard let index = nextIndex else { return }
        throw FileError(
            file: output.destination,
            "expected data for \(declared.count - index) more tensors, starting with \(declared[index].name)")
    }
}
