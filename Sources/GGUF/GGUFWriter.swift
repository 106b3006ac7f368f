import ModelIO

/// Step two of writing a GGUF: a file whose header is written and which now takes the tensors'
/// data, one tensor at a time, in the header's order. Nothing else can be added, so the steps
/// cannot come out of order.
///
/// Streaming: the header goes out first with `ChecksumKeys.gguf` (one UINT64 per tensor, in
/// tensor-info order) reserved as zeros; each tensor's bytes are hashed as they pass; `finish()`
/// writes the digests into the reserved field, then commits the file atomically. A 70B model
/// never has to be in memory, and an interrupted run leaves nothing at the destination.
///
///     var header = GGUFHeader(for: "out.gguf", metadata: metadata)
///     try header.addTensor(name: "token_embd.weight", type: .f16, shape: [128256, 4096])
///     let writer = try GGUFWriter.begin(destination: "out.gguf", header: header)
///     try writer.writeTensor(embeddingBytes)
///     try writer.finish()
public final class GGUFWriter: TensorWriter {
    public let header: GGUFHeader
    public let alignment: Int
    private let output: AtomicFileWriter
    /// Where the first UINT64 of the reserved checksum array lies in the file.
    private let checksumOffset: UInt64
    private var data: TensorDataSequence

    /// Writes the header (with the reserved checksum array) to a temporary file beside
    /// `destination`. `inputs` are files the output must not replace.
    public static func begin(destination: String, header: GGUFHeader, inputs: [String] = []) throws -> GGUFWriter {
        try GGUFWriter(destination: destination, header: header, inputs: inputs)
    }

    private init(destination: String, header: GGUFHeader, inputs: [String]) throws {
        self.header = header
        alignment = try header.alignment()
        data = TensorDataSequence(header.tensors.map { .init(name: $0.name, byteCount: $0.byteCount, elementType: $0.type.name) })
        var encoder = GGUFHeaderEncoder()
        encoder.preamble(tensorCount: header.tensors.count, keyCount: header.metadata.count + 1)
        for entry in header.metadata.entries { try encoder.keyValue(entry.key, entry.value) }
        encoder.string(ChecksumKeys.gguf)
        encoder.u32(GGUFValueType.array.rawValue)
        encoder.u32(GGUFValueType.uint64.rawValue)
        encoder.u64(UInt64(header.tensors.count))
        checksumOffset = UInt64(encoder.bytes.count)
        for _ in header.tensors { encoder.u64(0) }
        var offset = 0
        for tensor in header.tensors {
            encoder.tensorInfo(tensor, offset: offset)
            offset += tensor.byteCount + padding(after: tensor.byteCount, toMultipleOf: alignment)
        }
        output = try AtomicFileWriter(destination: destination, inputs: inputs)
        try output.write(encoder.bytes)
        try output.writeZeros(padding(after: encoder.bytes.count, toMultipleOf: alignment))
    }

    /// The tensor whose data is expected next, nil when all have been written.
    public var nextTensor: GGUFTensorDeclaration? { data.nextIndex.map { header.tensors[$0] } }

    /// Writes the next tensor's data in pieces: `body` gets a sink to write to, and must write
    /// exactly the declared byte count.
    public func writeTensor(_ body: (ChecksummingSink) throws -> Void) throws {
        let tensor = header.tensors[try data.writeNext(to: output, body)]
        try output.writeZeros(padding(after: tensor.byteCount, toMultipleOf: alignment))
    }

    /// Fills in the checksums and puts the file in place. Throws if tensors are missing.
    public func finish() throws {
        try data.requireComplete(output)
        var digests: [UInt8] = []
        digests.reserveCapacity(data.digests.count * 8)
        for digest in data.digests { digests.appendLittleEndian(digest) }
        if !digests.isEmpty { try output.overwrite(digests, at: checksumOffset) }
        try output.commit()
    }

    /// Abandons the output: nothing appears at the destination.
    public func discard() { output.discard() }
}
