import GGUF
import ModelIO
import Quantization
import Safetensors

/// Writes a `ConversionPlan`: one loop over the planned tensors into one `TensorWriter`, whatever
/// the formats and the mode. Bytes that are not changed are copied from the memory map in large
/// sequential writes; converted ones stream through `TensorStreamConversion` in fixed chunks.
/// `progress(done, total)` counts input bytes; `tensorWritten` hears of each tensor once its
/// bytes are out (`--verbose`'s log).
enum ConversionPipeline {
    struct Settings {
        var maximumShardBytes: Int
        var split: GGUFSplitLimits?
        var threads: Int
        var progress: (Int, Int) -> Void
        var tensorWritten: ConversionOptions.TensorReport?
    }

    static func run(
        _ plan: ConversionPlan, to destination: ConversionDestination, inputs: [String], fileType: WholeFileType?,
        settings: Settings
    ) throws -> ConversionSummary {
        let writer = try makeWriter(plan, destination, inputs: inputs, settings: settings)
        adviseSequentialReading(plan)
        let total = plan.tensors.reduce(0) { $0 + $1.inputBytes }
        var done = 0
        let advance = { (bytes: Int) in
            done += bytes
            settings.progress(done, total)
        }
        var written: [ConversionSummary.Tensor] = []
        for tensor in plan.tensors {
            var bytesOut = 0
            try writer.writeTensor { sink in
                try RowGathering.forEachPiece(of: tensor) { piece in
                    try write(piece, of: tensor, to: sink, threads: settings.threads, advance: advance)
                }
                bytesOut = sink.written
            }
            // The tensor's input is consumed: its pages leave the resident size (large pieces
            // were already released as they streamed; this catches tensors read row by row).
            ByteSlice.releaseMappedPages(spanning: tensor.pieces.spans)
            written.append(ConversionSummary.Tensor(
                name: tensor.name, typeIn: tensor.sourceType, typeOut: tensor.dtype.name,
                bytesIn: tensor.inputBytes, bytesOut: bytesOut, conversion: tensor.conversion, shape: tensor.shape))
            try settings.tensorWritten?(written[written.count - 1], written.count, plan.tensors.count)
        }
        try writer.finish()
        let parts = (writer as? SplitGGUFWriter)?.partPaths ?? []
        var summary = ConversionSummary(
            destination: parts.first ?? destination.path, mode: plan.mode, fileType: fileType, tensors: written,
            skippedMetadata: plan.skippedMetadata)
        summary.parts = parts
        summary.notes = plan.notes
        return summary
    }

    /// Each source is read once from start to end: read-ahead may run far ahead.
    static func adviseSequentialReading(_ plan: ConversionPlan) {
        var advised = Set<ObjectIdentifier>()
        for tensor in plan.tensors {
            for source in tensor.pieces.sources where advised.insert(ObjectIdentifier(source)).inserted {
                source.adviseSequential()
            }
        }
    }

    /// One piece of a tensor: copied as it is, or converted chunk by chunk.
    static func write(
        _ piece: ByteSlice, of tensor: PlannedTensor, to sink: ChecksummingSink, threads: Int, advance: (Int) -> Void
    ) throws {
        switch tensor.conversion {
        case .copy:
            try sink.write(piece)
            advance(piece.count)
        case .convert(let from, let to):
            try TensorStreamConversion.write(
                piece, tensor: tensor.sourceName, rowLength: tensor.rowLength, file: piece.source.name, from: from, to: to,
                threads: threads, sink: { try sink.write($0) }, progress: advance)
        }
    }

    static func makeWriter(
        _ plan: ConversionPlan, _ destination: ConversionDestination, inputs: [String], settings: Settings
    ) throws -> any TensorWriter {
        switch (destination, plan.metadata) {
        case (.gguf(let path), .gguf(let metadata)):
            var header = GGUFHeader(for: path, metadata: metadata)
            for tensor in plan.tensors {
                guard case .ggml(let type) = tensor.dtype else { throw mismatch(tensor, path) }
                try header.addTensor(name: tensor.name, type: type, shape: tensor.shape)
            }
            if let limits = settings.split {
                return try SplitGGUFWriter.begin(destination: path, header: header, limits: limits, inputs: inputs)
            }
            return try GGUFWriter.begin(destination: path, header: header, inputs: inputs)
        case (.safetensors(let path), .safetensors(let metadata)):
            return try SafetensorsWriter.begin(destination: path, header: try safetensorsHeader(plan, metadata, path), inputs: inputs)
        case (.checkpoint(let folder), .safetensors(let metadata)):
            return try SafetensorsCheckpointWriter.begin(
                folder: folder, header: try safetensorsHeader(plan, metadata, folder), maximumShardBytes: settings.maximumShardBytes,
                inputs: inputs, sideFiles: plan.sideFiles)
        default:
            throw ToolError("the conversion plan has metadata of another format than \(destination.path)")
        }
    }

    static func safetensorsHeader(
        _ plan: ConversionPlan, _ metadata: [(key: String, value: String)], _ path: String
    ) throws -> SafetensorsHeader {
        var header = SafetensorsHeader(for: path, metadata: metadata)
        for tensor in plan.tensors {
            guard case .safetensors(let dtype) = tensor.dtype else { throw mismatch(tensor, path) }
            try header.addTensor(name: tensor.name, dtype: dtype, shape: tensor.shape)
        }
        return header
    }

    static func mismatch(_ tensor: PlannedTensor, _ path: String) -> FileError {
        FileError(file: path, "tensor \(tensor.name): \(tensor.dtype.name) is not a type of the destination's format")
    }
}
