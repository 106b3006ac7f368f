import ModelIO

/// Step two of writing a safetensors file: the header is written, and the writer now takes the
/// tensors' data one at a time in the header's order, nothing else.
///
/// Streaming: the header goes out first with each `ChecksumKeys.safetensors(tensor:)` reserved as 16 zeros;
/// each tensor is hashed as it passes; `finish()` writes the 16 lowercase hex digits into place
/// and commits the file atomically.
///
///     var header = SafetensorsHeader(for: "out.safetensors", metadata: [("format", "pt")])
///     try header.addTensor(name: "lm_head.weight", dtype: .bf16, shape: [128256, 4096])
///     let writer = try SafetensorsWriter.begin(destination: "out.safetensors", header: header)
///     try writer.writeTensor(bytes)
///     try writer.finish()
public final class SafetensorsWriter: TensorWriter {
    public let header: SafetensorsHeader
    private let output: AtomicFileWriter
    private let checksumOffsets: [Int]
    private var data: TensorDataSequence

    public static func begin(destination: String, header: SafetensorsHeader, inputs: [String] = []) throws -> SafetensorsWriter {
        try SafetensorsWriter(destination: destination, header: header, inputs: inputs)
    }

    private init(destination: String, header: SafetensorsHeader, inputs: [String]) throws {
        self.header = header
        let encoded = SafetensorsHeaderEncoder(header)
        checksumOffsets = encoded.checksumOffsets
        data = TensorDataSequence(header.tensors.map { .init(name: $0.name, byteCount: $0.byteCount, elementType: $0.dtype.name) })
        output = try AtomicFileWriter(destination: destination, inputs: inputs)
        try output.write(encoded.bytes)
    }

    public var destination: String { output.destination }

    /// The tensor whose data is expected next, nil when all have been written.
    public var nextTensor: SafetensorsTensorDeclaration? { data.nextIndex.map { header.tensors[$0] } }

    /// Writes the next tensor's data in pieces; `body` must write exactly its byte count.
    public func writeTensor(_ body: (ChecksummingSink) throws -> Void) throws {
        _ = try data.writeNext(to: output, body)
    }

    /// Fills in the checksums and puts the file in place. Throws if tensors are missing.
    public func finish() throws {
        try data.requireComplete(output)
        for (digest, offset) in zip(data.digests, checksumOffsets) {
            try output.overwrite(Array(hex16(digest).utf8), at: UInt64(offset))
        }
        try output.commit()
    }

    /// Abandons the output: nothing appears at the destination.
    public func discard() { output.discard() }
}
